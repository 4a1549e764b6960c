"""Serial scanners and cameras named in `[scanner]`: their worker threads post ScanReceived to the app.

The workers live in counter.scanners (no textual there). Scans arrive with app.post_message, which is
thread-safe; status lines ("connected", "lost, retrying") go to the status bar segment "scanner" through
the app's event loop without blocking the worker, so a closing app never waits on a scanner thread.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

from textual.app import App

from counter.config import ScannerConfig
from counter.tui.desk import StatusSetter
from counter.tui.messages import ScanReceived

if TYPE_CHECKING:
    from counter.scanners import ScanSource

STATUS_SEGMENT = "scanner"


class ScanDevices:
    """The app's serial-scanner and camera workers, started and stopped with the app."""

    def __init__(self, app: App[Any], config: ScannerConfig, set_status: StatusSetter) -> None:
        self.app = app
        self.config = config
        self.set_status = set_status
        self.sources: list[ScanSource] = []
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> ScanDevices:
        """Start the configured workers (none when `[scanner]` names no serial port or camera)."""
        scanner = self.config
        if self.sources or not (scanner.serial_port or scanner.camera):
            return self
        from counter.scanners import start_sources

        self._loop = asyncio.get_running_loop()
        self.sources = start_sources(scanner, self._scan, self._status)
        return self

    def stop(self) -> None:
        """Stop every worker (the serial port is closed; the camera released)."""
        for source in self.sources:
            source.stop(timeout=1.0)
        self.sources = []

    def _scan(self, payload: str, source: str) -> None:
        self.app.post_message(ScanReceived(payload, source))

    def _status(self, text: str, ok: bool) -> None:
        css_class = "-ok" if ok else "-warning"
        if self._loop is None:
            return
        with contextlib.suppress(RuntimeError):  # a closed loop: the app is gone, nothing to show it on
            self._loop.call_soon_threadsafe(self.set_status, STATUS_SEGMENT, text, css_class)
