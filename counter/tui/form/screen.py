"""The form screen: sections per role, prefilled from scans, checked inline, saved in one transaction."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Label, Select

from counter.citizens.identity import Identity
from counter.errors import CounterError
from counter.records.dossiers import contact_error
from counter.tui.common.screen import CounterScreen
from counter.tui.form.address import AddressRow, field_row
from counter.tui.form.body import FormBody
from counter.tui.form.draft import Draft, RolesFull
from counter.tui.form.field import FieldRow
from counter.tui.form.handin import HandIn
from counter.tui.form.papers import FormPapers, PapersLoaded
from counter.tui.messages import CitizenViewed, SetStatus, ShowReceipt

REMOVE = "__remove__"


class DossierSaved(Message):
    """The dossier was stored; `dossier` is its row."""

    def __init__(self, dossier: Any) -> None:
        super().__init__()
        self.dossier = dossier


class SaveRefused(Message):
    """The core refused the dossier: field reasons by id, and one sentence."""

    def __init__(self, errors: dict[str, str], message: str) -> None:
        super().__init__()
        self.errors = errors
        self.message = message


class FormScreen(CounterScreen):
    """One declaration form for the citizen(s) at the counter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "save", "Lưu hồ sơ", id="save", tooltip="Kiểm tra và lưu hồ sơ, in giấy tiếp nhận"),
        Binding("ctrl+s", "save", "Lưu hồ sơ", show=False),
        Binding("f7", "role", "Vai trò", id="role", tooltip="Chọn vai trò của người vừa quét thẻ"),
        Binding("escape", "back", "Quay lại", id="back", tooltip="Về quầy; tờ khai đang nhập được giữ lại"),
        Binding("ctrl+o", "attach", "Đính kèm", id="attach", tooltip="Đính kèm bản quét giấy tờ nộp (lưu cùng hồ sơ)"),
        Binding("ctrl+t", "reuse", "Dùng lại", id="reuse",
                tooltip="Gắn bản số hóa đã có của người trong tờ khai, không quét lại"),
        Binding("f6", "exemption", "Diện miễn", id="exemption",
                tooltip="Chọn diện được miễn phí, lệ phí của người nộp (bấm tiếp để đổi, hết danh sách là bỏ)"),
    ]

    def __init__(self, draft: Draft) -> None:
        super().__init__()
        self.draft = draft
        self.SCREEN_TITLE = draft.form.title
        self.touched: set[str] = set()
        """Fields the clerk has edited (their problems are shown at once)."""
        self.check_all = False
        """True after a save attempt: every problem is shown."""
        self.saving = False
        self._texts: dict[str, str] = {}
        self.papers = FormPapers()
        self.allowed_exemptions: tuple[str, ...] = ()
        """The exemption categories the fee on screen allows (F6 cycles through them)."""

    def compose_body(self) -> ComposeResult:
        """Head (procedure, role of the last scan), then one section per role and the general fields."""
        form = self.draft.form
        self.draft.apply_cards()
        with Vertical(id="form-head", classes="panel"):
            yield Label(f"[b]{escape(form.procedure)}[/b] · {form.processing_label}", id="form-procedure")
            yield Label("", id="form-fee")
            with Horizontal(id="role-line"):
                yield Label("", id="last-person")
                choices = [(r.label, r.id) for r in form.scan_roles] + [("Bỏ người này khỏi tờ khai", REMOVE)]
                yield Select(choices, allow_blank=True, prompt="—", id="role-select", compact=True)
            yield Label("", id="scan-hint", classes="hint")
            yield Label("", id="papers-hint", classes="hint")
        with FormBody(id="form-body"):
            for role in form.roles:
                yield Label("", id=f"section-{role.id}", classes="section-title")
                for field_def in form.fields_of(role.id):
                    yield field_row(field_def, self.draft.values.get(field_def.id, ""))
            general = form.fields_of("")
            if general:
                yield Label("Thông tin chung", classes="section-title")
                for field_def in general:
                    yield field_row(field_def, self.draft.values.get(field_def.id, ""))
            yield HandIn(form, self.draft.documents, self.draft.phone, self.draft.consent)

    def on_mount(self) -> None:
        """Show who fills what (and papers digitised earlier for them); start in the first empty field."""
        self._refresh()
        for person in self.draft.people.values():
            self._load_papers(person.id_number)
        first_empty = next((r for r in self.query(FieldRow) if not r.value), None)
        (first_empty or self.query(FieldRow).first()).focus_input()

    # -- people and roles ------------------------------------------------------------------------

    def take_person(self, person: Identity) -> None:
        """A scan while this form is open: the next person of the form."""
        self.add_person(person)

    def add_person(self, person: Identity) -> None:
        """A further scan: the person fills the next free role; nothing typed is touched."""
        try:
            role = self.draft.add_person(person)
        except RolesFull:
            self.notify("Mọi vai trò đã có người; nhấn F7 để đổi hoặc bỏ bớt người trước khi quét thêm.",
                        severity="warning", timeout=8)
            return
        detail = f"quét thẻ vào tờ khai {self.draft.form.id}"
        self.app.post_message(CitizenViewed(person.masked_id, detail))
        self._load_papers(person.id_number)
        self._refresh(f"Đã điền {escape(person.full_name)} vào phần “{self.draft.form.role(role).label}”. ")

    def _refresh(self, news: str = "") -> None:
        draft = self.draft
        for field_id in draft.apply_cards():
            self.query_one(f"#row-{field_id}", FieldRow).show_value(draft.values[field_id])
        self._show_states()
        for row in self.query(AddressRow):
            row.follow(draft)
        for role in draft.form.roles:
            person = draft.people.get(role.id)
            who = (f" — [b]{escape(person.full_name)}[/b] ({person.masked_id}), từ thẻ" if person
                   else (" — chưa quét thẻ" if role in draft.form.scan_roles else ""))
            self._set_text(f"#section-{role.id}", f"{escape(role.label)}{who}")
        select = self.query_one("#role-select", Select)
        last = draft.people.get(draft.last_role) if draft.last_role else None
        role_line = self.query_one("#role-line")
        if role_line.display != (last is not None):
            role_line.display = last is not None
        if last is not None and draft.last_role is not None:
            who = f"Người vừa quét: [b]{escape(last.full_name)}[/b] là"
            self._set_text("#last-person", who)
            if select.value != draft.last_role:
                select.value = draft.last_role
        free = draft.next_free_role()
        self._show_papers()
        self._set_text("#scan-hint", news + (
            f"Quét thẻ tiếp theo để điền phần “{draft.form.role(free).label}”." if free else
            ("Mọi phần có thể quét thẻ đã có người." if draft.form.scan_roles else "")))

    def _set_text(self, selector: str, text: str) -> None:
        """Update a label only when its text changes (each update costs a layout pass)."""
        if self._texts.get(selector) != text:
            self._texts[selector] = text
            self.query_one(selector, Label).update(text)

    def _show_fee(self) -> None:
        """The fee of what is on screen now, beside the fee line (or why it cannot be computed)."""
        ctx = self.desk.ctx
        shown = self.draft.fee_preview(ctx.now().date(), ctx.config.fees.amounts, ctx.config.source)
        self.allowed_exemptions = shown.allowed
        label = self.query_one("#form-fee", Label)
        label.set_class(shown.problem, "field-error")
        self._set_text("#form-fee", escape(shown.text))

    def _show_states(self) -> None:
        """Each field's mark and reason: its own problems once touched, the law's at once (core rules)."""
        self._show_fee()
        today = self.desk.ctx.now().date()
        errors, legal = self.draft.errors(today), self.draft.rule_errors(today)
        for row in self.query(FieldRow):
            field_id = row.field_def.id
            own = errors.get(field_id) if self.check_all or field_id in self.touched else None
            row.show_state(self.draft.from_card(field_id), own or legal.get(field_id))

    @on(Select.Changed, "#role-select")
    def _role_changed(self, event: Select.Changed) -> None:
        event.stop()
        draft = self.draft
        if draft.last_role is None or event.value is Select.NULL or event.value == draft.last_role:
            return
        if event.value == REMOVE:
            draft.remove_person(draft.last_role)
        else:
            draft.move_person(draft.last_role, str(event.value))
        self._refresh()

    @on(FieldRow.Edited)
    def _edited(self, event: FieldRow.Edited) -> None:
        if self.draft.values.get(event.field_id, "") == event.value and event.field_id not in self.touched:
            return
        self.draft.edit(event.field_id, event.value)
        self.touched.add(event.field_id)
        self._show_states()
        row = self.query_one(f"#row-{event.field_id}", FieldRow)
        if isinstance(row, AddressRow):
            row.follow(self.draft)

    @on(HandIn.Changed)
    def _hand_in_changed(self, event: HandIn.Changed) -> None:
        self.draft.documents = event.documents
        self.draft.phone = event.phone
        self.draft.consent = event.consent

    @on(AddressRow.Settled)
    def _address_settled(self, event: AddressRow.Settled) -> None:
        event.stop()
        self.draft.settle_address(event.field_id, event.value)
        row = self.query_one(f"#row-{event.field_id}", AddressRow)
        row.show_value(event.value.text)
        row.follow(self.draft)
        self._show_states()

    # -- papers ----------------------------------------------------------------------------------

    def _id_numbers(self) -> list[str]:
        return [p.id_number for p in self.draft.people.values()]

    @work(thread=True, group="papers", exit_on_error=False)
    def _load_papers(self, id_number: str) -> None:
        from counter.services.attachments import papers

        desk = self.desk
        try:
            found = papers(desk.ctx, id_number, desk.clerk)
        except CounterError:
            return  # an ID number the look-up refuses simply has no papers to offer
        self.post_message(PapersLoaded(id_number, found))

    def _show_papers(self) -> None:
        """The papers line, only when there are earlier papers to offer or scans waiting (the footer names Ctrl+O)."""
        text = self.papers.hint(self._id_numbers())
        self._set_text("#papers-hint", text)
        self.query_one("#papers-hint").display = bool(text)

    def on_papers_loaded(self, message: PapersLoaded) -> None:
        """Offer the citizen's earlier papers."""
        self.papers.known[message.id_number] = message.papers
        self._show_papers()

    def action_attach(self) -> None:
        """Check scans now; they are stored with the dossier when it is saved."""
        from counter.tui.attach.dialogs import AttachDialog

        dialog = AttachDialog(None)

        def checked(done: bool | None) -> None:
            if done:
                self.papers.scans.append(dialog.result)
                for warning in dialog.result.prepared.warnings:
                    self.notify(warning, severity="warning", timeout=10)
                self._show_papers()

        self.app.push_screen(dialog, checked)

    def action_reuse(self) -> None:
        """Choose an earlier paper of the people on the form, linked when the dossier is saved."""
        from counter.tui.attach.dialogs import ReuseDialog

        dialog = ReuseDialog(None, self.papers.offered(self._id_numbers()))

        def chosen(done: bool | None) -> None:
            if done and dialog.chosen is not None:
                self.papers.links.append(dialog.chosen)
                self._show_papers()

        self.app.push_screen(dialog, chosen)

    # -- actions ---------------------------------------------------------------------------------

    def action_role(self) -> None:
        """Focus the role chooser of the last scanned person."""
        if self.draft.last_role is None:
            self.notify("Chưa có người nào được quét vào tờ khai này.", severity="warning")
            return
        self.query_one("#role-select", Select).focus()

    def action_exemption(self) -> None:
        """Pick the next exemption category the fee allows, or none."""
        from counter.fees.exemptions import category

        if not self.allowed_exemptions and not self.draft.exemption:
            self.notify("Phí, lệ phí của thủ tục này không có diện miễn để chọn.", severity="warning")
            return
        picked = category(self.draft.next_exemption(self.allowed_exemptions))
        self._show_fee()
        self.notify(f"Diện miễn: {picked.label}." if picked else "Không miễn phí, lệ phí.", timeout=4)

    def action_back(self) -> None:
        """Back to the counter; the draft stays with the citizen."""
        self.dismiss()

    def action_save(self) -> None:
        """Check every field, then save in a worker."""
        if self.saving:
            return
        self.check_all = True
        today = self.desk.ctx.now().date()
        errors = {**self.draft.rule_errors(today), **self.draft.errors(today)}
        if contact_error(self.draft.phone, self.draft.consent):
            errors["phone"] = str(contact_error(self.draft.phone, self.draft.consent))
        self._show_states()
        if errors:
            self._refuse(errors, f"Còn {len(errors)} trường chưa hợp lệ; xem lý do ngay dưới từng trường.")
            return
        self.saving = True
        self.add_class("-saving")
        self._save()

    def _refuse(self, errors: dict[str, str], message: str) -> None:
        for row in self.query(FieldRow):
            if row.field_def.id in errors:
                row.show_state(self.draft.from_card(row.field_def.id), errors[row.field_def.id])
        first = next((r for r in self.query(FieldRow) if r.field_def.id in errors), None)
        if first is not None:
            first.focus_input()
        elif "phone" in errors:
            self.query_one("#hand-in-phone").focus()
        self.notify(message, title="Hồ sơ chưa lưu", severity="error", timeout=8)

    @work(thread=True, group="save", exclusive=True, exit_on_error=False)
    def _save(self) -> None:
        from counter.records.dossiers import DossierInvalid
        from counter.services.attachments import create_with_papers

        desk = self.desk
        try:
            draft = replace(self.draft.to_dossier_draft(), ticket=desk.ticket)
            dossier = create_with_papers(desk.ctx, draft, desk.clerk, self.papers.scans,
                                         [a.sha256 for a in self.papers.links])
        except DossierInvalid as exc:
            self.post_message(SaveRefused(exc.errors, f"Hồ sơ chưa lưu: {exc.message}"))
        except CounterError as exc:
            self.post_message(SaveRefused({}, exc.message))
        else:
            self.post_message(DossierSaved(dossier))

    def on_save_refused(self, message: SaveRefused) -> None:
        """Nothing was saved; everything typed is still on the form."""
        self.saving = False
        self.remove_class("-saving")
        self._refuse(message.errors, message.message)

    def on_dossier_saved(self, message: DossierSaved) -> None:
        """Saved: the app replaces this screen with the receipt (from its own queue, not this one's)."""
        self.saving = False
        desk = self.desk
        if desk.ticket:
            self.app.post_message(SetStatus("ticket", f"Số {desk.ticket}: đã lưu hồ sơ"))
            desk.ticket = ""
        self.app.post_message(ShowReceipt(message.dossier))
