"""The supervisor's daily queue and stuck work (the figures are in counter.reporting.figures)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from counter.citizens.idnumber import mask
from counter.law import lifecycle
from counter.law.workdays import DEADLINE_FILTERS, WorkCalendar, deadline_state
from counter.reporting.figures import Period
from counter.store import statements
from counter.store.models import CitizenConflict, Dossier, DossierEvent, HeldEvent, SyncState


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
