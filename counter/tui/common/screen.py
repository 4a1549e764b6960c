"""The frame every counter screen shares: title line, body, status bar and key footer."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from counter.tui.common.footer import KeyFooter
from counter.tui.common.statusbar import StatusBar
from counter.tui.desk import Desk, desk_of

STATUS_ORDER = ("counter", "clerk", "pending")
"""Segments reserved at the left of the status bar; others (sync) are appended when first set."""


class CounterScreen(Screen[Any]):
    """Base screen: subclasses yield their content from `compose_body` and set `SCREEN_TITLE`."""

    SCREEN_TITLE = ""

    @property
    def desk(self) -> Desk:
        """The counter this screen works for: its context and signed-in account."""
        return desk_of(self)

    def compose(self) -> ComposeResult:
        """Title line, the screen's body, the status bar and the footer."""
        yield Static(self.title_text(), classes="screen-title")
        yield from self.compose_body()
        yield StatusBar(STATUS_ORDER, id="status")
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def title_text(self) -> str:
        """The line at the top: what this screen is, and where."""
        unit = self.desk.config.unit.name
        return f"[b]Một Cửa[/b] · {self.SCREEN_TITLE}" + (f"  [dim]{unit}[/dim]" if unit else "")
