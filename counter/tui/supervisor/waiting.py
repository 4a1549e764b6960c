"""The queue's day for the supervisor: waiting and service times by group and clerk, arrivals hour by hour."""

from __future__ import annotations

from datetime import date, timedelta

from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from counter.queue.waiting import WaitingReport, to_text
from counter.tui.supervisor.base import Pane


class WaitingRead(Message):
    """The waiting figures of the day asked for."""

    def __init__(self, report: WaitingReport) -> None:
        super().__init__()
        self.report = report


class WaitingPane(Pane):
    """One day's queue figures (F6/F7: the day before or after)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.day: date | None = None

    def compose(self) -> ComposeResult:
        """A title and the figures with the arrivals chart."""
        yield Label("", id="w-title", classes="panel-title")
        with VerticalScroll():
            yield Static("", id="w-text", markup=False)

    def load(self, day: date | None = None) -> None:
        """Read the figures of `day` (default: the day shown, else today)."""
        self.day = day or self.day or self.desk.ctx.now().date()
        self._read(self.day)

    def shift(self, steps: int) -> None:
        """The day before or after."""
        if self.day is not None:
            self.load(self.day + timedelta(days=steps))

    @work(thread=True, group="sup-waiting", exclusive=True, exit_on_error=False)
    def _read(self, day: date) -> None:
        from counter.services import tickets

        desk = self.desk
        self.post_message(WaitingRead(tickets.report(desk.ctx, day, desk.clerk, "tui")))

    def on_waiting_read(self, message: WaitingRead) -> None:
        """Show the figures."""
        message.stop()
        report = message.report
        self.query_one("#w-title", Label).update(f"Ngày {report.day:%d/%m/%Y}   (F6/F7 ngày trước/sau)")
        groups = {g.id: g.name for g in self.desk.ctx.config.queue.groups.values()}
        self.query_one("#w-text", Static).update(to_text(report, groups))
