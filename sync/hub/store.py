"""The reference provincial system: events upserted by id, a hub sequence, and dossier state."""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import Connection, func, select, text
from sqlalchemy.engine import Engine

from counter import lifecycle
from counter.errors import CounterError
from counter.ids import HybridClock, uuid7
from sync.adapter import CounterIdentity, EnrolmentRefused
from sync.hub import validation
from sync.hub.schema import counter_token, enrolment_code, hub_dossier, hub_event, make_engine
from sync.protocol import ACCEPTED, DUPLICATE, REJECTED, Event, EventResult, HubEvent

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
HUB_NODE = "@hub"
"""Origin of events made at the hub (never a valid counter id, so never mistaken for one)."""


class HubError(CounterError):
    """An administrative request to the hub that cannot be carried out."""

    title = "Hệ thống tỉnh từ chối"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def content_hash(event: Event) -> str:
    """Fingerprint of an event's content, to tell a resend (same) from a reused id (different)."""
    return _digest(json.dumps(event.model_dump(), ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def _insert(conn: Connection, event: Event, now: datetime) -> int:
    """Append one event; returns its hub sequence number."""
    key = conn.execute(
        hub_event.insert().values(
            id=event.id,
            dossier_uuid=event.dossier_uuid,
            dossier_code=event.dossier_code,
            unit_code=event.unit_code,
            type=event.type,
            payload_json=json.dumps(event.payload, ensure_ascii=False, sort_keys=True),
            hlc=event.hlc,
            occurred_at=event.occurred_at,
            clerk=event.clerk,
            counter_id=event.counter_id,
            content_hash=content_hash(event),
            stored_at=now,
        )
    ).inserted_primary_key
    assert key is not None
    return int(key[0])


class HubStore:
    """The hub's database; implements sync.adapter.ProvincialSystem plus the operator's commands."""

    def __init__(self, db: str, timezone: str = "Asia/Ho_Chi_Minh") -> None:
        self.engine: Engine = make_engine(db)
        self.timezone = ZoneInfo(timezone)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def server_time_ms(self) -> int:
        """The hub's wall clock in Unix milliseconds."""
        return time.time_ns() // 1_000_000

    def _serialise_writers(self, conn: Connection) -> None:
        """On PostgreSQL, one writer at a time, so sequence numbers become visible in order."""
        if self.engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(424242)"))

    # --- enrolment -------------------------------------------------------------------------------

    def new_enrolment_code(self, unit_code: str, ttl_hours: int = 72) -> str:
        """A one-time code an operator gives to one counter of `unit_code`."""
        raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
        now = _utcnow()
        with self.engine.begin() as conn:
            conn.execute(
                enrolment_code.insert().values(
                    code_hash=_digest(raw),
                    unit_code=unit_code,
                    created_at=now,
                    expires_at=now + timedelta(hours=ttl_hours),
                )
            )
        return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"

    def enrol(self, code: str, unit_code: str, counter_id: str) -> str:
        """Redeem a one-time code and return the counter's new bearer token."""
        now = _utcnow()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(enrolment_code).where(enrolment_code.c.code_hash == _digest(_normalise_code(code)))
            ).first()
            if row is None:
                raise EnrolmentRefused("invalid_code", "Mã đăng ký không đúng.")
            if row.used_at is not None:
                raise EnrolmentRefused("code_used", "Mã đăng ký đã được dùng; hãy xin mã mới.")
            if row.expires_at < now:
                raise EnrolmentRefused("code_expired", "Mã đăng ký đã hết hạn; hãy xin mã mới.")
            if row.unit_code != unit_code:
                raise EnrolmentRefused(
                    "unit_mismatch", f"Mã đăng ký dành cho đơn vị {row.unit_code}, không phải {unit_code}."
                )
            token = "mc1_" + secrets.token_urlsafe(32)
            conn.execute(
                enrolment_code.update()
                .where(enrolment_code.c.code_hash == row.code_hash)
                .values(used_at=now, used_by=counter_id)
            )
            conn.execute(
                counter_token.insert().values(
                    token_hash=_digest(token),
                    unit_code=unit_code,
                    counter_id=counter_id,
                    created_at=now,
                    revoked=False,
                )
            )
        return token

    def authenticate(self, token: str) -> CounterIdentity | None:
        """The enrolled counter holding this token, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(counter_token).where(counter_token.c.token_hash == _digest(token))
            ).first()
        if row is None or row.revoked:
            return None
        return CounterIdentity(unit_code=row.unit_code, counter_id=row.counter_id)

    # --- push ------------------------------------------------------------------------------------

    def store_events(self, counter: CounterIdentity, events: list[dict[str, Any]]) -> list[EventResult]:
        """Store a batch in one transaction and answer each event (see ProvincialSystem)."""
        results: list[EventResult] = []
        now = _utcnow()
        with self.engine.begin() as conn:
            self._serialise_writers(conn)
            for raw in events:
                result, event = self._check(conn, counter, raw)
                if result is not None:
                    results.append(result)
                    continue
                assert event is not None
                seq = _insert(conn, event, now)
                self._project(conn, event.dossier_uuid, now)
                results.append(EventResult(id=event.id, status=ACCEPTED, seq=seq))
        return results

    def _check(
        self, conn: Connection, counter: CounterIdentity, raw: dict[str, Any]
    ) -> tuple[EventResult | None, Event | None]:
        """A ready answer for an event that is a duplicate or refused, else the parsed event."""
        event_id = str(raw.get("id", ""))[:64]
        try:
            event = Event.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "?"
            return EventResult(
                id=event_id,
                status=REJECTED,
                code="invalid_event",
                reason=f"Sự kiện không đúng định dạng (trường {where}: {first['msg']}).",
            ), None
        existing = conn.execute(
            select(hub_event.c.seq, hub_event.c.content_hash).where(hub_event.c.id == event.id)
        ).first()
        if existing is not None:
            if existing.content_hash == content_hash(event):
                return EventResult(id=event.id, status=DUPLICATE, seq=existing.seq), None
            return EventResult(
                id=event.id,
                status=REJECTED,
                code="id_conflict",
                reason="Mã sự kiện đã được dùng cho một nội dung khác.",
            ), None
        problem = validation.problem(conn, counter, event)
        if problem is not None:
            code, reason = problem
            return EventResult(id=event.id, status=REJECTED, code=code, reason=reason), None
        return None, event

    def _project(self, conn: Connection, dossier_uuid: str, now: datetime) -> None:
        """Refold the hub's view of one dossier (code, status, counter, events count) from its events."""
        rows = conn.execute(
            select(
                hub_event.c.type,
                hub_event.c.payload_json,
                hub_event.c.hlc,
                hub_event.c.dossier_code,
                hub_event.c.unit_code,
                hub_event.c.counter_id,
            )
            .where(hub_event.c.dossier_uuid == dossier_uuid)
            .order_by(hub_event.c.hlc)
        ).all()
        state: dict[str, Any] | None = None
        for row in rows:
            if row.type == "received":
                state = {
                    "code": row.dossier_code,
                    "unit_code": row.unit_code,
                    "counter_id": row.counter_id,
                    "status": lifecycle.RECEIVED,
                }
            elif state is not None and row.type == "status_changed":
                state["status"] = json.loads(row.payload_json)["to"]
        if state is None:
            return
        values = {**state, "events_count": len(rows), "last_hlc": rows[-1].hlc, "updated_at": now}
        exists = conn.execute(select(hub_dossier.c.uuid).where(hub_dossier.c.uuid == dossier_uuid)).first()
        if exists is None:
            conn.execute(hub_dossier.insert().values(uuid=dossier_uuid, **values))
        else:
            conn.execute(hub_dossier.update().where(hub_dossier.c.uuid == dossier_uuid).values(**values))

    # --- pull ------------------------------------------------------------------------------------

    def events_after(
        self, counter: CounterIdentity, after: int, limit: int, include_own: bool
    ) -> tuple[list[HubEvent], int, bool]:
        """A page of the unit's events after `after` (see ProvincialSystem)."""
        query = select(hub_event).where(hub_event.c.unit_code == counter.unit_code, hub_event.c.seq > after)
        if not include_own:
            query = query.where(hub_event.c.counter_id != counter.counter_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(hub_event.c.seq).limit(limit + 1)).all()
            more = len(rows) > limit
            rows = rows[:limit]
            if rows:
                next_after = rows[-1].seq
            else:
                highest = conn.execute(
                    select(func.max(hub_event.c.seq)).where(hub_event.c.unit_code == counter.unit_code)
                ).scalar()
                next_after = max(after, highest or 0)
        events = [
            HubEvent(
                id=r.id,
                dossier_uuid=r.dossier_uuid,
                dossier_code=r.dossier_code,
                unit_code=r.unit_code,
                type=r.type,
                payload=json.loads(r.payload_json),
                hlc=r.hlc,
                occurred_at=r.occurred_at,
                clerk=r.clerk,
                counter_id=r.counter_id,
                seq=r.seq,
            )
            for r in rows
        ]
        return events, next_after, more

    # --- operator --------------------------------------------------------------------------------

    def dossiers(self, unit_code: str) -> list[dict[str, Any]]:
        """The dossiers the hub holds for a unit: code, status, counter, events count."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(hub_dossier).where(hub_dossier.c.unit_code == unit_code).order_by(hub_dossier.c.code)
            ).all()
        return [
            {"code": r.code, "status": r.status, "counter": r.counter_id, "events": r.events_count}
            for r in rows
        ]

    def set_status(
        self, code: str, status: str, by: str = "Sở ngành tỉnh", reason: str = ""
    ) -> dict[str, Any]:
        """Record a status change made by a provincial department; it flows back to the counters."""
        now = _utcnow()
        with self.engine.begin() as conn:
            self._serialise_writers(conn)
            row = conn.execute(select(hub_dossier).where(hub_dossier.c.code == code.strip())).first()
            if row is None:
                raise HubError(f"Hệ thống tỉnh chưa có hồ sơ mã “{code.strip()}”.")
            problem = lifecycle.transition_error(row.status, status)
            if problem:
                raise HubError(problem)
            event = Event(
                id=uuid7(),
                dossier_uuid=row.uuid,
                dossier_code=row.code,
                unit_code=row.unit_code,
                type="status_changed",
                payload={"from": row.status, "to": status, "reason": reason, "by": by},
                hlc=HybridClock(HUB_NODE, row.last_hlc).now(),
                occurred_at=datetime.now(self.timezone).replace(tzinfo=None, microsecond=0).isoformat(),
                clerk=by,
                counter_id=HUB_NODE,
            )
            seq = _insert(conn, event, now)
            self._project(conn, row.uuid, now)
        return {"code": row.code, "status": status, "event": event.id, "seq": seq}
