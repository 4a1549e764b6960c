"""The fees of a month for the supervisor: the chart of daily takings first, then the month's figures."""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from counter.fees.report import FeeReport
from counter.fees.words import figures
from counter.reporting.fee_export import CHART_TITLE, daily_chart, figure_lines
from counter.tui.supervisor.base import Pane


class FeesRead(Message):
    """The fee report of the month asked for."""

    def __init__(self, report: FeeReport) -> None:
        super().__init__()
        self.report = report


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month `months` after the one holding `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


class FeesPane(Pane):
    """One month's takings (F6/F7: the month before or after)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.month: date | None = None

    def compose(self) -> ComposeResult:
        """A title with the month's total and cash, then the chart and the figures."""
        yield Label("", id="fee-title", classes="panel-title")
        with VerticalScroll(id="fee-body"):
            yield Static("", id="fee-text", markup=False)

    def load(self, month: date | None = None) -> None:
        """Read the fees of `month` (default: the month shown, else this month)."""
        self.month = month or self.month or month_start(self.desk.ctx.now().date())
        self._read(self.month)

    def shift(self, steps: int) -> None:
        """The month before or after."""
        if self.month is not None:
            self.load(month_start(self.month, steps))

    @work(thread=True, group="sup-fees", exclusive=True, exit_on_error=False)
    def _read(self, month: date) -> None:
        from counter.services.fees import fee_report

        desk = self.desk
        self.post_message(FeesRead(fee_report(desk.ctx, desk.clerk, month=(month.year, month.month), export="tui")))

    def on_fees_read(self, message: FeesRead) -> None:
        """Show the total, the chart and the figures."""
        message.stop()
        report = message.report
        self.query_one("#fee-title", Label).update(
            f"Tháng {report.label} · đã thu {figures(report.total)} · tiền mặt {figures(report.cash)}"
            "   (F6/F7 tháng trước/sau)")
        titles = {f.id: f.procedure for f in self.desk.ctx.forms.values()}
        lines = [CHART_TITLE, *daily_chart(report), "", *figure_lines(report, titles)]
        self.query_one("#fee-text", Static).update("\n".join(lines))
