"""Counters of one unit see each other's dossiers, never another unit's; the province's changes flow back."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from counter.context import CounterContext
from counter.law import lifecycle
from counter.records import dossiers, views
from counter.services.demo import fill_demo
from counter.services.dossiers import change_status
from counter.store.models import Citizen, Dossier, DossierEvent
from counter.store.rows import driver
from sync.client import run_pass
from tests.conftest import run_cli
from tests.synchelpers import UNIT_A, HubProcess, assert_delivered, enrolled_counter, open_dossier

UNIT_B = "000.00.36.H41"


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path / "hub.db").start()
    yield process
    process.stop()


def codes(ctx: CounterContext) -> set[str]:
    """Codes of every dossier this counter holds."""
    with ctx.store.read() as session:
        return {d.code for d in session.exec(select(Dossier))}


def test_each_counter_sees_exactly_its_own_units_dossiers(tmp_path: Path, hub: HubProcess) -> None:
    q1 = enrolled_counter(tmp_path / "a1", hub, counter_id="Q1", first=1, last=4999)
    q2 = enrolled_counter(tmp_path / "a2", hub, counter_id="Q2", first=5000, last=9999)
    b1 = enrolled_counter(tmp_path / "b1", hub, counter_id="Q1", unit=UNIT_B)
    for seed, ctx in enumerate((q1, q2, b1)):
        fill_demo(ctx, 8, days=2, seed=seed)
    for ctx in (q1, q2, b1, q1):
        report = run_pass(ctx)
        assert report.link == "online" and not report.errors
    unit_a = {row["code"] for row in hub.store.dossiers(UNIT_A)}
    unit_b = {row["code"] for row in hub.store.dossiers(UNIT_B)}
    assert len(unit_a) == 16 and len(unit_b) == 8
    assert codes(q1) == codes(q2) == unit_a
    assert codes(b1) == unit_b
    for ctx in (q1, q2, b1):
        assert_delivered(ctx, hub)
    with q1.store.read() as session:
        from_q2 = session.exec(select(Dossier).where(Dossier.counter_id == "Q2")).first()
        assert from_q2 is not None and dossiers.is_synced(session, from_q2)
        assert session.exec(select(Citizen).where(Citizen.id_number == from_q2.applicant_id_number)).first()
        detail = views.detail_json(driver(session), from_q2)
    assert detail["synced"] and detail["counter"] == "Q2"
    for ctx in (q1, q2, b1):
        ctx.close()


def test_pull_pages_through_the_cursor(tmp_path: Path, hub: HubProcess, monkeypatch: pytest.MonkeyPatch) -> None:
    q1 = enrolled_counter(tmp_path / "a1", hub, counter_id="Q1", first=1, last=4999)
    q2 = enrolled_counter(tmp_path / "a2", hub, counter_id="Q2", first=5000, last=9999)
    fill_demo(q1, 12, days=2, seed=8)
    run_pass(q1)
    monkeypatch.setattr("sync.client.PULL_PAGE", 5)
    report = run_pass(q2)
    with q1.store.read() as session:
        events = len(session.exec(select(DossierEvent)).all())
    assert report.pulled == events and codes(q2) == codes(q1)
    assert run_pass(q2).pulled == 0, "the cursor remembers where the last pass stopped"
    q1.close()
    q2.close()


def test_a_reinstalled_counter_gets_its_own_dossiers_back(tmp_path: Path, hub: HubProcess) -> None:
    before = enrolled_counter(tmp_path / "old", hub, counter_id="Q1")
    fill_demo(before, 5, days=1, seed=6)
    run_pass(before)
    after = enrolled_counter(tmp_path / "new", hub, counter_id="Q1")
    report = run_pass(after)
    assert report.link == "online" and codes(after) == codes(before)
    fill_demo(after, 1, days=1, seed=7)
    assert len(codes(after)) == 6, "new dossiers continue the sequence after the restored ones"
    assert run_pass(after).pushed >= 1 and len(hub.store.dossiers(UNIT_A)) == 6
    before.close()
    after.close()


def test_a_status_set_at_the_hub_reaches_the_counters(tmp_path: Path, hub: HubProcess) -> None:
    q1 = enrolled_counter(tmp_path / "a1", hub, counter_id="Q1", first=1, last=4999)
    q2 = enrolled_counter(tmp_path / "a2", hub, counter_id="Q2", first=5000, last=9999)
    fill_demo(q1, 6, days=1, seed=3)
    opened = open_dossier(q1)  # the demo closes today's dossiers late in the day: take one received now
    run_pass(q1)
    received = next(row for row in hub.store.dossiers(UNIT_A) if row["code"] == opened.code)
    assert received["status"] == lifecycle.RECEIVED
    changed = run_cli("hub", "set-status", "--db", hub.db, received["code"], lifecycle.PROCESSING)
    assert changed.returncode == 0, changed.stderr
    refused = run_cli("hub", "set-status", "--db", hub.db, received["code"], lifecycle.RETURNED)
    assert refused.returncode == 1 and "Không thể chuyển" in refused.stderr
    for ctx in (q1, q2):
        report = run_pass(ctx)
        assert report.pulled >= 1 and not report.errors
        with ctx.store.read() as session:
            assert dossiers.get_dossier(session, received["code"]).status == lifecycle.PROCESSING
    later = change_status(q1, received["code"], lifecycle.DONE, "Lan")
    assert later.status == lifecycle.DONE, "a local change after the province's sorts after it"
    run_pass(q1)
    listed = run_cli("hub", "dossiers", "--db", hub.db, "--unit", UNIT_A, "--json")
    row = next(r for r in json.loads(listed.stdout) if r["code"] == received["code"])
    assert row == {**received, "status": lifecycle.DONE, "events": received["events"] + 2}
    q1.close()
    q2.close()
