"""Dossier rows are a projection of their events: fold the events in clock order into the row."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from counter.citizens.identity import Identity
from counter.law import lifecycle
from counter.records.events import (
    ATTACHMENT_ADDED,
    ATTACHMENT_REMOVED,
    FEE_PAID,
    FEE_REFUNDED,
    FIELD_CORRECTED,
    HANDED_OVER,
    RECEIVED,
    RESCHEDULED,
    STATUS_CHANGED,
)
from counter.store import rows, statements
from counter.store.models import Dossier, DossierEvent, EventRecord
from counter.text.textfold import fold

COUNTS = ("attached_components", "reused_components", "attached_results")
"""Attachment counts folded into the dossier row (the attachments themselves are read from the events)."""


class NewEvent(EventRecord):
    """A dossier event as this counter writes it (the columns it sets in `dossier_event`)."""

    def store(self, session: Session) -> None:
        """INSERT the event inside the caller's transaction."""
        rows.insert(session, "dossier_event", self.model_dump())


def _received(event: EventRecord, payload: dict[str, Any]) -> dict[str, Any]:
    """The dossier's columns as its `received` event sets them."""
    people = {role: p["id_number"] for role, p in payload["people"].items()}
    applicant = next(iter(payload["people"].values()), None)
    return {
        "uuid": event.dossier_uuid, "code": event.dossier_code, "unit_code": event.unit_code,
        "received_day": date.fromisoformat(payload["received_day"]), "sequence": payload["sequence"],
        "form_id": payload["form_id"], "status": lifecycle.RECEIVED, "values": dict(payload["values"]),
        "addresses": dict(payload.get("addresses", {})),
        "people_json": json.dumps(people, ensure_ascii=False),
        "applicant_id_number": applicant["id_number"] if applicant else "",
        "applicant_name": applicant["full_name"] if applicant else payload.get("applicant_name", ""),
        "received_at": datetime.fromisoformat(payload["received_at"]),
        "due_at": datetime.fromisoformat(payload["due_at"]), "finished_at": None, "returned_at": None,
        "closed_at": None, "returned_to": "",
        "rescheduled": False, "counter_id": event.counter_id, "clerk": event.clerk,
        "form_version": str(payload.get("form_version", "")), "form_sha256": str(payload.get("form_sha256", "")),
        **dict.fromkeys(COUNTS, 0),
        **_fee_columns(payload.get("fee")),
    }


def _count_attachment(state: dict[str, Any], payload: dict[str, Any], step: int) -> None:
    """Add (`step` 1) or take away (-1) one attachment of the kind and origin the payload records."""
    names = ["attached_results"] if payload.get("kind") == "result" else ["attached_components"]
    if payload.get("kind") != "result" and payload.get("reused_from"):
        names.append("reused_components")
    for name in names:
        state[name] = max(0, int(state.get(name, 0)) + step)


def _fee_columns(fee: Any) -> dict[str, Any]:
    """The fee columns a `received` payload sets (older dossiers and forms without a schedule: none)."""
    if not isinstance(fee, dict):
        return {"fee_json": "", "fee_due": 0, "payment_json": "", "fee_paid_at": None}
    return {"fee_json": json.dumps(fee, ensure_ascii=False), "fee_due": int(fee.get("amount", 0)),
            "payment_json": "", "fee_paid_at": None}


def payment_view(event: EventRecord, payload: dict[str, Any]) -> dict[str, Any]:
    """The `payment` of a dossier as a `fee_paid` event records it."""
    return {"amount": payload["amount"], "method": payload["method"], "receipt_no": payload["receipt_no"],
            "receipt_year": payload["receipt_year"], "reference": payload.get("reference", ""),
            "paid_at": event.occurred_at.isoformat(), "clerk": event.clerk, "counter": event.counter_id}


def _apply(state: dict[str, Any], event: EventRecord, payload: dict[str, Any]) -> None:
    """Fold one later event (not `received`) into the dossier's columns."""
    if event.type == FIELD_CORRECTED:
        state["values"].update(payload["values"])
        state["values"] = {k: v for k, v in state["values"].items() if v != ""}
        state["addresses"].update(payload.get("addresses", {}))
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
    elif event.type == HANDED_OVER:
        state["counter_id"] = payload["to"]
    elif event.type in (ATTACHMENT_ADDED, ATTACHMENT_REMOVED):
        _count_attachment(state, payload, 1 if event.type == ATTACHMENT_ADDED else -1)
    elif event.type == FEE_PAID:
        state["payment_json"] = json.dumps(payment_view(event, payload), ensure_ascii=False)
        state["fee_paid_at"] = event.occurred_at
    elif event.type == FEE_REFUNDED:
        state["payment_json"], state["fee_paid_at"] = "", None


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
    _serialise(state)
    return state, people


def _serialise(state: dict[str, Any]) -> None:
    """Turn the folded values and addresses into their columns (and the residence ward reports count by)."""
    state["values_json"] = json.dumps(state.pop("values"), ensure_ascii=False, sort_keys=True)
    structured = state.pop("addresses")
    first = next(iter(structured.values()), None)
    state["residence_ward_code"] = first.get("ward_code") if isinstance(first, dict) else None
    state["addresses_json"] = json.dumps(structured, ensure_ascii=False)


def _index_people(session: Session, dossier_id: int, people: dict[str, Any]) -> None:
    """Replace the dossier's rows in `dossier_person` (and so, by trigger, its name index) by `people`."""
    statements.replace_people(session, dossier_id, [(role, p.get("id_number", ""), fold(p.get("full_name", "")))
                                                    for role, p in people.items()])


def folded_events() -> Any:
    """The events a dossier row folds: all but a later event the hub refused (quarantined), so that a
    counter shows what the hub holds; the refused event stays in the outbox's quarantine, shown to the clerk."""
    return col(DossierEvent.quarantine_reason).is_(None) | (col(DossierEvent.type) == RECEIVED)


def project(session: Session, dossier_uuid: str) -> Dossier | None:
    """Recompute the dossier row from its events (inside the caller's transaction)."""
    events = list(session.exec(
        select(DossierEvent).where(DossierEvent.dossier_uuid == dossier_uuid, folded_events())
        .order_by(col(DossierEvent.hlc))
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


def apply_event(session: Session, row: Dossier | None, event: EventRecord) -> Dossier | None:
    """Fold one just-stored event into its dossier's row without re-reading the history.

    Only an event newer than everything already projected is applied incrementally; anything else
    (events before `received`, a second `received`, an event older than the row's last stamp) re-projects.
    The row is written with plain statements; `row`, when given, is updated to match.
    """
    payload = json.loads(event.payload_json)
    if row is None and event.type == RECEIVED and not statements.has_other_events(
            session, event.dossier_uuid, event.id):
        state = _received(event, payload)
        _serialise(state)
        row_id = rows.insert(session, "dossier", {**state, "last_hlc": event.hlc, "event_count": 1})
        _index_people(session, row_id, payload["people"])
        return session.get(Dossier, row_id)
    if row is None or row.id is None or event.type == RECEIVED or event.hlc <= row.last_hlc:
        return project(session, event.dossier_uuid)
    state = {"values": json.loads(row.values_json), "addresses": json.loads(row.addresses_json),
             "status": row.status, "finished_at": row.finished_at, "closed_at": row.closed_at,
             "counter_id": row.counter_id, **{name: getattr(row, name) for name in COUNTS}}
    _apply(state, event, payload)
    _serialise(state)
    rows.update(session, "dossier", row.id, {**state, "last_hlc": event.hlc, "event_count": row.event_count + 1},
                obj=row)
    return row


def upsert_citizen(session: Session, person: Identity, seen_at: datetime) -> None:
    """Store the identity read from a card, updating the earlier record of the same ID number."""
    values = (person.id_number, person.old_id_number, person.full_name, fold(person.full_name),
              person.birth_date, person.sex, person.address, person.issue_date, person.card_kind,
              json.dumps(list(person.extra), ensure_ascii=False), seen_at, seen_at)
    statements.upsert_citizen(session, dict(zip(statements.CITIZEN_COLUMNS, values, strict=True)))


def rebuild(session: Session) -> int:
    """Re-project every dossier from its events and rebuild the name index; returns the dossiers projected."""
    projected = sum(project(session, uuid) is not None for uuid in statements.event_dossier_uuids(session))
    statements.rebuild_name_index(session)
    return projected
