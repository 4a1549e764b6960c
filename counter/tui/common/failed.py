"""Shown instead of the counter when it cannot start (a data directory that cannot be used, a damaged database)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from counter.tui.common.screen import CounterScreen


class StartFailedScreen(CounterScreen):
    """The one sentence that says why the counter did not open, and how to leave."""

    SCREEN_TITLE = "Không mở được quầy"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Thoát", id="quit")]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose_body(self) -> ComposeResult:
        """The sentence, then what to do."""
        with Vertical(id="start-failed", classes="panel"):
            yield Label(self.message, classes="field-error", markup=False)
            yield Label("Sửa cấu hình hoặc thư mục dữ liệu rồi mở lại ứng dụng; Ctrl+Q để thoát.", classes="hint")
