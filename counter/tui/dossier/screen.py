"""Dossier view: read-only details and history. Actions (print, status, sync) add bindings here."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from counter.attachments.records import dpi_note
from counter.errors import CounterError
from counter.law.forms import display_value
from counter.records.history import field_label, history_lines
from counter.tui.common.screen import CounterScreen
from counter.tui.form.address import address_mark


class DossierLoaded(Message):
    """The details of a dossier (`detail` as from dossiers.detail_json), or why they could not be read."""

    def __init__(self, detail: dict[str, Any] | None, error: str = "", form: Any = None) -> None:
        super().__init__()
        self.detail = detail
        self.error = error
        self.form = form


def detail_text(detail: dict[str, Any], form: Any) -> str:
    """The dossier as console markup."""
    lines = [
        f"[b]{detail['code']}[/b]  {escape(form.procedure if form else detail['form'])}",
        f"Trạng thái:    [b]{escape(detail['status_label'])}[/b]"
        + ("  [dim](đã hẹn lại)[/dim]" if detail["rescheduled"] else ""),
        f"Tiếp nhận:     {_when(detail['received_at'])}"
        f"  (quầy {detail['counter']}, {escape(detail['clerk'])})",
        f"Hẹn trả:       {_when(detail['due_at'])}",
    ]
    if detail["finished_at"]:
        lines.append(f"Xử lý xong:    {_when(detail['finished_at'])}")
    if detail["returned_at"]:
        receiver = f" cho {escape(detail['returned_to'])}" if detail.get("returned_to") else ""
        lines.append(f"Đã trả:        {_when(detail['returned_at'])}{receiver}")
    lines.append(f"Gửi tỉnh:      {_sync_text(detail)}")
    lines += ["", "[b]Người liên quan[/b]"]
    for role, person in detail["people"].items():
        label = form.role(role).label if form and role in {r.id for r in form.roles} else role
        lines.append(f"  {escape(label)}: {escape(person['full_name'])} ({person['id_number']})")
    lines += ["", "[b]Nội dung tờ khai[/b]"]
    values = dict(detail["values"])
    if form is not None:
        sections = [(r.label, form.fields_of(r.id)) for r in form.roles]
        sections.append(("Thông tin chung", form.fields_of("")))
        for title, fields in sections:
            shown = [(f.label, display_value(f, values.pop(f.id)) + address_mark(detail, f.id))
                     for f in fields if f.id in values]
            if shown:
                lines.append(f"  [u]{escape(title)}[/u]")
                lines += [f"    {escape(label)}: {escape(value)}" for label, value in shown]
    lines += [f"  {escape(field_id)}: {escape(value)}" for field_id, value in values.items()]
    lines += ["", "[b]Tệp đính kèm[/b] (Ctrl+O: đính kèm bản quét · Ctrl+T: dùng lại bản số hóa)"]
    lines += [f"  {a['n']}. {escape(a['title'])} — {'kết quả' if a['kind'] == 'result' else 'thành phần'}, "
              f"{a['pages']} trang, {max(1, a['bytes'] // 1024)} KB"
              + dpi_note(a["dpi"])
              + (f", dùng lại từ {a['reused_from']}" if a["reused_from"] else "")
              for a in detail.get("attachments", [])] or ["  (chưa có)"]
    lines += ["", "[b]Lịch sử[/b]"]
    lines += [f"  {escape(line)}" for line in history_lines(detail["events"], field_label(form))]
    return "\n".join(lines)


def _sync_text(detail: dict[str, Any]) -> str:
    """Whether the dossier has reached the province, or why the province refused part of it."""
    if detail["synced"]:
        return "đã gửi"
    if detail.get("sync_rejected"):
        return f"[b $error]bị tỉnh từ chối[/]: {escape(detail['sync_rejected'])}"
    return "[b $warning]chưa gửi[/]"


def _when(iso: str) -> str:
    return f"{iso[11:16]} {iso[8:10]}/{iso[5:7]}/{iso[:4]}"


class DossierScreen(CounterScreen):
    """One dossier, read-only. Subclass or extend BINDINGS to add actions on `self.code`."""

    SCREEN_TITLE = "Hồ sơ"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Quay lại", id="back"),
        Binding("f8", "reload", "Tải lại", id="reload", show=False),
        Binding("f7", "print", "In giấy tờ", id="print", tooltip="In lại giấy tiếp nhận, tờ khai hoặc phiếu"),
        Binding("f2", "change_status", "Trạng thái", id="change_status", tooltip="Chuyển trạng thái, kèm lý do"),
        Binding("f6", "reschedule", "Hẹn lại", id="reschedule", tooltip="Hẹn lại ngày trả (một lần, kèm lý do)"),
        Binding("ctrl+r", "return_result", "Trả kết quả", id="return_result",
                tooltip="Trả kết quả, ghi người nhận"),
        Binding("ctrl+e", "correct", "Sửa thông tin", id="correct",
                tooltip="Sửa giá trị một trường của hồ sơ đang giải quyết, ghi lý do"),
        Binding("ctrl+o", "attach", "Đính kèm", id="attach",
                tooltip="Đính kèm bản quét từ thư mục máy quét hoặc một đường dẫn"),
        Binding("ctrl+t", "reuse", "Dùng lại", id="reuse",
                tooltip="Gắn bản số hóa đã có của người trong hồ sơ, không quét lại"),
        Binding("ctrl+n", "pay", "Thu phí", id="pay", tooltip="Ghi nhận công dân đã nộp phí, lệ phí; in biên lai"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.detail: dict[str, Any] | None = None
        """The dossier as last read (None until loaded)."""
        self.form: Any = None
        """The form version the dossier was taken on (None until loaded or when unknown)."""

    def compose_body(self) -> ComposeResult:
        """The details, scrollable."""
        with VerticalScroll(id="dossier-body", classes="panel"):
            yield Static(f"Đang mở hồ sơ {self.code}…", id="dossier-text")

    def on_mount(self) -> None:
        """Read the dossier."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the dossier again (after an action changed it)."""
        self._load()

    @work(thread=True, group="dossier", exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        from counter.services.dossier_view import view

        desk = self.desk
        try:
            seen = view(desk.ctx, self.code, desk.clerk)
        except CounterError as exc:
            self.post_message(DossierLoaded(None, exc.message))
        else:
            self.post_message(DossierLoaded(seen.detail, form=seen.form))

    def on_dossier_loaded(self, message: DossierLoaded) -> None:
        """Show what was read."""
        text = self.query_one("#dossier-text", Static)
        if message.detail is None:
            text.update(f"[b $error]{escape(message.error)}[/]")
            return
        self.detail = message.detail
        self.form = message.form
        self.code = message.detail["code"]
        text.update(detail_text(message.detail, message.form))

    def action_print(self) -> None:
        """Reprint or save as PDF any document of this dossier."""
        from counter.tui.printing.screen import open_print_dialog

        open_print_dialog(self, self.code, "receipt")

    def action_back(self) -> None:
        """Back to where the clerk was."""
        self.dismiss()

    def _lifecycle(self, dialog: type[Any]) -> None:
        if self.detail is not None:
            self.app.push_screen(dialog(self.detail), lambda changed: self.action_reload() if changed else None)

    def action_change_status(self) -> None:
        """Move the dossier to another status (with the reason)."""
        from counter.tui.lifecycle.dialogs import StatusDialog

        self._lifecycle(StatusDialog)

    def action_reschedule(self) -> None:
        """Set a new due day once, with the apology's reason."""
        from counter.tui.lifecycle.dialogs import RescheduleDialog

        self._lifecycle(RescheduleDialog)

    def action_return_result(self) -> None:
        """Hand over the result and note who received it."""
        from counter.tui.lifecycle.dialogs import ReturnDialog
        from counter.tui.printing.screen import open_print_dialog

        def handed_over(changed: bool | None) -> None:
            if changed:
                self.action_reload()
                open_print_dialog(self, self.code, "handover")

        if self.detail is not None:
            self.app.push_screen(ReturnDialog(self.detail), handed_over)

    def action_attach(self) -> None:
        """Attach scans from the scanner's folder or a typed path."""
        from counter.tui.attach.dialogs import AttachDialog

        dialog = AttachDialog(self.code)

        def attached(changed: bool | None) -> None:
            if changed:
                for warning in dialog.result.warnings:
                    self.notify(warning, severity="warning", timeout=10)
                self.action_reload()

        self.app.push_screen(dialog, attached)

    def action_reuse(self) -> None:
        """Link a paper digitised earlier for one of the dossier's people."""
        self._papers()

    @work(thread=True, group="papers", exclusive=True, exit_on_error=False)
    def _papers(self) -> None:
        from counter.services.attachments import papers_for_dossier
        from counter.tui.attach.dialogs import ReuseDialog

        desk = self.desk
        try:
            found = papers_for_dossier(desk.ctx, self.code, desk.clerk)
        except CounterError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self.app.push_screen, ReuseDialog(self.code, found),
                             lambda changed: self.action_reload() if changed else None)
    def action_pay(self) -> None:
        """Take the dossier's fee (cash or transfer), then offer the fee receipt."""
        from counter.tui.fees.dialog import open_pay_dialog

        if self.detail is not None:
            open_pay_dialog(self, self.detail, self.action_reload)

    def action_correct(self) -> None:
        """Correct a field of the open dossier, with the reason (the rules run again)."""
        from counter.tui.dossier.correct import CorrectDialog

        if self.detail is not None and self.form is not None:
            form = self.form
            self.app.push_screen(CorrectDialog(self.detail, form),
                                 lambda changed: self.action_reload() if changed else None)
