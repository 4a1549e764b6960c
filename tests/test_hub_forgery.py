"""An enrolled counter forging events: the real hub refuses each with its code; the victim keeps syncing."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlmodel import col, select

from counter.context import CounterContext
from counter.law import lifecycle
from counter.records.ids import format_stamp, parse_stamp, uuid7
from counter.services.demo import fill_demo
from counter.store.models import Dossier, DossierEvent
from sync.client import event_message, run_pass
from sync.credentials import load_credentials
from sync.hub.schema import counter_token
from sync.protocol import encode_body
from tests.synchelpers import UNIT_A, HubProcess, assert_delivered, enrolled_counter, open_dossier


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def victim(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CounterContext]:
    """Counter Q1 of the unit (block 1–4999) with synced dossiers."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q1"), hub, counter_id="Q1", first=1, last=4999)
    fill_demo(ctx, 6, days=2, seed=13)
    open_dossier(ctx)
    assert run_pass(ctx).link == "online"
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def attacker(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bearer token of counter Q2 of the same unit (block 5000–9999), in the attacker's hands."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q2"), hub, counter_id="Q2", first=5000, last=9999)
    token = load_credentials(ctx).token
    ctx.close()
    return token


BAN_SAO_VALUES = {"requester_name": "Trần Văn Bình", "requester_id_document": "CCCD 036095000123",
                  "document_name": "Bằng tốt nghiệp", "pages": "2", "copies": "3"}
"""Values that pass the form `chung-thuc-ban-sao` (a pulled dossier runs the form's rules)."""


def now_stamp(node: str = "Q2") -> str:
    """A stamp of the present moment made by `node`."""
    return format_stamp(time.time_ns() // 1_000_000, 0, node)


def received(sequence: int = 5000, **changes: Any) -> dict[str, Any]:
    """A `received` event of counter Q2 for a new dossier with this daily sequence number."""
    event = {
        "id": uuid7(),
        "dossier_uuid": uuid7(),
        "dossier_code": f"{UNIT_A}-261124-{sequence:04d}",
        "unit_code": UNIT_A,
        "type": "received",
        "payload": {
            "form_id": "chung-thuc-ban-sao",
            "received_day": "2026-11-24",
            "sequence": sequence,
            "values": BAN_SAO_VALUES,
            "people": {},
            "received_at": "2026-11-24T08:00:00",
            "due_at": "2026-11-24T17:00:00",
        },
        "hlc": now_stamp(),
        "occurred_at": "2026-11-24T08:00:00",
        "clerk": "Kẻ giả mạo",
        "counter_id": "Q2",
    }
    return event | changes


def status_changed(dossier: Dossier, to: str, **changes: Any) -> dict[str, Any]:
    """A `status_changed` event of counter Q2 on someone's dossier."""
    event = {
        "id": uuid7(),
        "dossier_uuid": dossier.uuid,
        "dossier_code": dossier.code,
        "unit_code": UNIT_A,
        "type": "status_changed",
        "payload": {"from": dossier.status, "to": to, "reason": ""},
        "hlc": now_stamp(),
        "occurred_at": "2026-11-25T08:00:00",
        "clerk": "Kẻ giả mạo",
        "counter_id": "Q2",
    }
    return event | changes


def later_stamp(step: int, node: str = "Q2") -> str:
    """A stamp of the present moment made by `node`, `step` logical ticks on (stamps of one dossier only grow)."""
    return format_stamp(time.time_ns() // 1_000_000, step, node)


def push(hub: HubProcess, token: str, *events: dict[str, Any]) -> list[dict[str, Any]]:
    """Push events as the attacker; the per-event results."""
    response = requests.post(
        f"{hub.url}/v1/events",
        data=encode_body({"protocol": 2, "unit_code": UNIT_A, "events": list(events)}),
        headers={"Authorization": f"Bearer {token}", "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return list(response.json()["results"])


def codes_of(results: list[dict[str, Any]]) -> list[str]:
    """The status, or the rejection code, of each result."""
    return [r.get("code", r["status"]) for r in results]


def an_open_dossier(ctx: CounterContext) -> Dossier:
    """One of the victim's own dossiers still being worked on."""
    with ctx.store.read() as session:
        row = session.exec(
            select(Dossier).where(Dossier.counter_id == "Q1", col(Dossier.status).in_(lifecycle.OPEN))
        ).first()
    assert row is not None
    return row


def assert_victim_keeps_syncing(ctx: CounterContext, hub: HubProcess, seed: int) -> None:
    """New work at the victim reaches the hub; nothing is quarantined; its clock stays near the present."""
    fill_demo(ctx, 2, days=1, seed=seed)
    report = run_pass(ctx)
    assert report.link == "online" and report.errors == [] and report.quarantined == 0
    assert_delivered(ctx, hub)
    ahead_ms = parse_stamp(ctx.clock.now())[0] - time.time_ns() // 1_000_000
    assert ahead_ms <= ctx.config.hub.max_clock_ahead_seconds * 1000


def test_a_stamp_from_the_far_future_is_refused(hub: HubProcess, victim: CounterContext, attacker: str) -> None:
    forged = received(hlc="999999999999999-99999-Q2")
    result = push(hub, attacker, forged)[0]
    assert result["code"] == "clock_ahead" and "giây" in result["reason"]
    borrowed = received(5001, hlc=now_stamp("Q1"))
    assert codes_of(push(hub, attacker, borrowed)) == ["invalid_event"]
    assert_victim_keeps_syncing(victim, hub, seed=21)


def test_a_stamp_at_the_edge_of_the_format_does_not_overflow_the_victim(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    edge = received(5002, hlc=format_stamp(time.time_ns() // 1_000_000 + 60_000, 99_999, "Q2"))
    assert codes_of(push(hub, attacker, edge)) == ["accepted"]
    assert_victim_keeps_syncing(victim, hub, seed=22)


def test_codes_outside_the_senders_block_are_refused(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    inside_victims_block = received(17)
    mismatched = received(5003, dossier_code=f"{UNIT_A}-261124-0018")
    results = push(hub, attacker, inside_victims_block, mismatched)
    assert codes_of(results) == ["code_outside_block", "invalid_code"]
    assert "5000–9999" in results[0]["reason"]
    assert_victim_keeps_syncing(victim, hub, seed=23)


def test_status_changes_the_lifecycle_forbids_are_refused_and_never_reach_the_victim(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    own = received(5010)
    assert codes_of(push(hub, attacker, own)) == ["accepted"]
    target = Dossier(uuid=own["dossier_uuid"], code=own["dossier_code"], status=lifecycle.RECEIVED)
    forbidden = status_changed(target, "returned", hlc=later_stamp(1))
    results = push(hub, attacker, forbidden)
    assert codes_of(results) == ["invalid_transition"]
    allowed_to = sorted(lifecycle.TRANSITIONS[lifecycle.RECEIVED])[0]
    assert "chỉ chuyển được sang" in results[0]["reason"]
    assert lifecycle.label(allowed_to) in results[0]["reason"]
    orphan = status_changed(target, "processing", dossier_uuid=uuid7(), dossier_code=f"{UNIT_A}-261124-0999")
    assert codes_of(push(hub, attacker, orphan)) == ["unknown_dossier"]
    assert_victim_keeps_syncing(victim, hub, seed=24)
    with victim.store.read() as session:
        assert session.get(DossierEvent, forbidden["id"]) is None
        row = session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one()
    assert row.status == lifecycle.RECEIVED
    allowed = status_changed(target, allowed_to, hlc=later_stamp(2))
    then_forbidden = status_changed(target, "received", hlc=later_stamp(3))
    assert codes_of(push(hub, attacker, allowed, then_forbidden)) == ["accepted", "invalid_transition"]
    assert run_pass(victim).quarantined == 0
    with victim.store.read() as session:
        assert session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one().status == allowed_to


def test_replayed_event_ids_answer_counter_mismatch_never_duplicate(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    with victim.store.read() as session:
        event = session.exec(select(DossierEvent).where(col(DossierEvent.counter_id) == "Q1")).first()
    assert event is not None
    as_sent = event_message(event)
    relabelled = {**as_sent, "counter_id": "Q2", "hlc": now_stamp()}
    results = push(hub, attacker, as_sent, relabelled)
    assert codes_of(results) == ["counter_mismatch", "counter_mismatch"]
    assert_victim_keeps_syncing(victim, hub, seed=25)


def test_enrolment_refuses_an_overlapping_block(hub: HubProcess) -> None:
    code = hub.store.new_enrolment_code(UNIT_A, "Q3")
    body = {"protocol": 2, "code": code, "unit_code": UNIT_A, "counter_id": "Q3",
            "sequence_first": 4000, "sequence_last": 6000}
    answer = requests.post(f"{hub.url}/v1/enrol", data=json.dumps(body), timeout=10)
    assert answer.status_code == 403 and answer.json()["error"] == "block_overlap"
    assert "Q1" in answer.json()["reason"] or "Q2" in answer.json()["reason"]
    body |= {"sequence_first": 10, "sequence_last": 9}
    inverted = requests.post(f"{hub.url}/v1/enrol", data=json.dumps(body), timeout=10)
    assert inverted.status_code == 400 and inverted.json()["error"] == "malformed"


def test_a_counter_enrolled_with_protocol_1_keeps_syncing(hub: HubProcess, victim: CounterContext) -> None:
    legacy = "mc1_enrolled-before-the-upgrade"
    with hub.store.engine.begin() as conn:
        conn.execute(counter_token.insert().values(
            token_hash=hashlib.sha256(legacy.encode()).hexdigest(), unit_code=UNIT_A, counter_id="Q7",
            created_at=datetime.now(UTC).replace(tzinfo=None), revoked=False))
    event = received(7001, counter_id="Q7", hlc=now_stamp("Q7"))
    response = requests.post(
        f"{hub.url}/v1/events",
        data=encode_body({"protocol": 1, "unit_code": UNIT_A, "events": [event]}),
        headers={"Authorization": f"Bearer {legacy}", "Content-Encoding": "gzip"},
        timeout=30,
    )
    assert response.status_code == 200 and codes_of(response.json()["results"]) == ["accepted"]
    pulled = requests.get(f"{hub.url}/v1/events", params={"after": 0, "limit": 5},
                          headers={"Authorization": f"Bearer {legacy}"}, timeout=30)
    assert pulled.status_code == 200 and pulled.json()["events"]
    assert_victim_keeps_syncing(victim, hub, seed=26)
