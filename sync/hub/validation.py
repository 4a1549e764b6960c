"""Per-event checks at the hub: origin, ownership of the dossier and the payload of known types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from counter import lifecycle
from sync.adapter import CounterIdentity
from sync.hub.schema import hub_dossier
from sync.protocol import Event

Problem = tuple[str, str]


def _iso_datetime(value: Any) -> bool:
    try:
        datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def _iso_date(value: Any) -> bool:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


PAYLOAD_RULES: dict[str, dict[str, Callable[[Any], bool]]] = {
    "received": {
        "form_id": lambda v: isinstance(v, str) and bool(v),
        "received_day": _iso_date,
        "sequence": lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 9999,
        "values": lambda v: isinstance(v, dict),
        "people": lambda v: isinstance(v, dict),
        "received_at": _iso_datetime,
        "due_at": _iso_datetime,
    },
    "status_changed": {"to": lambda v: v in lifecycle.STATUS_LABELS},
    "field_corrected": {"values": lambda v: isinstance(v, dict)},
    "rescheduled": {"new_due_at": _iso_datetime},
}
"""Required payload keys of the event types the hub understands; other types are stored as they are."""


@dataclass
class Owners:
    """Which dossier (uuid) holds which code and unit at the hub, for the dossiers of one batch."""

    by_uuid: dict[str, tuple[str, str]] = field(default_factory=dict)
    """uuid → (code, unit)."""
    by_code: dict[str, str] = field(default_factory=dict)
    """code → uuid."""

    @classmethod
    def load(cls, conn: Connection, events: list[Event]) -> Owners:
        """The hub's dossiers sharing a uuid or a code with these events (one query)."""
        owners = cls()
        if not events:
            return owners
        uuids = list({e.dossier_uuid for e in events})
        codes = list({e.dossier_code for e in events})
        for row in conn.execute(
            select(hub_dossier.c.uuid, hub_dossier.c.code, hub_dossier.c.unit_code).where(
                hub_dossier.c.uuid.in_(uuids) | hub_dossier.c.code.in_(codes)
            )
        ):
            owners.by_uuid[row.uuid] = (row.code, row.unit_code)
            owners.by_code[row.code] = row.uuid
        return owners

    def claim(self, event: Event) -> None:
        """Record that an accepted `received` event creates its dossier (later events see it)."""
        if event.type == "received":
            self.by_uuid.setdefault(event.dossier_uuid, (event.dossier_code, event.unit_code))
            self.by_code.setdefault(event.dossier_code, event.dossier_uuid)


def problem(counter: CounterIdentity, event: Event, owners: Owners) -> Problem | None:
    """Why the hub must reject this event (code, Vietnamese reason), or None to accept it."""
    if event.unit_code != counter.unit_code:
        return (
            "unit_mismatch",
            f"Sự kiện thuộc đơn vị {event.unit_code}, quầy chỉ được gửi cho {counter.unit_code}.",
        )
    if event.counter_id != counter.counter_id:
        return "counter_mismatch", (
            f"Sự kiện của quầy {event.counter_id}, nhưng quầy đăng ký là {counter.counter_id}."
        )
    if not _iso_datetime(event.occurred_at):
        return "invalid_event", "Thời điểm của sự kiện không hợp lệ."
    for key, valid in PAYLOAD_RULES.get(event.type, {}).items():
        if key not in event.payload or not valid(event.payload[key]):
            return "invalid_payload", f"Nội dung sự kiện “{event.type}” thiếu hoặc sai trường “{key}”."
    if event.type == "received" and not event.dossier_code.startswith(event.unit_code + "-"):
        return (
            "invalid_code",
            f"Mã hồ sơ {event.dossier_code} không bắt đầu bằng mã đơn vị {event.unit_code}.",
        )
    held = owners.by_uuid.get(event.dossier_uuid)
    if held is not None and held != (event.dossier_code, event.unit_code):
        return (
            "dossier_conflict",
            f"Hồ sơ {event.dossier_code} đã có ở hệ thống tỉnh với mã hoặc đơn vị khác.",
        )
    holder = owners.by_code.get(event.dossier_code)
    if event.type == "received" and holder is not None and holder != event.dossier_uuid:
        return "code_conflict", (
            f"Mã hồ sơ {event.dossier_code} đã được một hồ sơ khác dùng; kiểm tra dãy số thứ tự của các quầy."
        )
    return None
