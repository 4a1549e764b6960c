"""Supervisor queue: one day's dossiers across all counters, filtered, overdue and due-soon highlighted."""

from __future__ import annotations

from datetime import date, timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select

from counter.law import lifecycle
from counter.law.forms import parse_date
from counter.reporting import reports
from counter.tui.supervisor.base import Pane

ALL = "*"
SCOPES = [("Nhận trong ngày", reports.QUEUE_RECEIVED), ("Còn đang xử lý", reports.QUEUE_OPEN)]
STATUSES = [("Mọi trạng thái", ALL), ("Quá hạn", "overdue"), ("Sắp đến hạn", "due_soon"),
            *((label, status) for status, label in lifecycle.STATUS_LABELS.items())]
COLUMNS = ("Mã hồ sơ", "Trạng thái", "Hẹn trả", "Thủ tục", "Người nộp", "Cán bộ", "Quầy", "Gửi tỉnh")
"""Status and due date right after the code, so that they stay on screen at 80–100 columns."""
PROCEDURE_WIDTH = 24
"""A procedure's name is cut to this many characters in the table (the filter list shows it in full)."""
DEADLINE_STYLES = {"overdue": ("bold red", "quá hạn"), "due_soon": ("yellow", "sắp đến hạn")}


def shorten(text: str, width: int) -> str:
    """`text` cut at a word to at most `width` characters, with "…" when cut."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0].rstrip(" /,")
    return cut + "…"


class QueueRead(Message):
    """Rows of the queue and the choices for the clerk and counter filters."""

    def __init__(self, day: date, rows: list[reports.QueueRow], clerks: list[str], counters: list[str]) -> None:
        super().__init__()
        self.day = day
        self.rows = rows
        self.clerks = clerks
        self.counters = counters


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
        yield DataTable(id="q-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Declare the columns."""
        self.query_one(DataTable).add_columns(*COLUMNS)

    def load(self, day: date | None = None) -> None:
        """Read the queue of `day` (default: the day shown, else today) with the current filters."""
        ctx = self.counter_app.ctx
        self.day = day or self.day or ctx.now().date()
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
        from sqlmodel import col, select

        from counter.custody import audit
        from counter.store.models import Dossier

        app = self.counter_app
        ctx = app.ctx
        now = ctx.now()
        with ctx.store.write() as session:
            rows = reports.queue(session, day, now, ctx.calendar, scope=scope, status=filters["status"],
                                 form_id=filters["form"], clerk=filters["clerk"], counter=filters["counter"])
            clerks, counters = [], []
            if with_choices:
                clerks = list(session.exec(select(Dossier.clerk).distinct().order_by(col(Dossier.clerk))))
                counters = list(session.exec(select(Dossier.counter_id).distinct().order_by(col(Dossier.counter_id))))
            audit.record(session, app.clerk, "view", "queue", day.isoformat(), f"{len(rows)} hồ sơ", at=now)
        self.post_message(QueueRead(day, rows, clerks, counters))

    def on_queue_read(self, message: QueueRead) -> None:
        """Fill the filter choices once, then the table."""
        message.stop()
        forms = self.counter_app.ctx.forms
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
            "   (F6/F7 ngày trước/sau, Enter mở hồ sơ)")
        table = self.query_one(DataTable)
        table.clear()
        for row in message.rows:
            style, note = DEADLINE_STYLES.get(row.deadline, ("", ""))
            form = forms.get(row.form_id)
            status = lifecycle.label(row.status) + (f" · {note}" if note else "")
            table.add_row(row.code, Text(status, style=style), Text(f"{row.due_at:%d/%m/%Y %H:%M}", style=style),
                          shorten(form.procedure if form else row.form_id, PROCEDURE_WIDTH),
                          f"{row.applicant} ({row.applicant_id})", row.clerk, row.counter,
                          "đã gửi" if row.synced else Text("chưa gửi", style="yellow"), key=row.code)

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
        self.counter_app.open_dossier(str(event.row_key.value))
