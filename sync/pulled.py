"""The counter's own rules applied to events pulled from the hub: a refused event is kept aside, not applied.

The hub checks what it stores, but a counter trusts nothing unchecked either (an older or another
province's hub, or one tampered with): a pulled event must be plain text, carry a valid payload, use
a code of its own day and sequence that no other dossier holds, and move a dossier's status only as
the lifecycle allows. One that does not is stored in `held_event` and shown by `counter sync
--status` and `counter report stuck`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from counter.citizens.identity import Identity
from counter.law import lifecycle
from counter.store.models import Dossier, HeldEvent
from sync.protocol import HubEvent, iso_datetime, payload_problem, payload_text_problem, text_problem

ENVELOPE_TEXT = ("dossier_code", "unit_code", "type", "occurred_at", "clerk", "counter_id")


@dataclass
class Known:
    """The dossiers a page of pulled events touches, as this counter holds them, updated as events apply."""

    status: dict[str, str] = field(default_factory=dict)
    """uuid → current status."""
    code_of: dict[str, str] = field(default_factory=dict)
    """uuid → code."""
    uuid_of: dict[str, str] = field(default_factory=dict)
    """code → uuid."""

    @classmethod
    def load(cls, session: Session, events: list[HubEvent]) -> Known:
        """The local dossiers sharing a uuid or a code with these events (one query)."""
        known = cls()
        uuids = {e.dossier_uuid for e in events}
        codes = {e.dossier_code for e in events}
        if not events:
            return known
        rows = session.exec(
            select(Dossier.uuid, Dossier.code, Dossier.status).where(
                col(Dossier.uuid).in_(uuids) | col(Dossier.code).in_(codes)
            )
        )
        for uuid, code, status in rows:
            known.status[uuid], known.code_of[uuid], known.uuid_of[code] = status, code, uuid
        return known

    def apply(self, event: HubEvent) -> None:
        """Record what an applied event changes for the events after it."""
        if event.type == "received":
            self.status[event.dossier_uuid] = lifecycle.RECEIVED
            self.code_of[event.dossier_uuid] = event.dossier_code
            self.uuid_of[event.dossier_code] = event.dossier_uuid
        elif event.type == "status_changed":
            self.status[event.dossier_uuid] = event.payload["to"]


def _text(event: HubEvent) -> str | None:
    for name in ENVELOPE_TEXT:
        problem = text_problem(getattr(event, name))
        if problem:
            return f"Trường {name} chứa {problem}."
    found = payload_text_problem(event.payload)
    return f"Trường {found[0]} chứa {found[1]}." if found else None


def _person_ok(person: Any) -> bool:
    """Whether a person of a pulled `received` payload reads back as an identity with a name and ID."""
    try:
        identity = Identity.from_json(person)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return isinstance(identity.id_number, str) and isinstance(identity.full_name, str)


def _received(event: HubEvent, known: Known) -> str | None:
    payload = event.payload
    expected = f"{event.unit_code}-{date.fromisoformat(payload['received_day']):%y%m%d}-{payload['sequence']:04d}"
    if event.dossier_code != expected:
        return f"Mã hồ sơ không khớp ngày và số thứ tự của hồ sơ ({expected})."
    for person in payload["people"].values():
        if not _person_ok(person):
            return "Thông tin công dân trong hồ sơ không hợp lệ."
    if event.dossier_uuid in known.code_of:
        return "Hồ sơ này đã được tiếp nhận trên quầy."
    if event.dossier_code in known.uuid_of:
        return "Mã hồ sơ đã được một hồ sơ khác trên quầy dùng."
    return None


def problem(event: HubEvent, known: Known) -> str | None:
    """Why this counter must not apply a pulled event (one Vietnamese sentence), or None."""
    found = _text(event)
    if found:
        return found
    if not iso_datetime(event.occurred_at):
        return "Thời điểm của sự kiện không hợp lệ."
    missing = payload_problem(event.type, event.payload)
    if missing:
        return f"Nội dung sự kiện “{event.type}” thiếu hoặc sai trường “{missing}”."
    if event.type == "received":
        return _received(event, known)
    current = known.status.get(event.dossier_uuid)
    if current is None or known.code_of.get(event.dossier_uuid) != event.dossier_code:
        return "Quầy chưa có hồ sơ này (hoặc mã hồ sơ khác)."
    if event.type == "status_changed":
        return lifecycle.transition_error(current, event.payload["to"])
    return None


def hold(session: Session, event: HubEvent, reason: str, now: datetime) -> None:
    """Keep a refused pulled event aside (once), inside the caller's transaction."""
    if session.get(HeldEvent, event.id) is not None:
        return
    session.add(
        HeldEvent(
            id=event.id,
            dossier_code=event.dossier_code,
            type=event.type,
            counter_id=event.counter_id,
            hub_seq=event.seq,
            reason=reason,
            event_json=json.dumps(event.model_dump(), ensure_ascii=False),
            held_at=now,
        )
    )


def held(session: Session, limit: int = 500) -> list[HeldEvent]:
    """Pulled events kept aside, in the hub's order."""
    return list(session.exec(select(HeldEvent).order_by(col(HeldEvent.hub_seq)).limit(limit)))
