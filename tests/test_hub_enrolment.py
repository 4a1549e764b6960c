"""Enrolment bound to a counter id, and tokens the operator can take back, against the real hub."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from counter.services.demo import fill_demo
from sync.adapter import EnrolmentRefused
from sync.client import run_pass
from sync.credentials import load_credentials
from sync.hub.store import HubStore
from tests.conftest import run_cli
from tests.synchelpers import UNIT_A, HubProcess, enrolled_counter


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


def enrol_raw(hub: HubProcess, code: str, counter_id: str, first: int, last: int) -> requests.Response:
    """Redeem a code over HTTP as a counter would."""
    body = {"protocol": 2, "code": code, "unit_code": UNIT_A, "counter_id": counter_id,
            "sequence_first": first, "sequence_last": last}
    return requests.post(f"{hub.url}/v1/enrol", data=json.dumps(body), timeout=10)


def hello(hub: HubProcess, token: str) -> int:
    """The status of an authenticated probe with this token."""
    return requests.get(f"{hub.url}/v1/hello", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code


def test_a_code_enrols_only_the_counter_it_was_issued_for(hub: HubProcess) -> None:
    code = run_cli("hub", "enroll-code", "--db", hub.db, "--unit", UNIT_A, "--counter", "Q1").stdout.strip()
    stolen = enrol_raw(hub, code, "Q4", 6000, 6999)
    assert stolen.status_code == 403 and stolen.json()["error"] == "counter_mismatch"
    assert "quầy Q1" in stolen.json()["reason"]
    assert enrol_raw(hub, code, "Q1", 1, 999).status_code == 200, "the refused attempt did not use the code up"
    missing = run_cli("hub", "enroll-code", "--db", hub.db, "--unit", UNIT_A)
    assert missing.returncode != 0 and "--counter" in missing.stderr


def test_a_second_token_for_a_counter_revokes_the_first_and_its_uses_are_logged(
    hub: HubProcess, tmp_path: Path
) -> None:
    honest = enrolled_counter(tmp_path / "q3", hub, counter_id="Q3", first=3000, last=3999)
    first = enrol_raw(hub, hub.store.new_enrolment_code(UNIT_A, "Q2"), "Q2", 2000, 2999).json()["token"]
    assert hello(hub, first) == 200
    second = enrol_raw(hub, hub.store.new_enrolment_code(UNIT_A, "Q2"), "Q2", 2000, 2999).json()["token"]
    assert hello(hub, second) == 200
    assert hello(hub, first) == 401 and hello(hub, first) == 401
    rows = [r for r in hub.store.counters(UNIT_A) if r["counter"] == "Q2"]
    assert [r["revoked"] for r in rows] == [False, True] and rows[1]["refused_uses"] == 2
    fill_demo(honest, 3, days=1, seed=61)
    assert run_pass(honest).errors == []

    revoked = run_cli("hub", "revoke", "--db", hub.db, UNIT_A, "Q2")
    assert revoked.returncode == 0 and "Q2" in revoked.stdout
    assert hello(hub, second) == 401
    again = run_cli("hub", "revoke", "--db", hub.db, UNIT_A, "Q2")
    assert again.returncode == 1 and "không có mã xác thực nào còn hiệu lực" in again.stderr
    listed = json.loads(run_cli("hub", "counters", "--db", hub.db, "--unit", UNIT_A, "--json").stdout)
    assert {(r["counter"], r["revoked"]) for r in listed} >= {("Q2", True), ("Q3", False)}
    text = run_cli("hub", "counters", "--db", hub.db, "--unit", UNIT_A).stdout
    assert "đã thu hồi" in text and "bị từ chối 1 lần" in text and "còn hiệu lực" in text
    fill_demo(honest, 2, days=1, seed=62)
    report = run_pass(honest)
    assert report.errors == [] and report.pending == 0
    assert load_credentials(honest).counter_id == "Q3"
    honest.close()


def test_a_hub_configured_to_refuse_while_a_token_is_valid(hub: HubProcess) -> None:
    strict = HubStore(hub.db, replace_active_token=False)
    try:
        strict.enrol(strict.new_enrolment_code(UNIT_A, "Q7"), UNIT_A, "Q7", 7000, 7999)
        with pytest.raises(EnrolmentRefused, match="counter hub revoke") as refused:
            strict.enrol(strict.new_enrolment_code(UNIT_A, "Q7"), UNIT_A, "Q7", 7000, 7999)
        assert refused.value.error == "counter_active"
        assert strict.revoke(UNIT_A, "Q7") == 1
        assert strict.enrol(strict.new_enrolment_code(UNIT_A, "Q7"), UNIT_A, "Q7", 7000, 7999).startswith("mc1_")
    finally:
        strict.close()
