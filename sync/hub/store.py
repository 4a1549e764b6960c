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
from sqlalchemy import Connection, bindparam, func, select, text
from sqlalchemy.engine import Engine

from counter.errors import CounterError
from counter.law import lifecycle
from counter.records.ids import HybridClock, uuid7
from sync.adapter import CounterIdentity, EnrolmentRefused
from sync.hub import auditheads, validation
from sync.hub.schema import counter_token, enrolment_code, hub_dossier, hub_event, make_engine
from sync.protocol import (
    ACCEPTED,
    DUPLICATE,
    MAX_CLOCK_AHEAD_SECONDS,
    REJECTED,
    Event,
    EventResult,
    HubEvent,
    printable,
)

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


def _row(event: Event, digest: str, now: datetime) -> dict[str, Any]:
    """The hub_event row of an event."""
    return {
        "id": event.id,
        "dossier_uuid": event.dossier_uuid,
        "dossier_code": event.dossier_code,
        "unit_code": event.unit_code,
        "type": event.type,
        "payload_json": json.dumps(event.payload, ensure_ascii=False, sort_keys=True),
        "hlc": event.hlc,
        "occurred_at": event.occurred_at,
        "clerk": event.clerk,
        "counter_id": event.counter_id,
        "content_hash": digest,
        "stored_at": now,
    }


def _echo_id(raw: dict[str, Any]) -> str:
    """The id of a refused event as sent, cut short, to echo back."""
    return str(raw.get("id", ""))[:64]


def _rejected(event_id: str, code: str, reason: str) -> EventResult:
    """A rejection naming the event, its reason code and a Vietnamese sentence."""
    return EventResult(id=event_id, status=REJECTED, code=code, reason=reason)


class HubStore:
    """The hub's database; implements sync.adapter.ProvincialSystem plus the operator's commands."""

    def __init__(
        self,
        db: str,
        timezone: str = "Asia/Ho_Chi_Minh",
        max_clock_ahead_seconds: int = MAX_CLOCK_AHEAD_SECONDS,
        checks: bool = True,
    ) -> None:
        self.engine: Engine = make_engine(db)
        self.timezone = ZoneInfo(timezone)
        self.max_ahead_ms = max_clock_ahead_seconds * 1000
        self.checks = checks
        """False only in bench/bench_hub_checks.py: skip the text, clock, block and lifecycle checks to
        measure what they cost against the same hub."""

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

    def enrol(self, code: str, unit_code: str, counter_id: str, sequence_first: int, sequence_last: int) -> str:
        """Redeem a one-time code and return the counter's new bearer token (see ProvincialSystem)."""
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
            overlap = conn.execute(
                select(counter_token.c.counter_id, counter_token.c.sequence_first, counter_token.c.sequence_last)
                .where(
                    counter_token.c.unit_code == unit_code,
                    counter_token.c.counter_id != counter_id,
                    counter_token.c.revoked.is_(False),
                    counter_token.c.sequence_first <= sequence_last,
                    counter_token.c.sequence_last >= sequence_first,
                )
                .limit(1)
            ).first()
            if overlap is not None:
                raise EnrolmentRefused(
                    "block_overlap",
                    f"Dãy số {sequence_first}–{sequence_last} trùng với dãy {overlap.sequence_first}–"
                    f"{overlap.sequence_last} của quầy {overlap.counter_id}; hãy sửa [counter] trong counter.toml.",
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
                    sequence_first=sequence_first,
                    sequence_last=sequence_last,
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
        return CounterIdentity(
            unit_code=row.unit_code,
            counter_id=row.counter_id,
            sequence_first=row.sequence_first,
            sequence_last=row.sequence_last,
        )

    # --- push ------------------------------------------------------------------------------------

    def store_events(self, counter: CounterIdentity, events: list[dict[str, Any]]) -> list[EventResult]:
        """Store a batch in one transaction and answer each event (see ProvincialSystem).

        Set-based: one query for known ids, one for the dossiers involved, one multi-row insert and
        one refold of the touched dossiers, so a batch of 500 costs a handful of round trips to the DB.
        """
        now = _utcnow()
        now_ms = self.server_time_ms()
        results: list[EventResult | None] = [None] * len(events)
        parsed: list[tuple[int, Event, str]] = []
        for index, raw in enumerate(events):
            sender = validation.sender_problem(counter, raw)
            if sender is not None:
                results[index] = _rejected(_echo_id(raw), *sender)
                continue
            try:
                event = Event.model_validate(raw)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "?"
                results[index] = _rejected(
                    _echo_id(raw),
                    "invalid_event",
                    f"Sự kiện không đúng định dạng (trường {printable(where, 40)}: {printable(first['msg'], 120)}).",
                )
            else:
                parsed.append((index, event, content_hash(event)))
        with self.engine.begin() as conn:
            self._serialise_writers(conn)
            known = {
                row.id: row
                for row in conn.execute(
                    select(hub_event.c.id, hub_event.c.seq, hub_event.c.content_hash, hub_event.c.counter_id).where(
                        hub_event.c.id.in_([e.id for _, e, _ in parsed])
                    )
                )
            }
            owners = validation.Owners.load(conn, [e for _, e, _ in parsed])
            fresh: dict[str, tuple[int, str]] = {}
            rows: list[dict[str, Any]] = []
            for index, event, digest in parsed:
                seen = known.get(event.id)
                if seen is not None and seen.counter_id != counter.counter_id:
                    results[index] = _rejected(event.id, *validation.foreign_id())
                    continue
                if seen is not None or event.id in fresh:
                    same = (seen.content_hash if seen is not None else fresh[event.id][1]) == digest
                    results[index] = (
                        EventResult(status=DUPLICATE, seq=seen.seq if seen is not None else None)
                        if same
                        else _rejected(
                            event.id, "id_conflict", "Mã sự kiện đã được dùng cho một nội dung khác."
                        )
                    )
                    continue
                problem = validation.problem(counter, event, owners, now_ms, self.max_ahead_ms, self.checks)
                if problem is not None:
                    results[index] = _rejected(event.id, *problem)
                    continue
                owners.claim(event)
                fresh[event.id] = (index, digest)
                rows.append(_row(event, digest, now))
            if rows:
                inserted = conn.execute(
                    hub_event.insert().returning(
                        hub_event.c.id, hub_event.c.seq, sort_by_parameter_order=True
                    ),
                    rows,
                ).all()
                seqs = {row.id: row.seq for row in inserted}
                for index, event, _ in parsed:
                    result = results[index]
                    if result is None or (result.status == DUPLICATE and result.seq is None):
                        results[index] = EventResult(
                            status=result.status if result else ACCEPTED, seq=seqs[event.id]
                        )
                self._project(conn, {row["dossier_uuid"] for row in rows}, now)
        answered = [r for r in results if r is not None]
        assert len(answered) == len(events), "every event gets an answer"
        return answered

    def _project(self, conn: Connection, dossier_uuids: set[str], now: datetime) -> None:
        """Refold the hub's view of these dossiers (code, status, counter, events count) from their events.

        Statuses fold in arrival (seq) order: each was checked against the status before it.
        """
        rows = conn.execute(
            select(
                hub_event.c.dossier_uuid,
                hub_event.c.type,
                hub_event.c.payload_json,
                hub_event.c.hlc,
                hub_event.c.dossier_code,
                hub_event.c.unit_code,
                hub_event.c.counter_id,
            )
            .where(hub_event.c.dossier_uuid.in_(dossier_uuids))
            .order_by(hub_event.c.dossier_uuid, hub_event.c.seq)
        ).all()
        states: dict[str, dict[str, Any]] = {}
        counts: dict[str, int] = {}
        for row in rows:
            counts[row.dossier_uuid] = counts.get(row.dossier_uuid, 0) + 1
            state = states.get(row.dossier_uuid)
            if row.type == "received":
                state = states[row.dossier_uuid] = {
                    "code": row.dossier_code,
                    "unit_code": row.unit_code,
                    "counter_id": row.counter_id,
                    "status": lifecycle.RECEIVED,
                }
            elif state is not None and row.type == "status_changed":
                state["status"] = json.loads(row.payload_json)["to"]
            if state is not None:
                state["last_hlc"] = max(row.hlc, state.get("last_hlc", ""))
        existing = set(
            conn.execute(select(hub_dossier.c.uuid).where(hub_dossier.c.uuid.in_(list(states)))).scalars()
        )
        values = [
            {**state, "events_count": counts[uuid], "updated_at": now, "b_uuid": uuid}
            for uuid, state in states.items()
        ]
        inserts = [
            {**{k: v for k, v in row.items() if k != "b_uuid"}, "uuid": row["b_uuid"]}
            for row in values
            if row["b_uuid"] not in existing
        ]
        updates = [row for row in values if row["b_uuid"] in existing]
        if inserts:
            conn.execute(hub_dossier.insert(), inserts)
        if updates:
            conn.execute(hub_dossier.update().where(hub_dossier.c.uuid == bindparam("b_uuid")), updates)

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

    # --- audit heads (counter/store/auditchain.py) -----------------------------------------------------

    def record_audit_head(self, counter: CounterIdentity, count: int, head: str, prior_count: int,
                          prior_hash: str) -> dict[str, Any]:
        """Keep a counter's audit head; ok, broken (does not extend the previous) or need."""
        answer = auditheads.record(self.engine, counter, count, head, prior_count, prior_hash)
        flagged = [h["counter"] for h in auditheads.heads(self.engine, counter.unit_code) if h["broken_at"]]
        return answer | {"flagged": flagged}

    def audit_heads(self, unit_code: str | None = None) -> list[dict[str, Any]]:
        """Every counter's latest audit head, flagged ones marked."""
        return auditheads.heads(self.engine, unit_code)

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
            seq = conn.execute(
                hub_event.insert().returning(hub_event.c.seq), [_row(event, content_hash(event), now)]
            ).scalar_one()
            self._project(conn, {row.uuid}, now)
        return {"code": row.code, "status": status, "event": event.id, "seq": seq}
