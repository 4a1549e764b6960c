"""What the citizen hands in: the documents ticked on the form and an optional phone number for the receipt."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label

from counter.law.forms import FormDef
from counter.records.dossiers import phone_error


class HandIn(Vertical):
    """Checkboxes for the form's documents (optional ones unticked at first) and the phone number."""

    class Changed(Message):
        """The ticked documents or the phone number changed."""

        def __init__(self, documents: tuple[str, ...], phone: str) -> None:
            super().__init__()
            self.documents = documents
            self.phone = phone

    def __init__(self, form: FormDef, ticked: tuple[str, ...] | None, phone: str) -> None:
        super().__init__(id="hand-in")
        self.all_documents = (*form.documents, *form.optional_documents)
        self.ticked = set(form.documents if ticked is None else ticked)
        self.phone = phone

    def compose(self) -> ComposeResult:
        """One checkbox per document, then the phone line and its reason when refused."""
        yield Label("Giấy tờ công dân đã nộp (in trên giấy tiếp nhận)", classes="section-title")
        for number, document in enumerate(self.all_documents):
            yield Checkbox(document, document in self.ticked, id=f"doc-{number}", compact=True)
        with Vertical(id="row-phone", classes="field-row"):
            with Horizontal(classes="field-line"):
                yield Label("Điện thoại (không bắt buộc)", classes="field-label")
                yield Input(self.phone, placeholder="0xxxxxxxxx", id="hand-in-phone", classes="field-input",
                            compact=True)
            yield Label("", id="hand-in-error", classes="field-error")

    @on(Checkbox.Changed)
    @on(Input.Changed, "#hand-in-phone")
    def _changed(self, event: Checkbox.Changed | Input.Changed) -> None:
        event.stop()
        documents = tuple(d for n, d in enumerate(self.all_documents) if self.query_one(f"#doc-{n}", Checkbox).value)
        phone = self.query_one("#hand-in-phone", Input).value
        self.query_one("#row-phone").set_class(bool(phone_error(phone)), "-invalid")
        self.query_one("#hand-in-error", Label).update(phone_error(phone) or "")
        self.post_message(self.Changed(documents, phone))
