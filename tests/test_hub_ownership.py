"""A rogue but enrolled counter (Q2) writing on dossiers it does not own: refused at the real hub and, from a hub
that checked nothing, held aside by the owner; honest counters Q1 and Q3 keep syncing and agree with the hub."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import col, select

from counter.context import CounterContext
from counter.errors import CounterError
from counter.law import lifecycle
from counter.records.ids import format_stamp, uuid7
from counter.services.demo import fill_demo
from counter.services.dossiers import change_status
from counter.services.handover import hand_over
from counter.store.models import Dossier, DossierEvent
from sync.client import run_pass
from sync.credentials import load_credentials
from sync.pulled import held as held_events
from tests.synchelpers import UNIT_A, HubProcess, enrolled_counter, open_dossier
from tests.test_hub_forgery import (
    assert_victim_keeps_syncing,
    codes_of,
    later_stamp,
    push,
    received,
    status_changed,
)
from tests.test_sync_pulled import stored_unchecked

HUGE = "x" * 19_000
PAPER = {"sha256": "ab" * 32, "kind": "component", "title": "Giấy khai sinh", "pages": 1, "bytes": 2048}
"""A well-formed `attachment_added` payload: the hub must get as far as the owner and the size bound."""


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def victim(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CounterContext]:
    """Honest counter Q1 (block 1–3999) with synced dossiers, one of them open."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q1"), hub, counter_id="Q1", first=1, last=3999)
    fill_demo(ctx, 8, days=3, seed=41)
    open_dossier(ctx)
    assert run_pass(ctx).link == "online"
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def neighbour(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CounterContext]:
    """Honest counter Q3 (block 4000–4999) of the same unit."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q3"), hub, counter_id="Q3", first=4000, last=4999)
    assert run_pass(ctx).link == "online"
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def attacker(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bearer token of counter Q2 (block 5000–9999), in the attacker's hands."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q2"), hub, counter_id="Q2", first=5000, last=9999)
    token = load_credentials(ctx).token
    ctx.close()
    return token


def owned_by_victim(ctx: CounterContext, statuses: frozenset[str]) -> Dossier:
    """One of the victim's own dossiers in one of `statuses`."""
    with ctx.store.read() as session:
        row = session.exec(
            select(Dossier).where(Dossier.counter_id == "Q1", col(Dossier.status).in_(statuses))
        ).first()
    assert row is not None
    return row


def on_dossier(dossier: Dossier, kind: str, payload: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """An event of counter Q2 of any type on `dossier`."""
    return status_changed(dossier, "processing", type=kind, payload=payload, **changes)


def hub_status(hub: HubProcess, code: str) -> str:
    """The status the hub holds for a dossier."""
    return next(d["status"] for d in hub.store.dossiers(UNIT_A) if d["code"] == code)


def attackers_own(hub: HubProcess, token: str, sequence: int) -> Dossier:
    """A dossier the attacker received itself (accepted: it owns it)."""
    event = received(sequence)
    assert codes_of(push(hub, token, event)) == ["accepted"]
    return Dossier(uuid=event["dossier_uuid"], code=event["dossier_code"], status=lifecycle.RECEIVED)


def test_a_stamp_from_the_past_on_anothers_dossier_is_refused_and_the_owner_goes_on(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    target = owned_by_victim(victim, lifecycle.OPEN)
    past = status_changed(target, "withdrawn", hlc="000000000000000-00000-Q2")
    now = status_changed(target, "withdrawn")
    results = push(hub, attacker, past, now)
    assert codes_of(results) == ["not_owner", "not_owner"]
    assert "do quầy Q1 quản lý" in results[0]["reason"]
    own = attackers_own(hub, attacker, 5100)
    stale = status_changed(own, "processing", hlc="000000000000000-00000-Q2")
    assert codes_of(push(hub, attacker, stale)) == ["stale_stamp"]
    change_status(victim, target.code, lifecycle.DONE, "Nguyễn Thị Lan")
    report = run_pass(victim)
    assert report.quarantined == 0 and report.errors == []
    assert hub_status(hub, target.code) == lifecycle.DONE
    assert_victim_keeps_syncing(victim, hub, seed=42)


def test_corrections_and_reschedules_on_anothers_dossier_are_refused(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    returned = owned_by_victim(victim, frozenset({lifecycle.RETURNED}))
    target = owned_by_victim(victim, lifecycle.OPEN)
    forged = [
        on_dossier(returned, "field_corrected", {"values": {"made_up": HUGE}, "reason": "x"}),
        on_dossier(target, "rescheduled", {"new_due_at": "9999-12-31T17:00:00", "reason": "x"}),
        on_dossier(target, "rescheduled", {"new_due_at": "0001-01-01T17:00:00", "reason": "x"}),
        on_dossier(target, "fee_paid", {"amount": 10_000, "method": "cash", "receipt_no": 1, "receipt_year": 2026}),
        on_dossier(target, "attachment_added", PAPER),
    ]
    assert codes_of(push(hub, attacker, *forged)) == ["not_owner"] * len(forged)
    own = attackers_own(hub, attacker, 5101)
    bounded = [
        on_dossier(own, "field_corrected", {"values": {"made_up": "x"}}, hlc=later_stamp(1)),
        on_dossier(own, "field_corrected", {"values": {"document_name": HUGE}}, hlc=later_stamp(2)),
        on_dossier(own, "rescheduled", {"new_due_at": "9999-12-31T17:00:00"}, hlc=later_stamp(3)),
        on_dossier(own, "rescheduled", {"new_due_at": "0001-01-01T17:00:00"}, hlc=later_stamp(4)),
        on_dossier(own, "attachment_added", {**PAPER, "blobs": [HUGE] * 4}, hlc=later_stamp(5)),
    ]
    results = push(hub, attacker, *bounded)
    assert codes_of(results) == ["invalid_payload"] * len(bounded)
    assert "không có trường “made_up”" in results[0]["reason"] and "Dài quá" in results[1]["reason"]
    assert "new_due_at" in results[2]["reason"] and "new_due_at" in results[3]["reason"]
    assert "Nội dung sự kiện dài quá" in results[4]["reason"]
    assert_victim_keeps_syncing(victim, hub, seed=43)
    with victim.store.read() as session:
        ids = set(session.exec(select(DossierEvent.id)).all())
        row = session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one()
    assert not {e["id"] for e in forged + bounded} & ids
    assert row.due_at.year < 9999 and "made_up" not in returned.values_json


def test_a_hub_that_checked_nothing_cannot_make_the_owner_apply_them(
    hub: HubProcess, victim: CounterContext
) -> None:
    target = owned_by_victim(victim, lifecycle.OPEN)
    stamp = format_stamp(time.time_ns() // 1_000_000, 0, "Q2")
    base = {"dossier_uuid": target.uuid, "dossier_code": target.code, "unit_code": UNIT_A,
            "occurred_at": "2026-11-25T08:00:00", "clerk": "Kẻ giả mạo", "counter_id": "Q2", "hlc": stamp}
    from_hub = base | {"counter_id": "@hub", "hlc": "000000000000000-00000-@hub"}
    smuggled = [
        base | {"id": uuid7(), "type": "status_changed", "payload": {"to": "withdrawn"}},
        base | {"id": uuid7(), "type": "rescheduled", "payload": {"new_due_at": "9999-12-31T17:00:00"}},
        from_hub | {"id": uuid7(), "type": "status_changed", "payload": {"to": "processing"}},
        from_hub | {"id": uuid7(), "type": "ticket_issued", "payload": {"number": 1},
                    "hlc": format_stamp(time.time_ns() // 1_000_000, 0, "@hub"), "occurred_at": "0001-01-01T00:00:00"},
    ]
    for event in smuggled:
        stored_unchecked(hub, event)
    report = run_pass(victim)
    assert report.held == len(smuggled) and report.quarantined == 0
    with victim.store.read() as session:
        row = session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one()
        held = {h.id: h.reason for h in held_events(session)}
    assert row.status == target.status and row.due_at == target.due_at
    assert "do quầy Q1 quản lý" in held[smuggled[0]["id"]] and "do quầy Q1 quản lý" in held[smuggled[1]["id"]]
    assert "không sau sự kiện cuối" in held[smuggled[2]["id"]]
    assert "occurred_at" in held[smuggled[3]["id"]]


def test_a_hand_over_moves_the_dossier_to_the_named_counter(
    hub: HubProcess, victim: CounterContext, neighbour: CounterContext
) -> None:
    target = owned_by_victim(victim, lifecycle.OPEN)
    hand_over(victim, target.code, "Q3", "Nguyễn Thị Lan")
    assert run_pass(victim).quarantined == 0
    assert run_pass(neighbour).held == 0
    with pytest.raises(CounterError, match="do quầy Q3 quản lý"):
        change_status(victim, target.code, lifecycle.WITHDRAWN, "Nguyễn Thị Lan")
    change_status(neighbour, target.code, lifecycle.WITHDRAWN, "Trần Văn Bình")
    assert run_pass(neighbour).quarantined == 0
    token = load_credentials(victim).token
    late = status_changed(target, "processing", counter_id="Q1",
                          hlc=format_stamp(time.time_ns() // 1_000_000, 9, "Q1"))
    assert codes_of(push(hub, token, late)) == ["not_owner"]
    other = open_dossier(victim)
    assert run_pass(victim).pending == 0
    nowhere = on_dossier(other, "handed_over", {"to": "Q9"}, counter_id="Q1",
                         hlc=format_stamp(time.time_ns() // 1_000_000, 10, "Q1"))
    assert "chưa đăng ký" in push(hub, token, nowhere)[0]["reason"]
    assert run_pass(victim).held == 0
    with victim.store.read() as session:
        mine = session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one()
    with neighbour.store.read() as session:
        theirs = session.exec(select(Dossier).where(Dossier.uuid == target.uuid)).one()
    assert mine.status == theirs.status == hub_status(hub, target.code) == lifecycle.WITHDRAWN
    assert mine.counter_id == theirs.counter_id == "Q3"


def test_a_department_and_the_owner_racing_end_in_the_same_state_everywhere(
    hub: HubProcess, victim: CounterContext
) -> None:
    """The hub's order of a dossier's events is its stamps' order, which is the order every counter folds in."""
    first = open_dossier(victim)
    assert run_pass(victim).pending == 0
    hub.store.set_status(first.code, lifecycle.SUSPENDED, reason="Chờ xác minh")
    change_status(victim, first.code, lifecycle.WITHDRAWN, "Nguyễn Thị Lan")  # stamped after the hub's change
    assert run_pass(victim).quarantined == 0
    second = open_dossier(victim)
    assert run_pass(victim).pending == 0
    change_status(victim, second.code, lifecycle.WITHDRAWN, "Nguyễn Thị Lan")  # stamped before the hub's change
    hub.store.set_status(second.code, lifecycle.SUSPENDED, reason="Chờ xác minh")
    report = run_pass(victim)
    assert report.quarantined == 1 and any("không sau sự kiện cuối" in e for e in report.errors)
    with victim.store.read() as session:
        rows = {d.code: d.status for d in session.exec(select(Dossier).where(
            col(Dossier.code).in_([first.code, second.code])))}
    assert rows == {first.code: hub_status(hub, first.code), second.code: hub_status(hub, second.code)}
    assert rows == {first.code: lifecycle.WITHDRAWN, second.code: lifecycle.SUSPENDED}
