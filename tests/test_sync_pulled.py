"""A counter applies pulled events through its own rules; one they refuse is kept aside and shown, not applied."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from counter.law import lifecycle
from counter.records.ids import format_stamp, uuid7
from counter.services.demo import fill_demo
from counter.store.models import Dossier, DossierEvent
from sync.client import run_pass
from sync.hub.schema import hub_event
from tests.conftest import signed_in
from tests.synchelpers import UNIT_A, HubProcess, enrolled_counter, open_dossier


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path / "hub.db").start()
    yield process
    process.stop()


def stored_unchecked(hub: HubProcess, event: dict[str, Any]) -> None:
    """Put an event straight into the hub's table, as an older hub that checked nothing would have."""
    row = {k: v for k, v in event.items() if k != "payload"}
    row |= {"payload_json": json.dumps(event["payload"], ensure_ascii=False), "content_hash": "x" * 64,
            "stored_at": datetime.now(UTC).replace(tzinfo=None)}
    with hub.store.engine.begin() as conn:
        conn.execute(hub_event.insert(), [row])


def from_q2(dossier_uuid: str, code: str, kind: str, payload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """An event as counter Q2 would have made it."""
    return {
        "id": uuid7(), "dossier_uuid": dossier_uuid, "dossier_code": code, "unit_code": UNIT_A, "type": kind,
        "payload": payload, "hlc": format_stamp(time.time_ns() // 1_000_000, 0, "Q2"),
        "occurred_at": "2026-11-25T08:00:00", "clerk": "Quầy 2", "counter_id": "Q2",
    } | changes


def from_hub(dossier_uuid: str, code: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """An event as the hub itself makes it (a provincial department's status change)."""
    stamp = format_stamp(time.time_ns() // 1_000_000, 0, "@hub")
    return from_q2(dossier_uuid, code, kind, payload, hlc=stamp, counter_id="@hub", clerk="Sở ngành tỉnh")


def test_pulled_events_the_rules_refuse_are_kept_aside_and_shown(tmp_path: Path, hub: HubProcess) -> None:
    victim = enrolled_counter(tmp_path / "q1", hub, counter_id="Q1", first=1, last=4999)
    fill_demo(victim, 4, days=1, seed=31)
    target = open_dossier(victim)
    assert run_pass(victim).link == "online"
    forbidden = from_hub(target.uuid, target.code, "status_changed", {"from": target.status, "to": "returned"})
    foreign = from_q2(target.uuid, target.code, "status_changed", {"from": target.status, "to": "withdrawn"})
    escape = from_q2(target.uuid, target.code, "field_corrected", {"values": {"ghi_chu": "\x1b]0;pwned\x07"}})
    unknown = from_q2(uuid7(), f"{UNIT_A}-261125-5001", "status_changed", {"to": "processing"})
    wrong_code = from_q2(uuid7(), f"{UNIT_A}-261125-0001", "received", {
        "form_id": "ban-sao", "received_day": "2026-11-25", "sequence": 5000, "values": {}, "people": {},
        "received_at": "2026-11-25T08:00:00", "due_at": "2026-11-25T17:00:00"})
    allowed_to = sorted(lifecycle.TRANSITIONS[target.status])[0]
    allowed = from_hub(target.uuid, target.code, "status_changed", {"from": target.status, "to": allowed_to})
    for event in (forbidden, foreign, escape, unknown, wrong_code, allowed):
        stored_unchecked(hub, event)

    report = run_pass(victim)
    assert report.link == "online" and report.held == 5 and report.quarantined == 0
    with victim.store.read() as session:
        applied = set(session.exec(select(DossierEvent.id)).all())
        row = session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one()
    assert allowed["id"] in applied
    assert not {forbidden["id"], foreign["id"], escape["id"], unknown["id"], wrong_code["id"]} & applied
    assert row.status == allowed_to, "the allowed change applied; the forbidden one did not"
    assert "\x1b" not in row.values_json

    cli = signed_in(tmp_path / "q1" / "counter.toml", supervisor=True)
    status = json.loads(cli("sync", "--status", "--json").stdout)
    assert status["held"] == 5
    reasons = {e["id"]: e["reason"] for e in status["held_events"]}
    assert "chỉ chuyển được sang" in reasons[forbidden["id"]]
    assert "do quầy Q1 quản lý" in reasons[foreign["id"]]
    assert "U+001B" in reasons[escape["id"]]
    assert "chưa có hồ sơ" in reasons[unknown["id"]]
    assert "không khớp" in reasons[wrong_code["id"]]
    text = cli("sync", "--status").stdout
    assert "nhận về bị giữ lại: 5" in text and "\x1b" not in text

    stuck = cli("report", "stuck")
    assert "bị giữ lại (không áp dụng): 5 sự kiện" in stuck.stdout and "\x1b" not in stuck.stdout
    stuck_json = json.loads(cli("report", "stuck", "--json").stdout)
    assert {h["event_id"] for h in stuck_json["held"]} == set(reasons)

    again = run_pass(victim)
    assert again.held == 0 and again.pulled == 0, "the cursor moved past them; each is kept aside once"
    victim.close()


def test_an_event_stamped_by_a_fast_clock_waits_instead_of_being_quarantined(
    tmp_path: Path, hub: HubProcess
) -> None:
    ctx = enrolled_counter(tmp_path / "q1", hub, counter_id="Q1")
    fill_demo(ctx, 3, days=1, seed=32)
    assert run_pass(ctx).pending == 0
    ctx.clock.now(time.time_ns() // 1_000_000 + 7_200_000)  # the machine's clock ran two hours fast
    fill_demo(ctx, 1, days=1, seed=33)
    with ctx.store.read() as session:
        ahead = [e.id for e in session.exec(select(DossierEvent).where(col(DossierEvent.synced_at).is_(None)))]
    assert ahead
    report = run_pass(ctx)
    assert report.quarantined == 0 and report.pending == len(ahead)
    assert any("đồng hồ" in error for error in report.errors)
    with ctx.store.read() as session:
        waiting = [session.get(DossierEvent, event_id) for event_id in ahead]
    assert all(e is not None and e.synced_at is None and e.quarantine_reason is None for e in waiting)
    ctx.close()
