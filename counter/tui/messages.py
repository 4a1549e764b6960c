"""App-wide messages: how scan sources and background workers talk to the app."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from counter.citizens.identity import Identity


class ScanReceived(Message):
    """A scanned payload from any source (keyboard burst, paste, image file, serial port, camera).

    Post it to the app from anywhere, threads included: `app.post_message(ScanReceived(text, "serial"))`.
    """

    def __init__(self, payload: str, source: str) -> None:
        super().__init__()
        self.payload = payload
        self.source = source


@dataclass
class OpenDossier(Message):
    """A screen asks the app to show one dossier (read-only view with its history)."""

    code: str


@dataclass
class StartForm(Message):
    """A screen asks the app to open a form for the citizen on the home screen."""

    form_id: str


@dataclass
class ShowReceipt(Message):
    """A dossier was saved: the app shows its receipt in place of the form."""

    dossier: Any


@dataclass
class ResetCounter(Message):
    """Back to an empty counter, ready for the next citizen (or with `person`, the one just scanned)."""

    person: Identity | None = None
    """The next citizen, or None for an empty counter."""


@dataclass
class SetStatus(Message):
    """A screen sets a named status bar segment (the app's `set_status`)."""

    name: str
    text: str
    css_class: str | None = None


@dataclass
class CitizenViewed(Message):
    """A clerk looked at a citizen shown without a read (`ref` already masked): the app audits it."""

    ref: str
    detail: str
