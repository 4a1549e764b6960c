"""What a supervisor views: the day's queue and the figures (each view audited in its transaction), stuck work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from counter.context import CounterContext
from counter.custody import audit
from counter.errors import CounterError
from counter.fees.report import for_period
from counter.ratings.satisfaction import SatisfactionReport, month_bounds, satisfaction
from counter.reporting import reports
from counter.reporting.report_export import write_xlsx

DAY, MONTH = "day", "month"
SHOWN_IN_APP = "tui"
"""How the app shows figures (the CLI says text, json, csv or xlsx); anything but text or tui is an export."""


@dataclass(frozen=True)
class QueueView:
    """The queue's rows and, when asked for, the clerks and counters that the filters offer."""

    rows: list[reports.QueueRow]
    clerks: list[str]
    counters: list[str]
    cash: int
    """Cash taken less cash given back on the day (what the drawer should hold)."""


def queue(ctx: CounterContext, viewer: str, day: date, *, scope: str = reports.QUEUE_RECEIVED,
          status: str | None = None, form_id: str | None = None, clerk: str | None = None,
          counter: str | None = None, with_choices: bool = False) -> QueueView:
    """One day's queue across all counters, filtered; the view is written to the audit log."""
    now = ctx.now()
    with ctx.store.write() as session:
        rows = reports.queue(session, day, now, ctx.calendar, scope=scope, status=status, form_id=form_id,
                             clerk=clerk, counter=counter)
        clerks, counters = reports.queue_choices(session) if with_choices else ([], [])
        cash = for_period(session, DAY, day.isoformat(), day, day).cash
        audit.record(session, viewer, "view", "queue", day.isoformat(), f"{len(rows)} hồ sơ", at=now)
    return QueueView(rows, clerks, counters, cash)


def titles(ctx: CounterContext) -> dict[str, str]:
    """Form id → title, as reports name the procedures."""
    return {f.id: f.title for f in ctx.forms.values()}


def figures(ctx: CounterContext, viewer: str, kind: str, day: date, shown_as: str = SHOWN_IN_APP,
            xlsx: Path | None = None) -> reports.Report:
    """The figures of the day (or month) holding `day`, saved to `xlsx` when given; viewed or exported, audited.

    A workbook that cannot be written leaves no audit record: the transaction is rolled back.
    """
    now = ctx.now()
    with ctx.store.write() as session:
        if kind == DAY:
            report = reports.daily(session, day, now, ctx.config.unit.ward_code)
        else:
            report = reports.monthly(session, day.year, day.month, now, ctx.config.unit.ward_code)
        if xlsx is not None:
            try:
                write_xlsx(report, titles(ctx), xlsx)
            except OSError as exc:
                raise CounterError(f"Không ghi được tệp {xlsx}: {exc.strerror or exc}.") from None
        action = "view" if shown_as in (SHOWN_IN_APP, "text") else "export"
        audit.record(session, viewer, action, "report", f"{report.period.kind} {report.period.label}", shown_as,
                     at=now)
    return report


def satisfaction_of(ctx: CounterContext, kind: str, day: date) -> SatisfactionReport:
    """The citizens' ratings of the day (or month) holding `day`, shown beside its figures (viewed with them)."""
    with ctx.store.read() as session:
        if kind == DAY:
            return satisfaction(session, day, day + timedelta(days=1), day.isoformat())
        return satisfaction(session, *month_bounds(day.year, day.month), f"{day:%Y-%m}")


def stuck(ctx: CounterContext) -> reports.StuckWork:
    """Unsent dossiers, refused and held events, counters not heard from."""
    with ctx.store.read() as session:
        return reports.stuck_work(session, ctx.now(), ctx.calendar)
