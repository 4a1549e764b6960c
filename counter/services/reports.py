"""What a supervisor views: the day's queue (audited in its transaction), the citizens' ratings, stuck work
(the figures are in counter.services.figures)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from counter.context import CounterContext
from counter.custody import audit
from counter.fees.report import for_period
from counter.ratings.satisfaction import SatisfactionReport, month_bounds, satisfaction
from counter.reporting import reports
from counter.services.figures import DAY
from counter.store.rows import driver


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
        cash = for_period(driver(session), DAY, day.isoformat(), day, day).cash
        audit.record(session, viewer, "view", "queue", day.isoformat(), f"{len(rows)} hồ sơ", at=now)
    return QueueView(rows, clerks, counters, cash)


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
