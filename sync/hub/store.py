"""The reference provincial system: events upserted by id, a hub sequence, and dossier state."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, func, select, text
from sqlalchemy.engine import Engine

from counter.errors import CounterError
from counter.law import lifecycle
from counter.law.forms import FormDef, load_forms
from counter.records.ids import HybridClock, uuid7
from sync import checks
from sync.adapter import AuditHeadAnswer, CounterIdentity, SystemSettings
from sync.checks import Owners, content_hash, rejected
from sync.dossier_checks import (
    FEE_EVENTS,
    FEE_PAID,
    HANDED_OVER,
    HUB_NODE,
    NOTICE_REQUESTED,
    UNORDERED,
    DossierFacts,
    KnownForms,
    consented_phone,
    fee_amount,
)
from sync.hub import auditheads, enrolment
from sync.hub.schema import counter_token, hub_dossier, hub_event, make_engine
from sync.protocol import ACCEPTED, DUPLICATE, MAX_CLOCK_AHEAD_SECONDS, Event, EventResult, HubEvent


class HubError(CounterError):
    """An administrative request to the hub that cannot be carried out."""

    title = "Hệ thống tỉnh từ chối"


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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


def _owners(conn: Connection, events: list[Event], unit_code: str) -> Owners:
    """The hub's dossiers sharing a uuid or a code with these events (one query), and the unit's counters
    when a hand-over needs them."""
    owners = Owners()
    if events:
        uuids = list({e.dossier_uuid for e in events})
        codes = list({e.dossier_code for e in events})
        d = hub_dossier.c
        query = select(d.uuid, d.code, d.unit_code, d.status, d.counter_id, d.last_hlc, d.form_id, d.received_at)
        for row in conn.execute(query.where(d.uuid.in_(uuids) | d.code.in_(codes))):
            owners.hold(row.uuid, row.code, row.unit_code,
                        DossierFacts(row.code, row.counter_id, row.status, row.last_hlc, row.form_id, row.received_at))
        _received_facts(conn, owners, [e.dossier_uuid for e in events if e.type in (*FEE_EVENTS, NOTICE_REQUESTED)])
    if any(e.type == HANDED_OVER for e in events):
        t = counter_token.c
        owners.counters = frozenset(conn.execute(
            select(t.counter_id).where(t.unit_code == unit_code, t.revoked.is_(False))).scalars())
    return owners


def _received_facts(conn: Connection, owners: Owners, uuids: list[str]) -> None:
    """What the `received` event of each held dossier a batch pays, refunds or notifies about says (pinned fee,
    consented mobile number), and whether its fee stands paid (events by seq)."""
    if not uuids:
        return
    e = hub_event.c
    query = select(e.dossier_uuid, e.type, e.payload_json).where(
        e.dossier_uuid.in_(sorted(set(uuids))), e.type.in_(("received", *FEE_EVENTS))).order_by(e.seq)
    for row in conn.execute(query):
        facts = owners.facts.get(row.dossier_uuid)
        if facts is None:
            continue
        if row.type == "received":
            payload = json.loads(row.payload_json)
            facts.fee_due, facts.notice_phone = fee_amount(payload), consented_phone(payload)
        else:
            facts.paid = row.type == FEE_PAID


class HubStore:
    """The hub's database; implements sync.adapter.ProvincialSystem plus the operator's commands."""

    def __init__(
        self,
        db: str,
        timezone: str = "Asia/Ho_Chi_Minh",
        max_clock_ahead_seconds: int = MAX_CLOCK_AHEAD_SECONDS,
        checks: bool = True,
        forms: dict[str, FormDef] | None = None,
        replace_active_token: bool = True,
    ) -> None:
        self.engine: Engine = make_engine(db)
        self.forms = KnownForms(load_forms() if forms is None else forms)
        """Forms whose fields bound the values of dossiers taken on that very version (the shipped ones)."""
        self.replace_active_token = replace_active_token
        """A new token for a counter id revokes its active one (False: enrolment is refused while one is active)."""
        self.timezone = ZoneInfo(timezone)
        self.max_ahead_ms = max_clock_ahead_seconds * 1000
        self.checks = checks
        """False only in bench/bench_hub_checks.py: skip the text, clock, block and lifecycle checks to
        measure what they cost against the same hub."""

    @classmethod
    def from_settings(cls, settings: SystemSettings) -> HubStore:
        """The reference system as `counter hub serve` starts it (its `motcua_counter.provincial_systems` entry)."""
        return cls(settings.db, settings.timezone, settings.max_clock_ahead_seconds,
                   replace_active_token=settings.replace_active_token)

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

    # --- enrolment (sync/hub/enrolment.py) -----------------------------------------------------

    def new_enrolment_code(self, unit_code: str, counter_id: str, ttl_hours: int = 72) -> str:
        """A one-time code an operator gives to counter `counter_id` of `unit_code`."""
        return enrolment.new_code(self.engine, unit_code, counter_id, ttl_hours)

    def enrol(self, code: str, unit_code: str, counter_id: str, sequence_first: int, sequence_last: int) -> str:
        """Redeem a one-time code and return the counter's new bearer token (see ProvincialSystem)."""
        return enrolment.enrol(self.engine, code, unit_code, counter_id, (sequence_first, sequence_last),
                               self.replace_active_token)

    def authenticate(self, token: str) -> CounterIdentity | None:
        """The enrolled counter holding this token, or None (a revoked token's use is counted and logged)."""
        return enrolment.authenticate(self.engine, token)

    def revoke(self, unit_code: str, counter_id: str) -> int:
        """End every valid token of a counter; how many were revoked."""
        return enrolment.revoke(self.engine, unit_code, counter_id)

    def counters(self, unit_code: str | None = None) -> list[dict[str, Any]]:
        """Every token issued, with its counter, block, revocation and refused uses."""
        return enrolment.counters(self.engine, unit_code)

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
            admitted = checks.admit(counter, raw)
            if isinstance(admitted, EventResult):
                results[index] = admitted
            else:
                parsed.append((index, admitted, content_hash(admitted)))
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
            owners = _owners(conn, [e for _, e, _ in parsed], counter.unit_code)
            fresh: dict[str, tuple[int, str]] = {}
            rows: list[dict[str, Any]] = []
            for index, event, digest in parsed:
                seen = known.get(event.id)
                if seen is not None and seen.counter_id != counter.counter_id:
                    results[index] = rejected(event.id, checks.foreign_id())
                    continue
                if seen is not None or event.id in fresh:
                    same = (seen.content_hash if seen is not None else fresh[event.id][1]) == digest
                    results[index] = (
                        EventResult(status=DUPLICATE, seq=seen.seq if seen is not None else None)
                        if same
                        else rejected(event.id, checks.id_conflict())
                    )
                    continue
                problem = checks.problem(counter, event, owners, now_ms, self.max_ahead_ms, self.checks, self.forms)
                if problem is not None:
                    results[index] = rejected(event.id, problem)
                    continue
                owners.claim(event, self.forms)
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
                state = states[row.dossier_uuid] = self._received_state(row)
            elif state is not None and row.type == "status_changed":
                state["status"] = json.loads(row.payload_json)["to"]
            elif state is not None and row.type == HANDED_OVER:
                state["counter_id"] = json.loads(row.payload_json)["to"]
            if state is not None and row.type not in UNORDERED:
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

    def _received_state(self, row: Any) -> dict[str, Any]:
        """A dossier's columns as its `received` event sets them (the form only in a version the hub has)."""
        payload = json.loads(row.payload_json)
        form = self.forms.of_received(payload)
        return {
            "code": row.dossier_code,
            "unit_code": row.unit_code,
            "counter_id": row.counter_id,
            "status": lifecycle.RECEIVED,
            "form_id": form.id if form else "",
            "received_at": str(payload["received_at"]),
        }

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

    def record_audit_head(
        self, counter: CounterIdentity, count: int, head: str, prior_count: int, prior_hash: str
    ) -> AuditHeadAnswer:
        """Keep a counter's audit head; ok, broken (does not extend the previous) or need."""
        answer = auditheads.record(self.engine, counter, count, head, prior_count, prior_hash)
        flagged = tuple(h["counter"] for h in auditheads.heads(self.engine, counter.unit_code) if h["broken_at"])
        return replace(answer, flagged=flagged)

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

    def add_hub_event(self, conn: Connection, dossier_uuid: str, event_type: str, payload: dict[str, Any],
                      by: str = "Hệ thống tỉnh") -> tuple[str, int]:
        """Append an event made at the hub (a department's change, a notice's delivery) to a held dossier, inside
        the caller's transaction; it flows to the counters. Returns its id and sequence number."""
        now = _utcnow()
        self._serialise_writers(conn)
        row = conn.execute(select(hub_dossier).where(hub_dossier.c.uuid == dossier_uuid)).first()
        if row is None:
            raise HubError(f"Hệ thống tỉnh chưa có hồ sơ {dossier_uuid}.")
        event = Event(
            id=uuid7(), dossier_uuid=row.uuid, dossier_code=row.code, unit_code=row.unit_code, type=event_type,
            payload=payload, hlc=HybridClock(HUB_NODE, row.last_hlc).now(),
            occurred_at=datetime.now(self.timezone).replace(tzinfo=None, microsecond=0).isoformat(),
            clerk=by, counter_id=HUB_NODE,
        )
        seq: int = conn.execute(
            hub_event.insert().returning(hub_event.c.seq), [_row(event, content_hash(event), now)]
        ).scalar_one()
        self._project(conn, {row.uuid}, now)
        return event.id, seq

    def set_status(
        self, code: str, status: str, by: str = "Sở ngành tỉnh", reason: str = ""
    ) -> dict[str, Any]:
        """Record a status change made by a provincial department; it flows back to the counters."""
        with self.engine.begin() as conn:
            self._serialise_writers(conn)
            row = conn.execute(select(hub_dossier).where(hub_dossier.c.code == code.strip())).first()
            if row is None:
                raise HubError(f"Hệ thống tỉnh chưa có hồ sơ mã “{code.strip()}”.")
            problem = lifecycle.transition_error(row.status, status)
            if problem:
                raise HubError(problem)
            event_id, seq = self.add_hub_event(
                conn, row.uuid, "status_changed", {"from": row.status, "to": status, "reason": reason, "by": by}, by)
        return {"code": row.code, "status": status, "event": event_id, "seq": seq}
