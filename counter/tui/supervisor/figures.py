"""Figures of a day or a month: totals, the on-time formula, and the same figures by procedure and clerk."""

from __future__ import annotations

from datetime import date, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Label, Select, Static

from counter.law.forms import parse_date
from counter.ratings.satisfaction import SatisfactionReport
from counter.reporting import figures as periods
from counter.reporting.report_export import FIGURE_LABELS, LABEL_WIDTH, TEXT_ORDER, fee_lines, percent
from counter.services.figures import DAY, MONTH
from counter.tui.common.fitted import Column, FittedTable
from counter.tui.supervisor.base import Pane
from counter.tui.supervisor.fees import month_start

GROUP_COLUMNS = (Column("Tiếp nhận", keep=True), Column("Tỉ lệ đúng hạn", keep=True), Column("Xong"),
                 Column("Quá hạn"), Column("Trễ hạn"), Column("Chuyển sang"), Column("Trước hạn"),
                 Column("Đúng hạn"), Column("Đã trả"), Column("Đang xử lý"))
"""The figures of each procedure or clerk, most telling first: a narrow screen keeps the first ones."""


class ProcedureFigures(FittedTable):
    """Figures by procedure (the name shortened on a narrow screen)."""

    COLUMNS = (Column("Thủ tục", keep=True), *GROUP_COLUMNS)


class ClerkFigures(FittedTable):
    """Figures by receiving clerk."""

    COLUMNS = (Column("Cán bộ", keep=True), *GROUP_COLUMNS)


class FiguresRead(Message):
    """The report of the period asked for."""

    def __init__(self, report: periods.Report, rated: SatisfactionReport) -> None:
        super().__init__()
        self.report = report
        self.rated = rated


def _short(name: str, width: int = 22) -> str:
    """A procedure's name cut at a word for a narrow table."""
    return name if len(name) <= width else name[: width - 1].rsplit(" ", 1)[0] + "…"


def summary_text(report: periods.Report, rated: SatisfactionReport) -> str:
    """The on-time rate with its formula first, then the totals and the citizens' satisfaction."""
    total = report.total
    data = total.to_json()
    lines = [f"[b]Tỉ lệ đúng hạn: {percent(total.on_time_rate)}[/b]"
             f" = 100% − ({total.late_finished} + {total.late_in_progress}) / ({total.received} + "
             f"{total.carried_over})", f"[b]Công thức[/b]: {periods.FORMULA}", ""]
    for name in TEXT_ORDER:
        if name != "on_time_rate":
            value = percent(data[name]) if name in periods.RATE_NAMES else str(data[name])
            lines.append(f"{FIGURE_LABELS[name]:<{LABEL_WIDTH}} [b]{value:>8}[/b]")
    happy = rated.total
    rate = percent(happy.satisfaction_rate)
    lines.append(f"{'Tỉ lệ hài lòng':<{LABEL_WIDTH}} [b]{rate:>8}[/b] ({happy.rated} đánh giá, "
                 f"{happy.by_level[1]} không hài lòng)")
    if report.fees is not None:
        lines += fee_lines(report.fees, indent="")
    return "\n".join(lines)


class FiguresPane(Pane):
    """Choose day or month and the date; the figures follow."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day: date | None = None

    def compose(self) -> ComposeResult:
        """Period choice, totals with the formula, and two tables."""
        with Horizontal(classes="filters"):
            yield Select([("Theo tháng", MONTH), ("Theo ngày", DAY)], value=MONTH, allow_blank=False, id="f-kind",
                         compact=True)
            yield Input(placeholder="Ngày trong kỳ (dd/mm/yyyy)", id="f-date", classes="filter-date", compact=True)
        yield Label("", id="f-title", classes="panel-title")
        with VerticalScroll(id="f-body"):
            yield Static("", id="f-summary")
            with Vertical(id="f-groups"):
                yield Label("Theo thủ tục", classes="panel-title")
                yield ProcedureFigures(id="f-procedures")
                yield Label("Theo cán bộ tiếp nhận", classes="panel-title")
                yield ClerkFigures(id="f-clerks")

    @property
    def kind(self) -> str:
        """Day or month."""
        return str(self.query_one("#f-kind", Select).value)

    def load(self, day: date | None = None) -> None:
        """Compute the figures of the period holding `day` (default: the one shown, else today)."""
        self.day = day or self.day or self.desk.ctx.now().date()
        self.query_one("#f-date", Input).value = f"{self.day:%d/%m/%Y}"
        self._read(self.kind, self.day)

    def shift(self, steps: int) -> None:
        """The previous or next day or month."""
        if self.day is not None:
            self.load(self.day + timedelta(days=steps) if self.kind == DAY else month_start(self.day, steps))

    @work(thread=True, group="sup-figures", exclusive=True, exit_on_error=False)
    def _read(self, kind: str, day: date) -> None:
        from counter.services.figures import figures
        from counter.services.reports import satisfaction_of

        desk = self.desk
        report = figures(desk.ctx, desk.clerk, kind, day)
        self.post_message(FiguresRead(report, satisfaction_of(desk.ctx, kind, day)))

    def on_figures_read(self, message: FiguresRead) -> None:
        """Show the totals, the formula and the groups."""
        message.stop()
        report = message.report
        start = report.period.start
        what = f"Ngày {start:%d/%m/%Y}" if report.period.kind == DAY else f"Tháng {start:%m/%Y}"
        title = f"{what}, tính đến {report.as_of:%H:%M %d/%m/%Y} (F6/F7: kỳ trước/sau)"
        self.query_one("#f-title", Label).update(title)
        self.query_one("#f-summary", Static).update(summary_text(report, message.rated))
        forms = self.desk.ctx.forms
        for table, groups, names in (
                (self.query_one(ProcedureFigures), report.by_procedure, {k: f.procedure for k, f in forms.items()}),
                (self.query_one(ClerkFigures), report.by_clerk, {})):
            table.set_rows([(key, [(names.get(key, key), _short(names.get(key, key))), str(f.received),
                                   percent(f.on_time_rate), str(f.finished), str(f.overdue), str(f.late_finished),
                                   str(f.carried_over), str(f.early), str(f.on_time), str(f.returned),
                                   str(f.in_progress)]) for key, f in groups.items()])

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
