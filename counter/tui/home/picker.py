"""Searchable procedure list: typing "ket hon" finds "Đăng ký kết hôn" (diacritics and đ ignored)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from counter.law.forms import FormDef, search


def _duration(form: FormDef) -> str:
    return "trong ngày" if form.processing_days == 0 else f"{form.processing_days} ngày làm việc"


class ProcedurePicker(Vertical):
    """A search field over the list of procedures; posts Picked with the form id."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "Xuống", show=False),
        Binding("up", "move(-1)", "Lên", show=False),
    ]

    class Picked(Message):
        """The clerk chose the procedure of form `form_id`."""

        def __init__(self, form_id: str) -> None:
            super().__init__()
            self.form_id = form_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.forms: Mapping[str, FormDef] = {}

    def compose(self) -> ComposeResult:
        """The search field and the list."""
        yield Input(placeholder="Tìm thủ tục, ví dụ: ket hon", id="procedure-search")
        yield OptionList(id="procedure-list")

    def set_forms(self, forms: Mapping[str, FormDef]) -> None:
        """Offer these forms."""
        self.forms = forms
        self._refill(self.query_one("#procedure-search", Input).value)

    def _refill(self, query: str) -> None:
        options = self.query_one("#procedure-list", OptionList)
        options.clear_options()
        found = search(dict(self.forms), query)
        options.add_options([Option(f"[b]{f.procedure}[/b]  [dim]{_duration(f)}[/dim]", id=f.id)
                             for f in found])
        if found:
            options.highlighted = 0

    @on(Input.Changed, "#procedure-search")
    def _search(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#procedure-search")
    def _submit(self, event: Input.Submitted) -> None:
        options = self.query_one("#procedure-list", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            self.post_message(self.Picked(str(option.id)))
        else:
            self.app.notify("Không có thủ tục nào khớp với từ đã gõ.", severity="warning")

    @on(OptionList.OptionSelected, "#procedure-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(str(event.option.id)))

    def action_move(self, step: int) -> None:
        """Move the highlight while typing in the search field."""
        options = self.query_one("#procedure-list", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))
