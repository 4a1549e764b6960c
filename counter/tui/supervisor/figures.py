"""Figures of a day or a month: totals, the on-time formula, and the same figures by procedure and clerk."""

from __future__ import annotations

from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label, Select, Static

from counter.law.forms import parse_date
from counter.ratings.satisfaction import SatisfactionReport, month_bounds, satisfaction
from counter.reporting import reports
from counter.reporting.report_export import FIGURE_LABELS, TEXT_ORDER, percent
from counter.tui.supervisor.base import Pane

DAY, MONTH = "day", "month"
GROUP_COLUMNS = ("Tiếp nhận", "Chuyển sang", "Xong", "Trước hạn", "Đúng hạn", "Trễ hạn", "Đã trả",
                 "Đang xử lý", "Quá hạn", "Tỉ lệ đúng hạn")


class FiguresRead(Message):
    """The report of the period asked for."""

    def __init__(self, report: reports.Report, rated: SatisfactionReport) -> None:
        super().__init__()
        self.report = report
        self.rated = rated


def _month_start(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def summary_text(report: reports.Report, rated: SatisfactionReport) -> str:
    """The totals as label/value lines (the citizens' satisfaction beside the on-time rate), then the formula."""
    total = report.total
    data = total.to_json()
    lines = []
    for name in TEXT_ORDER:
        value = percent(data[name]) if name == "on_time_rate" else str(data[name])
        lines.append(f"{FIGURE_LABELS[name]:<26} [b]{value:>8}[/b]")
    happy = rated.total
    lines.append(f"{'Tỉ lệ hài lòng':<26} [b]{percent(happy.satisfaction_rate):>8}[/b] ({happy.rated} đánh giá, "
                 f"{happy.by_level[1]} không hài lòng)")
    lines += ["", f"[b]Công thức[/b] (domain.md §4.4): {reports.FORMULA}",
              f"= 100% − ({total.late_finished} + {total.late_in_progress}) / ({total.received} + "
              f"{total.carried_over}) = [b]{percent(total.on_time_rate)}[/b]"]
    return "\n".join(lines)


class FiguresPane(Pane):
    """Choose day or month and the date; the figures follow."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day: date | None = None

    def compose(self) -> ComposeResult:
        """Period choice, totals with the formula, and two tables."""
        with Horizontal(classes="filters"):
            yield Select([("Theo tháng", MONTH), ("Theo ngày", DAY)], value=MONTH, allow_blank=False, id="f-kind")
            yield Input(placeholder="Ngày trong kỳ (dd/mm/yyyy)", id="f-date", classes="filter-date")
            yield Label("", id="f-title", classes="panel-title")
        with Horizontal(id="f-body"):
            yield Static("", id="f-summary")
            with Vertical(id="f-groups"):
                yield Label("Theo thủ tục", classes="panel-title")
                yield DataTable(id="f-procedures", zebra_stripes=True)
                yield Label("Theo cán bộ tiếp nhận", classes="panel-title")
                yield DataTable(id="f-clerks", zebra_stripes=True)

    def on_mount(self) -> None:
        """Declare the table columns."""
        self.query_one("#f-procedures", DataTable).add_columns("Thủ tục", *GROUP_COLUMNS)
        self.query_one("#f-clerks", DataTable).add_columns("Cán bộ", *GROUP_COLUMNS)

    @property
    def kind(self) -> str:
        """Day or month."""
        return str(self.query_one("#f-kind", Select).value)

    def load(self, day: date | None = None) -> None:
        """Compute the figures of the period holding `day` (default: the one shown, else today)."""
        ctx = self.counter_app.ctx
        self.day = day or self.day or ctx.now().date()
        self.query_one("#f-date", Input).value = f"{self.day:%d/%m/%Y}"
        self._read(self.kind, self.day)

    def shift(self, steps: int) -> None:
        """The previous or next day or month."""
        if self.day is not None:
            self.load(self.day + timedelta(days=steps) if self.kind == DAY else _month_start(self.day, steps))

    @work(thread=True, group="sup-figures", exclusive=True, exit_on_error=False)
    def _read(self, kind: str, day: date) -> None:
        from counter.custody import audit

        app = self.counter_app
        now = app.ctx.now()
        with app.ctx.store.write() as session:
            if kind == DAY:
                report = reports.daily(session, day, now, app.ctx.config.unit.ward_code)
                rated = satisfaction(session, day, day + timedelta(days=1), day.isoformat())
            else:
                report = reports.monthly(session, day.year, day.month, now, app.ctx.config.unit.ward_code)
                rated = satisfaction(session, *month_bounds(day.year, day.month), f"{day:%Y-%m}")
            audit.record(session, app.clerk, "view", "report", f"{report.period.kind} {report.period.label}",
                         "tui", at=now)
        self.post_message(FiguresRead(report, rated))

    def on_figures_read(self, message: FiguresRead) -> None:
        """Show the totals, the formula and the groups."""
        message.stop()
        report = message.report
        start = report.period.start
        what = f"Ngày {start:%d/%m/%Y}" if report.period.kind == DAY else f"Tháng {start:%m/%Y}"
        title = f"{what}, tính đến {report.as_of:%H:%M %d/%m/%Y}   (F6/F7 kỳ trước/sau)"
        self.query_one("#f-title", Label).update(title)
        self.query_one("#f-summary", Static).update(summary_text(report, message.rated))
        forms = self.counter_app.ctx.forms
        for table_id, groups, names in (
                ("#f-procedures", report.by_procedure, {k: f.procedure for k, f in forms.items()}),
                ("#f-clerks", report.by_clerk, {})):
            table = self.query_one(table_id, DataTable)
            table.clear()
            for key, f in groups.items():
                table.add_row(names.get(key, key), f.received, f.carried_over, f.finished, f.early, f.on_time,
                              f.late_finished, f.returned, f.in_progress, f.overdue, percent(f.on_time_rate))

    @on(Select.Changed, "#f-kind")
    def _kind_changed(self, event: Select.Changed) -> None:
        event.stop()
        if self.day is not None:
            self.load()

    @on(Input.Submitted, "#f-date")
    def _date_typed(self, event: Input.Submitted) -> None:
        day = parse_date(event.value)
        if day is None:
            self.app.notify("Ngày không hợp lệ; gõ dạng dd/mm/yyyy.", severity="error")
            return
        self.load(day)
