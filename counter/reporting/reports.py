"""Supervisor figures for a day or a month, the daily queue and stuck work: one source for screens and CLI.

Figures follow research/domain.md §4.4 (the provincial one-stop systems' formula), for a period
[start, end) judged at `as_of` = the earlier of the period's end and now:
- received: received in the period; carried_over: received earlier and still open at the start;
  to_handle (cần xử lý) = received + carried_over.
- finished (done or returned) in the period, split by the due date in force: early (finished on a day
  before the due day), on_time (on the due day, by the due time), late (after the due time).
- in_progress: received and still open at `as_of`; late_in_progress (= overdue): among those, past due.
- late rate = (late finished + late in progress) / to_handle; on_time_rate = 1 − late rate
  (None when there is nothing to handle). The due date in force is the rescheduled one, if any
  (rescheduling is allowed once, with an apology slip); `rescheduled` counts those dossiers.
All figures are computed in SQL (one grouped scan of the dossier table), so screens stay fast.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import ColumnElement, and_, case, func, or_
from sqlmodel import Session, col, select

from counter.citizens.idnumber import mask
from counter.fees import report as fee_report
from counter.law import lifecycle
from counter.law.workdays import WorkCalendar
from counter.records.dossiers import deadline_state
from counter.store import statements
from counter.store.models import CitizenConflict, Dossier, DossierEvent, HeldEvent, SyncState
from counter.store.statements import touching_ids

FORMULA = (
    "Tỉ lệ đúng hạn = 100% − (trễ hạn đã xử lý + trễ hạn đang xử lý) / cần xử lý; "
    "cần xử lý = tiếp nhận trong kỳ + kỳ trước chuyển sang."
)
FORMULA_KEY = "on_time_rate = 1 - (late_finished + late_in_progress) / (received + carried_over)"


@dataclass(frozen=True)
class Period:
    """A reporting period [start, end) of local time, with a label for screens and files."""

    kind: str
    start: datetime
    end: datetime
    label: str

    @classmethod
    def day(cls, day: date) -> Period:
        """One calendar day."""
        start = datetime.combine(day, time())
        return cls("day", start, start + timedelta(days=1), day.isoformat())

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month."""
        start = datetime(year, month, 1)
        end = datetime(year + month // 12, month % 12 + 1, 1)
        return cls("month", start, end, f"{year:04d}-{month:02d}")


@dataclass
class Figures:
    """Counts of one group (everything, one procedure or one clerk) over a period."""

    received: int = 0
    carried_over: int = 0
    finished: int = 0
    early: int = 0
    on_time: int = 0
    late_finished: int = 0
    returned: int = 0
    refused: int = 0
    withdrawn: int = 0
    in_progress: int = 0
    late_in_progress: int = 0
    rescheduled: int = 0
    outside_unit: int = 0
    """Received from citizens whose (resolved) address lies outside the unit's ward (Decree 118/2025)."""
    digitised_components: int = 0
    """Received in the period with at least one component (paper handed in) digitised on the dossier."""
    reused_components: int = 0
    """Received in the period with at least one component linked from an earlier digitisation."""
    digitised_results: int = 0
    """Returned in the period with the result digitised on the dossier."""

    @property
    def to_handle(self) -> int:
        """Cần xử lý: received in the period plus carried over from before."""
        return self.received + self.carried_over

    @property
    def overdue(self) -> int:
        """Open and past due at the moment the period is judged (same as late_in_progress)."""
        return self.late_in_progress

    @property
    def on_time_rate(self) -> float | None:
        """Share handled without lateness (domain.md §4.4), or None when nothing was to be handled."""
        if self.to_handle == 0:
            return None
        return 1 - (self.late_finished + self.late_in_progress) / self.to_handle

    def share(self, part: str, whole: str) -> float | None:
        """`part` over `whole` (received or returned), or None when the whole is 0."""
        total = getattr(self, whole)
        return None if total == 0 else getattr(self, part) / total

    def add(self, other: Figures) -> None:
        """Add another group's counts into this one."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def to_json(self) -> dict[str, Any]:
        """Plain field names, the derived ones included; the rate rounded to 4 decimals."""
        rate = self.on_time_rate
        shares = {f"{part}_share": self.share(part, whole) for part, whole in SHARES.items()}
        return {**asdict(self), "to_handle": self.to_handle, "overdue": self.overdue,
                "on_time_rate": None if rate is None else round(rate, 4),
                **{k: None if v is None else round(v, 4) for k, v in shares.items()}}


SHARES = {"digitised_components": "received", "reused_components": "received", "digitised_results": "returned"}
"""Digitisation figures and the count each is a share of."""
RATE_NAMES = ("on_time_rate", *(f"{part}_share" for part in SHARES))
FIGURE_NAMES = (*(f.name for f in fields(Figures)), "to_handle", "overdue", *RATE_NAMES)


@dataclass
class Report:
    """Figures of one period: in total, by procedure (form id) and by receiving clerk."""

    period: Period
    as_of: datetime
    total: Figures
    by_procedure: dict[str, Figures] = field(default_factory=dict)
    by_clerk: dict[str, Figures] = field(default_factory=dict)
    fees: fee_report.FeeReport | None = None
    """The fees taken, waived and owed in the period (as `counter report fees` gives them)."""

    def to_json(self, titles: dict[str, str] | None = None) -> dict[str, Any]:
        """The report as plain JSON: totals at top level, lists by procedure and by clerk, and `fees`."""
        titles = titles or {}
        fees = self.fees.to_json(titles) if self.fees else None
        return {
            "period": self.period.kind, "label": self.period.label,
            "start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
            "as_of": self.as_of.isoformat(), "formula": FORMULA_KEY, **self.total.to_json(),
            "by_procedure": [{"procedure": k, "title": titles.get(k, k), **v.to_json()}
                             for k, v in self.by_procedure.items()],
            "by_clerk": [{"clerk": k, **v.to_json()} for k, v in self.by_clerk.items()],
            "fees": None if fees is None else {k: v for k, v in fees.items() if k != "period"},
        }


def _within(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)


def _count(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def compute(session: Session, period: Period, now: datetime, unit_ward_code: int = 0) -> Report:
    """Every figure of `period` by procedure and clerk in one grouped SQL scan.

    `outside_unit` counts only when the unit's ward code is known and the citizen's address is resolved.
    """
    as_of = min(period.end, max(now, period.start))
    start = period.start
    received_at, closed_at = col(Dossier.received_at), col(Dossier.closed_at)
    finished_at, due_at, returned_at = col(Dossier.finished_at), col(Dossier.due_at), col(Dossier.returned_at)
    received = _within(received_at, start, as_of)
    carried_over = and_(received_at < start, or_(closed_at.is_(None), closed_at >= start))
    finished = _within(finished_at, start, as_of)
    closed_in = _within(closed_at, start, as_of)
    open_at_end = or_(closed_at.is_(None), closed_at >= as_of)
    columns = (
        _count(received),
        _count(carried_over),
        _count(finished),
        _count(and_(finished, func.date(finished_at) < func.date(due_at))),
        _count(and_(finished, func.date(finished_at) >= func.date(due_at), finished_at <= due_at)),
        _count(and_(finished, finished_at > due_at)),
        _count(_within(returned_at, start, as_of)),
        _count(and_(closed_in, col(Dossier.status) == lifecycle.REFUSED)),
        _count(and_(closed_in, col(Dossier.status) == lifecycle.WITHDRAWN)),
        _count(open_at_end),
        _count(and_(open_at_end, due_at < as_of)),
        _count(and_(col(Dossier.rescheduled).is_(True), or_(received, carried_over))),
        _count(and_(received, col(Dossier.residence_ward_code).is_not(None),
                    col(Dossier.residence_ward_code) != unit_ward_code, sa.literal(unit_ward_code != 0))),
        _count(and_(received, col(Dossier.attached_components) > 0)),
        _count(and_(received, col(Dossier.reused_components) > 0)),
        _count(and_(_within(returned_at, start, as_of), col(Dossier.attached_results) > 0)),
    )
    query = (
        sa.select(col(Dossier.form_id), col(Dossier.clerk), *columns)
        .where(col(Dossier.id).in_(touching_ids(start, as_of)))
        .group_by(col(Dossier.form_id), col(Dossier.clerk))
    )
    report = Report(period, as_of, Figures())
    for form_id, clerk, *counts in session.connection().execute(query):
        figures = Figures(*counts)
        report.total.add(figures)
        report.by_procedure.setdefault(form_id, Figures()).add(figures)
        report.by_clerk.setdefault(clerk, Figures()).add(figures)
    report.by_procedure = dict(sorted(report.by_procedure.items()))
    report.by_clerk = dict(sorted(report.by_clerk.items()))
    first = period.start.date()
    label = f"{first:%d/%m/%Y}" if period.kind == "day" else f"{first:%m/%Y}"
    report.fees = fee_report.for_period(session, period.kind, label, first, (period.end - timedelta(days=1)).date())
    return report


def daily(session: Session, day: date, now: datetime, unit_ward_code: int = 0) -> Report:
    """Figures of one day."""
    return compute(session, Period.day(day), now, unit_ward_code)


def monthly(session: Session, year: int, month: int, now: datetime, unit_ward_code: int = 0) -> Report:
    """Figures of one month."""
    return compute(session, Period.month(year, month), now, unit_ward_code)


@dataclass(frozen=True)
class QueueRow:
    """One line of the supervisor's queue."""

    code: str
    form_id: str
    applicant: str
    applicant_id: str
    """Masked ID number."""
    clerk: str
    counter: str
    status: str
    received_at: datetime
    due_at: datetime
    deadline: str
    """"overdue", "due_soon" or ""."""
    synced: bool
    """Every event of the dossier has reached the provincial hub."""
    rescheduled: bool
    returned_to: str

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view."""
        data = asdict(self)
        data["status_label"] = lifecycle.label(self.status)
        data["received_at"], data["due_at"] = self.received_at.isoformat(), self.due_at.isoformat()
        return data


QUEUE_RECEIVED = "received"
QUEUE_OPEN = "open"
DEADLINE_FILTERS = ("overdue", "due_soon")


def queue(session: Session, day: date, now: datetime, calendar: WorkCalendar, *, scope: str = QUEUE_RECEIVED,
          status: str | None = None, form_id: str | None = None, clerk: str | None = None,
          counter: str | None = None) -> list[QueueRow]:
    """Dossiers received on `day` (scope "received") or still open at its end (scope "open"), filtered.

    `status` is a lifecycle status or "overdue" / "due_soon"; the deadline is judged at the end of
    `day`, or now when `day` is today.
    """
    period = Period.day(day)
    as_of = min(period.end, max(now, period.start))
    unsent = select(DossierEvent.dossier_uuid).where(col(DossierEvent.synced_at).is_(None))
    query = select(Dossier, ~col(Dossier.uuid).in_(unsent))
    if scope == QUEUE_OPEN:
        query = query.where(col(Dossier.received_at) < as_of,
                            or_(col(Dossier.closed_at).is_(None), col(Dossier.closed_at) >= as_of))
        query = query.order_by(col(Dossier.due_at), col(Dossier.code))
    else:
        query = query.where(Dossier.received_day == day).order_by(col(Dossier.received_at), col(Dossier.code))
    if status and status not in DEADLINE_FILTERS:
        query = query.where(Dossier.status == status)
    for column, value in ((Dossier.form_id, form_id), (Dossier.clerk, clerk), (Dossier.counter_id, counter)):
        if value:
            query = query.where(column == value)
    rows = []
    for dossier, synced in session.exec(query):
        open_then = dossier.closed_at is None or dossier.closed_at >= as_of
        deadline = deadline_state(open_then, dossier.due_at, as_of, calendar)
        if status in DEADLINE_FILTERS and deadline != status:
            continue
        rows.append(QueueRow(
            dossier.code, dossier.form_id, dossier.applicant_name, mask(dossier.applicant_id_number),
            dossier.clerk, dossier.counter_id, dossier.status, dossier.received_at, dossier.due_at, deadline,
            bool(synced), dossier.rescheduled, dossier.returned_to,
        ))
    return rows


def queue_choices(session: Session) -> tuple[list[str], list[str]]:
    """Every clerk and every counter that has a dossier, for the queue's filters."""
    clerks = list(session.exec(select(Dossier.clerk).distinct().order_by(col(Dossier.clerk))))
    counters = list(session.exec(select(Dossier.counter_id).distinct().order_by(col(Dossier.counter_id))))
    return clerks, counters


@dataclass(frozen=True)
class Unsent:
    """A dossier with events not yet acknowledged by the provincial hub."""

    code: str
    counter: str
    clerk: str
    pending_events: int
    oldest_at: datetime
    waiting: timedelta

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view; the wait in whole minutes."""
        return {"code": self.code, "counter": self.counter, "clerk": self.clerk,
                "pending_events": self.pending_events, "oldest_at": self.oldest_at.isoformat(),
                "waiting_minutes": int(self.waiting.total_seconds() // 60)}


@dataclass(frozen=True)
class Quarantined:
    """An event the hub rejected, kept aside with the reason."""

    event_id: str
    code: str
    type: str
    occurred_at: datetime
    clerk: str
    counter: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view."""
        return {**asdict(self), "occurred_at": self.occurred_at.isoformat()}


@dataclass(frozen=True)
class Held:
    """An event pulled from the hub that this counter's rules refuse: kept aside, not applied."""

    event_id: str
    code: str
    type: str
    counter: str
    reason: str
    held_at: datetime

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view."""
        return {**asdict(self), "held_at": self.held_at.isoformat()}


@dataclass(frozen=True)
class IdentityConflict:
    """A person in a pulled dossier who differs from this counter's record of the same ID (not applied)."""

    code: str
    masked_id: str
    counter: str
    fields: str
    pulled_name: str
    noted_at: datetime

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view."""
        return {**asdict(self), "noted_at": self.noted_at.isoformat()}


@dataclass(frozen=True)
class CounterSeen:
    """When the database last saw an event made at a counter; `silent` after more than a working day."""

    counter: str
    last_event_at: datetime
    silent: bool

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view."""
        return {"counter": self.counter, "last_event_at": self.last_event_at.isoformat(),
                "silent": self.silent}


@dataclass
class StuckWork:
    """What has not reached the province, what it refused, and which counters went quiet."""

    unsent: list[Unsent]
    quarantined: list[Quarantined]
    counters: list[CounterSeen]
    held: list[Held] = field(default_factory=list)
    audit_flagged: list[str] = field(default_factory=list)
    """Counters whose audit-log head the hub flagged as not extending the one before (rewritten history)."""
    identity_conflicts: list[IdentityConflict] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """Plain JSON view."""
        return {"unsent": [u.to_json() for u in self.unsent],
                "quarantined": [q.to_json() for q in self.quarantined],
                "counters": [c.to_json() for c in self.counters],
                "held": [h.to_json() for h in self.held],
                "audit_flagged": self.audit_flagged,
                "identity_conflicts": [c.to_json() for c in self.identity_conflicts]}


def stuck_work(session: Session, now: datetime, calendar: WorkCalendar, limit: int = 500) -> StuckWork:
    """Unsent dossiers (oldest first), quarantined events, the last event seen from each counter, and
    pulled events kept aside."""
    event = DossierEvent
    pending = (col(event.synced_at).is_(None), col(event.quarantine_reason).is_(None))
    unsent_rows = session.connection().execute(
        sa.select(col(event.dossier_code), func.count(), func.min(col(event.occurred_at)),
               func.min(col(Dossier.counter_id)), func.min(col(Dossier.clerk)))
        .join(Dossier, col(Dossier.uuid) == col(event.dossier_uuid))
        .where(*pending).group_by(col(event.dossier_code))
        .order_by(func.min(col(event.occurred_at))).limit(limit)
    ).all()
    unsent = [Unsent(code, counter_id, clerk, count, datetime.fromisoformat(str(oldest)),
                     max(timedelta(0), now - datetime.fromisoformat(str(oldest))))
              for code, count, oldest, counter_id, clerk in unsent_rows]
    quarantined = [
        Quarantined(e.id, e.dossier_code, e.type, e.occurred_at, e.clerk, e.counter_id,
                    e.quarantine_reason or "")
        for e in session.exec(select(event).where(col(event.quarantine_reason).is_not(None))
                              .order_by(col(event.occurred_at)).limit(limit))
    ]
    seen = statements.last_event_per_counter(session)
    counters = []
    for counter_id, last in seen:
        last_at = datetime.fromisoformat(str(last))
        silent = calendar.workdays_between(last_at.date(), now.date()) > 1
        counters.append(CounterSeen(counter_id, last_at, silent))
    counters.sort(key=lambda c: c.last_event_at)
    held = [Held(h.id, h.dossier_code, h.type, h.counter_id, h.reason, h.held_at)
            for h in session.exec(select(HeldEvent).order_by(col(HeldEvent.hub_seq)).limit(limit))]
    flagged = session.get(SyncState, "audit_flagged_counters")  # as the hub answered the last sync
    return StuckWork(unsent, quarantined, counters, held, json.loads(flagged.value) if flagged else [],
                     identity_conflicts(session, limit))


def identity_conflicts(session: Session, limit: int = 500) -> list[IdentityConflict]:
    """People of pulled dossiers who differ from this counter's record of the same ID number, oldest first."""
    found = session.exec(select(CitizenConflict).order_by(col(CitizenConflict.id)).limit(limit))
    return [IdentityConflict(c.dossier_code, mask(c.id_number), c.counter_id, c.fields,
                             str(json.loads(c.pulled_json).get("full_name", "")), c.noted_at) for c in found]


def waited(span: timedelta) -> str:
    """A wait in Vietnamese words: "3 ngày 2 giờ", "45 phút"."""
    minutes = int(span.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} ngày {hours} giờ"
    return f"{hours} giờ {minutes} phút" if hours else f"{minutes} phút"
