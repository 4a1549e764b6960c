"""Citizens named in pulled dossiers: never written over what this counter holds.

A citizen's record on a counter comes from a card read there, or from the first pulled dossier that
names an ID number the counter did not know (dated when it arrived here, never by a time the sender
chose). A pulled person that differs from the record of the same ID number stays the dossier's own copy
(its payload and `dossier_person`), and the difference is kept in `citizen_conflict` for the supervisor.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel import Session, select

from counter.citizens.identity import Identity
from counter.records.projection import upsert_citizen
from counter.store import statements
from counter.store.models import Citizen, CitizenConflict
from sync.protocol import HubEvent

COMPARED = ("full_name", "birth_date", "sex", "address", "old_id_number")
"""What must match for a pulled person to be the same record as the counter's."""


def _differs(known: Citizen, person: Identity) -> list[str]:
    """The compared fields that differ."""
    return [name for name in COMPARED if getattr(known, name) != getattr(person, name)]


def adopt(session: Session, event: HubEvent, now: datetime) -> int:
    """Store the unknown people of a pulled `received`; record a conflict for each one that differs.

    Returns the number of conflicts; runs inside the caller's transaction.
    """
    conflicts = 0
    for role, raw in event.payload["people"].items():
        person = Identity.from_json(raw)
        known = session.exec(select(Citizen).where(Citizen.id_number == person.id_number)).first()
        if known is None:
            upsert_citizen(session, person, now)
            continue
        differing = _differs(known, person)
        if differing:
            conflicts += record(session, event, str(role), person, differing, now)
    return conflicts


def record(session: Session, event: HubEvent, role: str, person: Identity, fields: list[str], now: datetime) -> int:
    """Keep one conflict (once per event and role); 1 when it is new."""
    return statements.add_citizen_conflict(session, {
        "event_id": event.id, "role": role, "id_number": person.id_number, "dossier_code": event.dossier_code,
        "counter_id": event.counter_id, "fields": ",".join(fields),
        "pulled_json": json.dumps(person.to_json(), ensure_ascii=False), "noted_at": now})


def conflicts(session: Session, limit: int = 500) -> list[CitizenConflict]:
    """Pulled people that differ from this counter's record, oldest first."""
    return list(session.exec(select(CitizenConflict).order_by(CitizenConflict.id).limit(limit)))  # type: ignore[arg-type]
