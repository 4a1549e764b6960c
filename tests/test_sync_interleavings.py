"""Random interleavings of honest work (two counters, a provincial department) and a rogue counter's forgeries,
against the real hub: afterwards the hub and every honest counter agree on every dossier they share."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from counter.context import CounterContext
from counter.errors import CounterError
from counter.law import lifecycle
from counter.records.ids import format_stamp, uuid7
from counter.services.dossiers import change_status
from counter.store.models import Dossier
from sync.client import run_pass
from sync.credentials import load_credentials
from tests.synchelpers import HubProcess, enrolled_counter, open_dossier
from tests.test_hub_forgery import push, received

STAMPS = {"past": -10**12, "now": 0, "ahead": 300_000}
"""How far from now the rogue stamps its events (ms): long ago, now, and ahead within the hub's bound."""
REASON = "Chờ xác minh"

HONEST = st.tuples(st.just("honest"), st.sampled_from([0, 1]), st.sampled_from(["new", "move", "sync"]),
                   st.sampled_from(sorted(lifecycle.STATUS_LABELS)))
FORGED = st.tuples(st.just("forge"), st.sampled_from([0, 1]),
                   st.sampled_from(["status_changed", "rescheduled", "field_corrected", "handed_over", "fee_paid"]),
                   st.sampled_from(sorted(STAMPS)))
OWN = st.tuples(st.just("own"), st.sampled_from(sorted(STAMPS)), st.sampled_from(sorted(lifecycle.STATUS_LABELS)))
DEPARTMENT = st.tuples(st.just("hub"), st.sampled_from([0, 1]), st.sampled_from(sorted(lifecycle.STATUS_LABELS)))


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def counters(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[CounterContext]]:
    """Honest counters Q1 and Q3 of the unit, each with one synced dossier."""
    made = [enrolled_counter(tmp_path_factory.mktemp(name), hub, counter_id=name, first=first, last=last)
            for name, first, last in (("Q1", 1, 3999), ("Q3", 4000, 4999))]
    for ctx in made:
        open_dossier(ctx)
        assert run_pass(ctx).link == "online"
    yield made
    for ctx in made:
        ctx.close()


@pytest.fixture(scope="module")
def rogue(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Counter Q2's token in the attacker's hands, and the dossiers it received itself."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q2"), hub, counter_id="Q2", first=5000, last=9999)
    token = load_credentials(ctx).token
    ctx.close()
    return {"token": token, "own": [], "next": 5000}


def dossiers_of(ctx: CounterContext) -> list[Dossier]:
    """Every dossier this counter holds."""
    with ctx.store.read() as session:
        return list(session.exec(select(Dossier)).all())


def stamp(kind: str, node: str, tick: int) -> str:
    """A stamp of `node` at one of the rogue's chosen offsets from now."""
    return format_stamp(max(0, time.time_ns() // 1_000_000 + STAMPS[kind]), tick, node)


def forge(hub: HubProcess, rogue: dict[str, Any], target: Dossier, kind: str, when: str) -> None:
    """The rogue writes on an honest counter's dossier: always refused as not its owner's."""
    payloads = {"status_changed": {"to": lifecycle.WITHDRAWN}, "rescheduled": {"new_due_at": "9999-12-31T17:00:00"},
                "field_corrected": {"values": {"made_up": "x" * 19_000}}, "handed_over": {"to": "Q2"},
                "fee_paid": {"amount": 1, "method": "cash", "receipt_no": 1, "receipt_year": 2026}}
    event = {"id": uuid7(), "dossier_uuid": target.uuid, "dossier_code": target.code, "unit_code": target.unit_code,
             "type": kind, "payload": payloads[kind], "hlc": stamp(when, "Q2", 0),
             "occurred_at": "2026-11-25T08:00:00", "clerk": "Kẻ giả mạo", "counter_id": "Q2"}
    [result] = push(hub, rogue["token"], event)
    assert result.get("code") == "not_owner", result


def own_move(hub: HubProcess, rogue: dict[str, Any], when: str, to: str) -> None:
    """The rogue works on a dossier of its own with a stamp of its choosing: the hub keeps whatever is consistent."""
    if not rogue["own"] or to == lifecycle.RECEIVED:
        event = received(rogue["next"])
        rogue["next"] += 1
        [result] = push(hub, rogue["token"], event)
        assert result["status"] == "accepted", result
        rogue["own"].append(event)
        return
    base = rogue["own"][-1]
    event = {**base, "id": uuid7(), "type": "status_changed", "payload": {"to": to},
             "hlc": stamp(when, "Q2", len(rogue["own"]))}
    [result] = push(hub, rogue["token"], event)
    assert result["status"] == "accepted" or result["code"] in ("stale_stamp", "invalid_transition"), result


def honest_step(ctx: CounterContext, op: str, to: str) -> None:
    """A clerk's work at an honest counter: a new dossier, a move of one of its own, or a sync."""
    if op == "new":
        open_dossier(ctx)
    elif op == "sync":
        run_pass(ctx)
    else:
        mine = [d for d in dossiers_of(ctx) if d.counter_id == ctx.config.counter.id]
        with contextlib.suppress(CounterError):  # a move the lifecycle refuses: the clerk is told, nothing written
            change_status(ctx, mine[-1].code, to, "Nguyễn Thị Lan", reason=REASON, receiver="Phạm Quốc Huy")


def department(hub: HubProcess, ctx: CounterContext, to: str) -> None:
    """A provincial department moves one of a counter's synced dossiers (when the lifecycle allows)."""
    synced = {d["code"]: d["status"] for d in hub.store.dossiers(ctx.config.unit.code)}
    codes = [d.code for d in dossiers_of(ctx)
             if d.code in synced and not lifecycle.transition_error(synced[d.code], to)]
    if codes:
        hub.store.set_status(codes[-1], to, reason=REASON)


def assert_agreement(hub: HubProcess, counters: list[CounterContext]) -> None:
    """After two passes each, every honest counter holds every dossier as the hub does."""
    for _ in range(2):
        for ctx in counters:
            report = run_pass(ctx)
            assert report.link == "online" and report.held == 0, report
    at_hub = {d["code"]: (d["status"], d["counter"]) for d in hub.store.dossiers(counters[0].config.unit.code)}
    for ctx in counters:
        held = {d.code: (d.status, d.counter_id) for d in dossiers_of(ctx)}
        assert held == at_hub, ctx.config.counter.id


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(HONEST, FORGED, OWN, DEPARTMENT), min_size=1, max_size=10))
def test_honest_and_forged_interleavings_leave_everyone_agreeing(
    hub: HubProcess, counters: list[CounterContext], rogue: dict[str, Any], steps: list[tuple[Any, ...]]
) -> None:
    for step in steps:
        if step[0] == "honest":
            honest_step(counters[step[1]], step[2], step[3])
        elif step[0] == "forge":
            at_hub = {d["code"] for d in hub.store.dossiers(counters[step[1]].config.unit.code)}
            synced = [d for d in dossiers_of(counters[step[1]]) if d.counter_id != "Q2" and d.code in at_hub]
            forge(hub, rogue, synced[0], step[2], step[3])
        elif step[0] == "own":
            own_move(hub, rogue, step[1], step[2])
        else:
            department(hub, counters[step[1]], step[2])
    assert_agreement(hub, counters)
