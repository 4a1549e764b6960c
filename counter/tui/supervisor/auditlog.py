"""The audit log for supervisors: read-only, filtered by clerk, start day and action."""

from __future__ import annotations

from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, Label

from counter.law.forms import parse_date
from counter.services import auditlog
from counter.services.auditlog import AuditEntry
from counter.tui.supervisor.audit_words import action_label, subject_label
from counter.tui.supervisor.base import Pane


class AuditRead(Message):
    """Entries matching the filters, newest first."""

    def __init__(self, entries: list[AuditEntry]) -> None:
        super().__init__()
        self.entries = entries


class AuditPane(Pane):
    """Filter fields (Enter applies) and the entries; nothing here can change the log."""

    def compose(self) -> ComposeResult:
        """Filters, a title and the table."""
        with Horizontal(classes="filters"):
            yield Input(placeholder="Cán bộ", id="a-clerk", classes="filter-text")
            yield Input(placeholder="Từ ngày (dd/mm/yyyy)", id="a-since", classes="filter-date")
            yield Input(placeholder="Mã thao tác (view, status, sign_in…)", id="a-action", classes="filter-text")
            yield Input(placeholder="Mã hồ sơ / tài khoản", id="a-subject", classes="filter-text")
        yield Label("", id="a-title", classes="panel-title")
        yield DataTable(id="a-table", zebra_stripes=True)

    def on_mount(self) -> None:
        """Declare the columns."""
        self.query_one(DataTable).add_columns("Thời điểm", "Cán bộ", "Thao tác", "Đối tượng", "Mã", "Chi tiết")

    def load(self) -> None:
        """Read the entries with the current filters."""
        text = {key: self.query_one(f"#a-{key}", Input).value.strip() for key in ("clerk", "since", "action",
                                                                                  "subject")}
        since = None
        if text["since"]:
            day = parse_date(text["since"])
            if day is None:
                self.app.notify("Ngày không hợp lệ; gõ dạng dd/mm/yyyy.", severity="error")
                return
            since = datetime.combine(day, datetime.min.time())
        self._read(text["clerk"] or None, since, text["action"] or None, text["subject"] or None)

    @work(thread=True, group="sup-audit", exclusive=True, exit_on_error=False)
    def _read(self, clerk: str | None, since: datetime | None, action: str | None, subject: str | None) -> None:
        found = auditlog.entries(self.desk.ctx, clerk=clerk, since=since, action=action, subject=subject)
        self.post_message(AuditRead(found))

    def on_audit_read(self, message: AuditRead) -> None:
        """Fill the table."""
        message.stop()
        shown = len(message.entries)
        self.query_one("#a-title", Label).update(f"{shown} dòng (mới nhất trước; nhật ký chỉ đọc, không sửa được)")
        table = self.query_one(DataTable)
        table.clear()
        for e in message.entries:
            table.add_row(f"{e.at:%d/%m/%Y %H:%M:%S}", e.clerk, action_label(e.action), subject_label(e.subject_kind),
                          e.subject_ref, e.detail)

    @on(Input.Submitted)
    def _apply(self, event: Input.Submitted) -> None:
        event.stop()
        self.load()
