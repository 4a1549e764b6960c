"""One form field: label, input (or choice list), "from the card" mark and the reason it is refused."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.markup import escape
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select

from counter.law.forms import FieldDef

PLACEHOLDERS = {"date": "ngày/tháng/năm", "year": "năm, ví dụ 1990", "integer": "số", "phone": "0xxxxxxxxx",
                "id_number": "12 chữ số"}


class FieldRow(Vertical):
    """A labelled field; posts Edited when the clerk changes it."""

    class Edited(Message):
        """The clerk changed the value of field `field_id`."""

        def __init__(self, field_id: str, value: str) -> None:
            super().__init__()
            self.field_id = field_id
            self.value = value

    def __init__(self, field_def: FieldDef, value: str) -> None:
        super().__init__(id=f"row-{field_def.id}", classes="field-row")
        self.field_def = field_def
        self._initial = value
        self._state: tuple[bool, str | None] = (False, None)

    def compose(self) -> ComposeResult:
        """Label and input on one line, the reason for a refusal under the input."""
        field_def = self.field_def
        with Horizontal(classes="field-line"):
            mark = " [b $error]*[/]" if field_def.required else ""
            yield Label(field_def.label + mark, classes="field-label")
            if field_def.type == "choice":
                yield Select([(c, c) for c in field_def.choices], prompt="— chọn —", id=f"f-{field_def.id}",
                             value=self._initial if self._initial in field_def.choices else Select.NULL,
                             classes="field-input", compact=True)
            else:
                yield Input(self._initial, placeholder=PLACEHOLDERS.get(field_def.type, field_def.help),
                            id=f"f-{field_def.id}", classes="field-input", compact=True)
            yield Label("từ thẻ", classes="card-mark")
        yield Label("", classes="field-error")
        yield Label("", classes="field-more")

    def on_mount(self) -> None:
        """Show a value too long for its box in full once the box has its size."""
        self.call_after_refresh(self._show_overflow)

    def on_resize(self, event: events.Resize) -> None:
        """A narrower terminal may cut a value that fitted before."""
        self.call_after_refresh(self._show_overflow)

    def _show_overflow(self) -> None:
        """Repeat the whole value under its box when the box is too narrow to show it (80-column screens)."""
        widget = self.query_one(f"#f-{self.field_def.id}")
        if not isinstance(widget, Input) or not widget.content_size.width:
            return
        value = widget.value
        cut = cell_len(value) >= widget.content_size.width
        self.query_one(".field-more", Label).update(escape(value) if cut else "")
        self.set_class(cut, "-overflow")

    @property
    def value(self) -> str:
        """The value as shown."""
        widget = self.query_one(f"#f-{self.field_def.id}")
        if isinstance(widget, Select):
            return "" if widget.value is Select.NULL else str(widget.value)
        assert isinstance(widget, Input)
        return widget.value

    def show_value(self, value: str) -> None:
        """Put a value into the field (from a scan), keeping the cursor at its end."""
        widget = self.query_one(f"#f-{self.field_def.id}")
        if isinstance(widget, Select):
            widget.value = value if value in self.field_def.choices else Select.NULL
        elif isinstance(widget, Input) and widget.value != value:
            widget.value = value
            widget.cursor_position = len(value)

    def show_state(self, from_card: bool, error: str | None) -> None:
        """Mark a value as coming from the card, and show or clear the refusal reason."""
        state = (from_card, error)
        if state == self._state:
            return
        self._state = state
        self.set_class(from_card, "-from-card")
        self.set_class(bool(error), "-invalid")
        self.query_one(".field-error", Label).update(error or "")

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        event.stop()
        value = "" if event.value is Select.NULL else str(event.value)
        self.post_message(self.Edited(self.field_def.id, value))
        self._show_overflow()

    def focus_input(self) -> None:
        """Move the cursor into this field."""
        self.query_one(f"#f-{self.field_def.id}").focus()
