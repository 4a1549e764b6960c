"""The message that says who works at the counter from now on (posted by the sign-in screen)."""

from __future__ import annotations

from textual.message import Message


class ClerkChosen(Message):
    """The clerk who will work at the counter from now on."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
