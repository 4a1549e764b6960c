"""App-wide messages: how scan sources and background workers talk to the app."""

from __future__ import annotations

from textual.message import Message


class ScanReceived(Message):
    """A scanned payload from any source (keyboard burst, paste, image file, serial port, camera).

    Post it to the app from anywhere, threads included: `app.post_message(ScanReceived(text, "serial"))`.
    """

    def __init__(self, payload: str, source: str) -> None:
        super().__init__()
        self.payload = payload
        self.source = source
