"""Queries behind citizens' status notices: a dossier's `received` payload, the notices and their delivery."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session, col, func, select

from counter.store.models import DossierEvent

NOTICE_REQUESTED = "notice_requested"
NOTICE_STATE = "notice_state"


def received_payload(session: Session, dossier_uuid: str) -> dict[str, Any]:
    """The payload of the dossier's `received` event ({} when this counter has none)."""
    found = session.exec(select(DossierEvent.payload_json).where(
        DossierEvent.dossier_uuid == dossier_uuid, DossierEvent.type == "received")
        .order_by(col(DossierEvent.hlc)).limit(1)).first()
    return json.loads(found) if found else {}


def notice_events(session: Session, limit: int) -> list[DossierEvent]:
    """The newest `notice_requested` events first."""
    return list(session.exec(select(DossierEvent).where(DossierEvent.type == NOTICE_REQUESTED)
                             .order_by(col(DossierEvent.hlc).desc()).limit(limit)))


def delivery_states(session: Session, notice_ids: list[str]) -> dict[str, dict[str, Any]]:
    """notice id → the payload of the last `notice_state` event the hub sent back for it (these ids only)."""
    states: dict[str, dict[str, Any]] = {}
    notice_id = func.json_extract(DossierEvent.payload_json, "$.notice_id")
    for start in range(0, len(notice_ids), 500):
        query = select(DossierEvent.payload_json).where(
            DossierEvent.type == NOTICE_STATE, notice_id.in_(notice_ids[start:start + 500]))
        for payload_json in session.exec(query.order_by(col(DossierEvent.hlc))):
            payload = json.loads(payload_json)
            states[str(payload.get("notice_id"))] = payload
    return states
