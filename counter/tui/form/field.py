"""One form field: label, input (or choice list), "from the card" mark and the reason it is refused."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, Select

from counter.forms import FieldDef

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
        self.set_class(from_card, "-from-card")
        self.set_class(bool(error), "-invalid")
        self.query_one(".field-error", Label).update(error or "")

    @on(Input.Changed)
    @on(Select.Changed)
    def _changed(self, event: Any) -> None:
        event.stop()
        self.post_message(self.Edited(self.field_def.id, self.value))

    def focus_input(self) -> None:
        """Move the cursor into this field."""
        self.query_one(f"#f-{self.field_def.id}").focus()
