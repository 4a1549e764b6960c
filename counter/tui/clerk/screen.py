"""Pick or create the clerk's name; posts ClerkChosen. A PIN login screen can replace it one-for-one."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from counter.tui.common.screen import CounterScreen


class ClerkChosen(Message):
    """The clerk who will work at the counter from now on."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class ClerkScreen(CounterScreen):
    """Known clerks to pick from, and a field to type a new name."""

    SCREEN_TITLE = "Cán bộ tiếp nhận"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Thoát", id="quit")]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self.names = names

    def compose_body(self) -> ComposeResult:
        """The list of names and the new-name field."""
        with Vertical(id="clerk-box", classes="panel"):
            yield Label("Chọn tên của bạn, hoặc gõ tên mới rồi nhấn Enter.", classes="hint")
            yield Input(placeholder="Họ và tên cán bộ", id="clerk-name")
            yield Label("", id="clerk-error", classes="field-error")
            if self.names:
                yield OptionList(*(Option(n, id=n) for n in self.names), id="clerk-list")

    def on_mount(self) -> None:
        """Start in the list when there is one, else in the name field."""
        target = "#clerk-list" if self.names else "#clerk-name"
        self.query_one(target).focus()

    @on(OptionList.OptionSelected, "#clerk-list")
    def picked(self, event: OptionList.OptionSelected) -> None:
        """A known name was chosen."""
        self.post_message(ClerkChosen(str(event.option.id)))

    @on(Input.Submitted, "#clerk-name")
    def typed(self, event: Input.Submitted) -> None:
        """A new (or known) name was typed."""
        name = " ".join(event.value.split())
        if len(name) < 2:
            self.query_one("#clerk-error", Label).update("Nhập họ và tên (ít nhất 2 ký tự).")
            return
        self.post_message(ClerkChosen(name))
