"""What the citizen hands in: the documents ticked on the form, an optional phone number and the consent to notices."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Checkbox, Input, Label

from counter.law.forms import FormDef
from counter.records.dossiers import contact_error


class HandIn(Vertical):
    """Checkboxes for the form's documents (optional ones unticked at first), the phone number and the consent."""

    class Changed(Message):
        """The ticked documents, the phone number or the consent changed."""

        def __init__(self, documents: tuple[str, ...], phone: str, consent: bool) -> None:
            super().__init__()
            self.documents = documents
            self.phone = phone
            self.consent = consent

    def __init__(self, form: FormDef, ticked: tuple[str, ...] | None, phone: str, consent: bool = False) -> None:
        super().__init__(id="hand-in")
        self.all_documents = (*form.documents, *form.optional_documents)
        self.ticked = set(form.documents if ticked is None else ticked)
        self.phone = phone
        self.consent = consent

    def compose(self) -> ComposeResult:
        """One checkbox per document, the phone line with its reason when refused, then the consent box."""
        yield Label("Giấy tờ công dân đã nộp (in trên giấy tiếp nhận)", classes="section-title")
        for number, document in enumerate(self.all_documents):
            yield Checkbox(document, document in self.ticked, id=f"doc-{number}", compact=True)
        with Vertical(id="row-phone", classes="field-row"):
            with Horizontal(classes="field-line"):
                yield Label("Điện thoại (không bắt buộc)", classes="field-label")
                yield Input(self.phone, placeholder="0xxxxxxxxx", id="hand-in-phone", classes="field-input",
                            compact=True)
            yield Label("", id="hand-in-error", classes="field-error")
        yield Checkbox("Công dân đồng ý nhận tin nhắn báo tình trạng hồ sơ qua số di động này", self.consent,
                       id="hand-in-consent", compact=True)

    @on(Checkbox.Changed)
    @on(Input.Changed, "#hand-in-phone")
    def _changed(self, event: Checkbox.Changed | Input.Changed) -> None:
        event.stop()
        documents = tuple(d for n, d in enumerate(self.all_documents)
                          if self.query_one(f"#doc-{n}", Checkbox).value)
        phone = self.query_one("#hand-in-phone", Input).value
        consent = self.query_one("#hand-in-consent", Checkbox).value
        problem = contact_error(phone, consent)
        self.query_one("#row-phone").set_class(bool(problem), "-invalid")
        self.query_one("#hand-in-error", Label).update(problem or "")
        if isinstance(event, Checkbox.Changed) and event.checkbox.id == "hand-in-consent":
            box = event.checkbox  # the reason shown above it may push it out of view: bring it back once laid out
            self.set_timer(0.05, lambda: box.scroll_visible(animate=False))
        self.post_message(self.Changed(documents, phone, consent))
