"""How a dossier is shown: the short JSON of lists and the full JSON of one dossier (people, values, events,
attachments), read over a plain DB-API connection so that `dossier show` starts without the ORM."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from counter.attachments import records as attachment_records
from counter.citizens.idnumber import mask, mask_in_text
from counter.law import lifecycle
from counter.records.events import FIELD_CORRECTED, STATUS_CHANGED
from counter.records.history import event_summary
from counter.store import plain

if TYPE_CHECKING:
    from counter.store.models import Dossier


def summary_json(dossier: Dossier | plain.DossierRow) -> dict[str, Any]:
    """The short JSON view used by `dossier new` and `dossier list`."""
    return {
        "code": dossier.code, "form": dossier.form_id, "status": dossier.status,
        "received_at": dossier.received_at.isoformat(), "due_at": dossier.due_at.isoformat(),
        "applicant": dossier.applicant_name, "applicant_id": mask(dossier.applicant_id_number),
        "counter": dossier.counter_id, "clerk": dossier.clerk,
        "fee": json.loads(dossier.fee_json) if dossier.fee_json else None,
    }


def _receiver_id(events: Iterable[plain.EventRow]) -> str:
    """The ID number of whoever received the result last ("" when not returned or not recorded)."""
    for event in reversed(list(events)):
        if event.type == STATUS_CHANGED:
            payload = json.loads(event.payload_json)
            if payload.get("to") == lifecycle.RETURNED:
                return str(payload.get("receiver_id", ""))
    return ""


def _event_extra(event: plain.EventRow) -> dict[str, Any]:
    """The history line of an event, its reason, and what a correction changed (field ids, old and new values)."""
    payload = json.loads(event.payload_json)
    extra: dict[str, Any] = {"summary": mask_in_text(event_summary(event.type, payload)),
                             "reason": mask_in_text(str(payload.get("reason", "")))}
    if event.type == FIELD_CORRECTED:
        extra["changes"] = {k: {"old": payload.get("old_values", {}).get(k, ""), "new": v}
                            for k, v in payload.get("values", {}).items()}
    return extra


def detail_json(conn: Any, dossier: Dossier | plain.DossierRow) -> dict[str, Any]:
    """The full JSON view of one dossier, with its people, values (ID numbers masked in both) and events;
    `conn` is a DB-API connection (counter.store.db.Store.connection, or rows.driver of a session)."""
    people = json.loads(dossier.people_json)
    names = plain.citizen_names(conn, list(people.values()))
    events = plain.events_of(conn, dossier.uuid)
    return {
        **summary_json(dossier),
        "status_label": lifecycle.label(dossier.status),
        "finished_at": dossier.finished_at.isoformat() if dossier.finished_at else None,
        "returned_at": dossier.returned_at.isoformat() if dossier.returned_at else None,
        "rescheduled": dossier.rescheduled,
        "returned_to": dossier.returned_to,
        "returned_to_id": mask(_receiver_id(events)),
        "form_version": dossier.form_version,
        "form_sha256": dossier.form_sha256,
        "payment": json.loads(dossier.payment_json) if dossier.payment_json else None,
        "people": {role: {"id_number": mask(n), "full_name": names.get(n, "")} for role, n in people.items()},
        "values": {field: mask_in_text(value) if isinstance(value, str) else value
                   for field, value in json.loads(dossier.values_json).items()},
        "addresses": json.loads(dossier.addresses_json),
        "synced": all(e.synced_at is not None for e in events),
        "sync_rejected": next((e.quarantine_reason for e in events if e.quarantine_reason and not e.synced_at), None),
        "events": [{"id": e.id, "type": e.type, "at": e.occurred_at.isoformat(), "clerk": e.clerk,
                    "counter": e.counter_id, "synced": e.synced_at is not None, **_event_extra(e)} for e in events],
        "attachments": [a.to_json(n) for n, a in enumerate(attachment_records.of_dossier(conn, dossier.uuid), 1)],
    }
