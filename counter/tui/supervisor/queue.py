"""Supervisor queue: one day's dossiers across all counters, filtered, overdue and due-soon highlighted."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select

from counter.fees.words import figures
from counter.law import lifecycle
from counter.law.forms import parse_date
from counter.reporting import reports
from counter.tui.common.dossier_table import due_cell
from counter.tui.common.fitted import Column, FittedTable
from counter.tui.messages import OpenDossier
from counter.tui.supervisor.base import Pane

ALL = "*"
SCOPES = [("Nhận trong ngày", reports.QUEUE_RECEIVED), ("Còn đang xử lý", reports.QUEUE_OPEN)]
STATUSES = [("Mọi trạng thái", ALL), ("Quá hạn", "overdue"), ("Sắp đến hạn", "due_soon"),
            *((label, status) for status, label in lifecycle.STATUS_LABELS.items())]
DEADLINE_STYLES = {"overdue": ("bold red", "quá hạn"), "due_soon": ("yellow", "sắp đến hạn")}


class QueueTable(FittedTable):
    """Code, applicant and status stay whole at 80 columns; the rest is shortened, then left out."""

    COLUMNS = (Column("Mã hồ sơ", keep=True), Column("Người nộp", keep=True), Column("Trạng thái", keep=True),
               Column("Hẹn trả"), Column("Thủ tục"), Column("Cán bộ"), Column("Quầy"), Column("Gửi tỉnh"))


class QueueRead(Message):
    """Rows of the queue and the choices for the clerk and counter filters."""

    def __init__(self, day: date, rows: list[reports.QueueRow], clerks: list[str], counters: list[str],
                 cash: int) -> None:
        super().__init__()
        self.day = day
        self.rows = rows
        self.clerks = clerks
        self.counters = counters
        self.cash = cash
        """Cash taken less cash given back on that day (all counters this store holds)."""


class QueuePane(Pane):
    """Filters on one line, the day's title, and the table; Enter opens a dossier."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day: date | None = None
        self._filled = False

    def compose(self) -> ComposeResult:
        """The filter line, a title and the table."""
        with Grid(id="q-filters"):
            yield Input(placeholder="Ngày (dd/mm/yyyy)", id="q-date", classes="filter-date", compact=True)
            yield Select(SCOPES, value=reports.QUEUE_RECEIVED, allow_blank=False, id="q-scope", compact=True)
            yield Select(STATUSES, value=ALL, allow_blank=False, id="q-status", compact=True)
            yield Select([("Mọi thủ tục", ALL)], value=ALL, allow_blank=False, id="q-form", compact=True)
            yield Select([("Mọi cán bộ", ALL)], value=ALL, allow_blank=False, id="q-clerk", compact=True)
            yield Select([("Mọi quầy", ALL)], value=ALL, allow_blank=False, id="q-counter", compact=True)
        yield Label("", id="q-title", classes="panel-title")
        yield QueueTable(id="q-table")

    def load(self, day: date | None = None) -> None:
        """Read the queue of `day` (default: the day shown, else today) with the current filters."""
        self.day = day or self.day or self.desk.ctx.now().date()
        self.query_one("#q-date", Input).value = f"{self.day:%d/%m/%Y}"
        filters = {key: self.query_one(f"#q-{key}", Select).value for key in ("status", "form", "clerk", "counter")}
        scope = str(self.query_one("#q-scope", Select).value)
        self._read(self.day, scope, {k: (None if v == ALL else str(v)) for k, v in filters.items()}, not self._filled)

    def shift(self, steps: int) -> None:
        """Show the previous or next day."""
        if self.day is not None:
            self.load(self.day + timedelta(days=steps))

    @work(thread=True, group="sup-queue", exclusive=True, exit_on_error=False)
    def _read(self, day: date, scope: str, filters: dict[str, str | None], with_choices: bool) -> None:
        from counter.services import reports as views

        desk = self.desk
        seen = views.queue(desk.ctx, desk.clerk, day, scope=scope, status=filters["status"], form_id=filters["form"],
                           clerk=filters["clerk"], counter=filters["counter"], with_choices=with_choices)
        self.post_message(QueueRead(day, seen.rows, seen.clerks, seen.counters, seen.cash))

    def on_queue_read(self, message: QueueRead) -> None:
        """Fill the filter choices once, then the table."""
        message.stop()
        forms = self.desk.ctx.forms
        if not self._filled:
            self._filled = True
            self.query_one("#q-form", Select).set_options(
                [("Mọi thủ tục", ALL), *((f.procedure, f.id) for f in forms.values())])
            self.query_one("#q-clerk", Select).set_options([("Mọi cán bộ", ALL), *((c, c) for c in message.clerks)])
            self.query_one("#q-counter", Select).set_options(
                [("Mọi quầy", ALL), *((f"Quầy {c}", c) for c in message.counters)])
        late = sum(r.deadline == "overdue" for r in message.rows)
        soon = sum(r.deadline == "due_soon" for r in message.rows)
        self.query_one("#q-title", Label).update(
            f"Ngày {message.day:%d/%m/%Y} · {len(message.rows)} hồ sơ · {late} quá hạn · {soon} sắp đến hạn"
            f" · tiền mặt {figures(message.cash)}   (F6/F7 ngày trước/sau, Enter mở hồ sơ)")
        rows = []
        for row in message.rows:
            style, note = DEADLINE_STYLES.get(row.deadline, ("", ""))
            form = forms.get(row.form_id)
            status = lifecycle.label(row.status) + (f" · {note}" if note else "")
            rows.append((row.code, [row.code, (f"{row.applicant} ({row.applicant_id})", row.applicant),
                                    Text(status, style=style), due_cell(row.due_at, style),
                                    form.procedure if form else row.form_id, row.clerk, row.counter,
                                    "đã gửi" if row.synced else Text("chưa gửi", style="yellow")]))
        self.query_one(QueueTable).set_rows(rows)

    @on(Input.Submitted, "#q-date")
    def _date_typed(self, event: Input.Submitted) -> None:
        day = parse_date(event.value)
        if day is None:
            self.app.notify("Ngày không hợp lệ; gõ dạng dd/mm/yyyy.", severity="error")
            return
        self.load(day)

    @on(Select.Changed)
    def _filter_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.day is not None:
            self.load()

    @on(DataTable.RowSelected, "#q-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.post_message(OpenDossier(str(event.row_key.value)))
