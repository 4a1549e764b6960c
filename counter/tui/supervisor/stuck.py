"""Stuck work: dossiers not yet sent to the province and for how long, refused events, quiet counters."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Label

from counter.reporting import reports
from counter.tui.messages import OpenDossier
from counter.tui.supervisor.base import Pane
from sync.protocol import printable


class StuckRead(Message):
    """What is stuck, as read."""

    def __init__(self, work: reports.StuckWork) -> None:
        super().__init__()
        self.work = work


class StuckPane(Pane):
    """Three tables: unsent dossiers (longest wait first), refused and held events, counters by last event."""

    def compose(self) -> ComposeResult:
        """Titles and tables."""
        yield Label("", id="s-unsent-title", classes="panel-title")
        yield DataTable(id="s-unsent", cursor_type="row", zebra_stripes=True)
        yield Label("", id="s-quarantine-title", classes="panel-title")
        yield DataTable(id="s-quarantine", cursor_type="row", zebra_stripes=True)
        yield Label("Các quầy — lần cuối có sự kiện", classes="panel-title")
        yield DataTable(id="s-counters", zebra_stripes=True)

    def on_mount(self) -> None:
        """Declare the columns."""
        self.query_one("#s-unsent", DataTable).add_columns("Mã hồ sơ", "Quầy", "Cán bộ", "Sự kiện chờ", "Chờ từ",
                                                           "Đã chờ")
        self.query_one("#s-quarantine", DataTable).add_columns("Mã hồ sơ", "Loại", "Lúc", "Quầy", "Lý do tỉnh từ chối")
        self.query_one("#s-counters", DataTable).add_columns("Quầy", "Lần cuối", "Tình trạng")

    def load(self) -> None:
        """Read the stuck work."""
        self._read()

    @work(thread=True, group="sup-stuck", exclusive=True, exit_on_error=False)
    def _read(self) -> None:
        from counter.services.reports import stuck

        self.post_message(StuckRead(stuck(self.desk.ctx)))

    def on_stuck_read(self, message: StuckRead) -> None:
        """Fill the three tables."""
        message.stop()
        stuck = message.work
        self.query_one("#s-unsent-title", Label).update(f"Chưa gửi lên tỉnh: {len(stuck.unsent)} hồ sơ")
        self.query_one("#s-quarantine-title", Label).update(
            f"Bị hệ thống tỉnh từ chối: {len(stuck.quarantined)} sự kiện; "
            f"nhận về nhưng quầy giữ lại: {len(stuck.held)} sự kiện")
        unsent = self.query_one("#s-unsent", DataTable)
        unsent.clear()
        for u in stuck.unsent:
            unsent.add_row(u.code, u.counter, u.clerk, u.pending_events, f"{u.oldest_at:%H:%M %d/%m/%Y}",
                           reports.waited(u.waiting), key=u.code)
        quarantine = self.query_one("#s-quarantine", DataTable)
        quarantine.clear()
        for q in stuck.quarantined:
            quarantine.add_row(q.code, q.type, f"{q.occurred_at:%H:%M %d/%m/%Y}", q.counter,
                               Text(q.reason, style="bold red"), key=q.event_id)
        for h in stuck.held:
            quarantine.add_row(printable(h.code), f"nhận về: {printable(h.type)}", f"{h.held_at:%H:%M %d/%m/%Y}",
                               printable(h.counter), Text(f"Quầy giữ lại: {printable(h.reason, 300)}",
                                                          style="bold red"), key=h.event_id)
        for number, conflict in enumerate(stuck.identity_conflicts):
            reason = (f"Khác thông tin quầy đang giữ ở: {printable(conflict.fields)} "
                      f"(tên trong hồ sơ: {printable(conflict.pulled_name, 80)})")
            quarantine.add_row(printable(conflict.code), f"công dân {conflict.masked_id}",
                               f"{conflict.noted_at:%H:%M %d/%m/%Y}", printable(conflict.counter),
                               Text(reason, style="bold red"), key=f"conflict-{number}")
        counters = self.query_one("#s-counters", DataTable)
        counters.clear()
        for c in stuck.counters:
            state = Text("lâu không liên lạc", style="bold red") if c.silent else Text("bình thường")
            counters.add_row(c.counter, f"{c.last_event_at:%H:%M %d/%m/%Y}", state)

    @on(DataTable.RowSelected, "#s-unsent")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.post_message(OpenDossier(str(event.row_key.value)))
