"""The correction dialog: choose a field, type its new value and the reason; the core checks it again."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, Select

from counter.law.forms import FormDef, display_value
from counter.tui.lifecycle.dialogs import LifecycleDialog


class CorrectDialog(LifecycleDialog):
    """Correct one field of an open dossier (old value shown, reason required); refusals stay in the dialog."""

    TITLE_TEXT = "Sửa thông tin hồ sơ"

    def __init__(self, detail: dict[str, Any], form: FormDef) -> None:
        super().__init__(detail)
        self.form = form

    def compose_fields(self) -> ComposeResult:
        """The field, its new value and the reason."""
        roles = {r.id: r.label for r in self.form.roles}
        choices = [(f"{roles[f.role] + ' — ' if f.role else ''}{f.label}", f.id) for f in self.form.fields]
        yield Select(choices, prompt="— chọn trường cần sửa —", id="lc-field")
        yield Label("", id="lc-old", classes="hint")
        yield Input(placeholder="Giá trị mới", id="lc-value")
        yield Input(placeholder="Lý do sửa (bắt buộc)", id="lc-reason")

    def on_mount(self) -> None:
        """Start on the field choice."""
        self.query_one("#lc-field").focus()

    @on(Select.Changed, "#lc-field")
    def _field_chosen(self, event: Select.Changed) -> None:
        if event.value is Select.NULL:
            return
        field_def = self.form.field(str(event.value))
        old = display_value(field_def, str(self.detail["values"].get(field_def.id, "")))
        self.query_one("#lc-old", Label).update(f"Đang ghi: {old or '(trống)'}")
        self.query_one("#lc-value", Input).value = old
        self.query_one("#lc-value").focus()

    @on(Input.Submitted, "#lc-value")
    def _next(self) -> None:
        self.query_one("#lc-reason").focus()

    @on(Input.Submitted, "#lc-reason")
    def _go(self) -> None:
        self.submit()

    def act(self, values: dict[str, str]) -> None:
        """Record the correction through the one service the CLI also calls."""
        from counter.records.dossiers import DossierInvalid, TransitionRefused
        from counter.services.corrections import correct

        field_id = values["lc-field"]
        if field_id not in {f.id for f in self.form.fields}:
            raise TransitionRefused("Chọn trường cần sửa.")
        desk = self.desk
        try:
            correct(desk.ctx, self.code, {field_id: values["lc-value"]}, values["lc-reason"], desk.clerk)
        except DossierInvalid as exc:
            raise TransitionRefused(" ".join(exc.errors.values())) from None
