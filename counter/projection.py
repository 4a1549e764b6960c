"""Dossier rows are a projection of their events: fold the events in clock order into the row."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from counter import lifecycle
from counter.identity import Identity
from counter.store.models import Citizen, Dossier, DossierEvent, DossierPerson
from counter.textfold import fold

RECEIVED = "received"
FIELD_CORRECTED = "field_corrected"
STATUS_CHANGED = "status_changed"
RESCHEDULED = "rescheduled"
EVENT_TYPES = (RECEIVED, FIELD_CORRECTED, STATUS_CHANGED, RESCHEDULED)


def _received(event: DossierEvent, payload: dict[str, Any]) -> dict[str, Any]:
    """The dossier's columns as its `received` event sets them."""
    people = {role: p["id_number"] for role, p in payload["people"].items()}
    applicant = next(iter(payload["people"].values()), None)
    return {
        "uuid": event.dossier_uuid, "code": event.dossier_code, "unit_code": event.unit_code,
        "received_day": date.fromisoformat(payload["received_day"]), "sequence": payload["sequence"],
        "form_id": payload["form_id"], "status": lifecycle.RECEIVED, "values": dict(payload["values"]),
        "people_json": json.dumps(people, ensure_ascii=False),
        "applicant_id_number": applicant["id_number"] if applicant else "",
        "applicant_name": applicant["full_name"] if applicant else payload.get("applicant_name", ""),
        "received_at": datetime.fromisoformat(payload["received_at"]),
        "due_at": datetime.fromisoformat(payload["due_at"]), "finished_at": None, "returned_at": None,
        "closed_at": None, "returned_to": "",
        "rescheduled": False, "counter_id": event.counter_id, "clerk": event.clerk,
    }


def _apply(state: dict[str, Any], event: DossierEvent, payload: dict[str, Any]) -> None:
    """Fold one later event (not `received`) into the dossier's columns."""
    if event.type == FIELD_CORRECTED:
        state["values"].update(payload["values"])
    elif event.type == STATUS_CHANGED:
        state["status"] = payload["to"]
        if payload["to"] in lifecycle.FINISHED and state["finished_at"] is None:
            state["finished_at"] = event.occurred_at
        if payload["to"] not in lifecycle.OPEN and state["closed_at"] is None:
            state["closed_at"] = event.occurred_at
        if payload["to"] == lifecycle.RETURNED:
            state["returned_at"] = event.occurred_at
            state["returned_to"] = payload.get("receiver", "")
    elif event.type == RESCHEDULED:
        state["due_at"] = datetime.fromisoformat(payload["new_due_at"])
        state["rescheduled"] = True


def _fold(events: list[DossierEvent]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The dossier's columns after all `events` and its people, or None while `received` is missing."""
    state: dict[str, Any] | None = None
    people: dict[str, Any] = {}
    for event in events:
        payload = json.loads(event.payload_json)
        if event.type == RECEIVED:
            state, people = _received(event, payload), payload["people"]
        elif state is None:
            continue
        else:
            _apply(state, event, payload)
        state["last_hlc"] = event.hlc
    if state is None:
        return None
    state["event_count"] = len(events)
    state["values_json"] = json.dumps(state.pop("values"), ensure_ascii=False, sort_keys=True)
    return state, people


def _index_people(session: Session, dossier_id: int, people: dict[str, Any]) -> None:
    """Replace the dossier's rows in `dossier_person` (and so its name index) by `people`."""
    session.execute(delete(DossierPerson).where(col(DossierPerson.dossier_id) == dossier_id))
    rows = [{"dossier_id": dossier_id, "role": role, "id_number": p.get("id_number", ""),
             "name_folded": fold(p.get("full_name", ""))} for role, p in people.items()]
    if rows:
        session.execute(insert(DossierPerson), rows)


def project(session: Session, dossier_uuid: str) -> Dossier | None:
    """Recompute the dossier row from all of its events (inside the caller's transaction)."""
    events = list(session.exec(
        select(DossierEvent).where(DossierEvent.dossier_uuid == dossier_uuid).order_by(col(DossierEvent.hlc))
    ))
    folded = _fold(events)
    if folded is None:
        return None
    state, people = folded
    row = session.exec(select(Dossier).where(Dossier.uuid == dossier_uuid)).first()
    if row is None:
        row = Dossier(**state)
    else:
        for key, value in state.items():
            setattr(row, key, value)
    session.add(row)
    session.flush()
    assert row.id is not None
    _index_people(session, row.id, people)
    return row


def _has_other_events(session: Session, event: DossierEvent) -> bool:
    """True when the dossier has events besides `event` (they arrived before its `received`)."""
    return session.exec(select(DossierEvent.id).where(
        DossierEvent.dossier_uuid == event.dossier_uuid, DossierEvent.id != event.id).limit(1)).first() is not None


def apply_event(session: Session, row: Dossier | None, event: DossierEvent) -> Dossier | None:
    """Fold one just-stored event into its dossier's row without re-reading the history.

    Only an event newer than everything already projected is applied incrementally; anything else
    (events before `received`, a second `received`, an event older than the row's last stamp) re-projects.
    """
    payload = json.loads(event.payload_json)
    if row is None and event.type == RECEIVED and not _has_other_events(session, event):
        state = _received(event, payload)
        state["values_json"] = json.dumps(state.pop("values"), ensure_ascii=False, sort_keys=True)
        row = Dossier(**state, last_hlc=event.hlc, event_count=1)
        session.add(row)
        session.flush()
        assert row.id is not None
        _index_people(session, row.id, payload["people"])
        return row
    if row is None or event.type == RECEIVED or event.hlc <= row.last_hlc:
        return project(session, event.dossier_uuid)
    state = {"values": json.loads(row.values_json), "status": row.status, "finished_at": row.finished_at,
             "closed_at": row.closed_at}
    _apply(state, event, payload)
    state["values_json"] = json.dumps(state.pop("values"), ensure_ascii=False, sort_keys=True)
    for key, value in state.items():
        setattr(row, key, value)
    row.last_hlc = event.hlc
    row.event_count += 1
    session.add(row)
    session.flush()
    return row


def upsert_citizen(session: Session, person: Identity, seen_at: datetime) -> Citizen:
    """Store the identity read from a card, updating the earlier record of the same ID number."""
    row = session.exec(select(Citizen).where(Citizen.id_number == person.id_number)).first()
    values: dict[str, Any] = {
        "old_id_number": person.old_id_number, "full_name": person.full_name,
        "name_folded": fold(person.full_name), "birth_date": person.birth_date, "sex": person.sex,
        "address": person.address, "issue_date": person.issue_date, "card_kind": person.card_kind,
        "extra_json": json.dumps(list(person.extra), ensure_ascii=False), "last_seen_at": seen_at,
    }
    if row is None:
        row = Citizen(id_number=person.id_number, first_seen_at=seen_at, **values)
    elif seen_at >= row.last_seen_at:
        for key, value in values.items():
            setattr(row, key, value)
    session.add(row)
    return row
