"""The hub refuses what it must, with a clear status and reason, and stores nothing from it."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlmodel import select

from counter.records.ids import format_stamp, uuid7
from counter.services.demo import fill_demo
from counter.store.models import DossierEvent
from sync.client import event_message
from sync.credentials import load_credentials
from sync.hub.store import HubStore
from sync.protocol import MAX_BATCH_EVENTS, MAX_BODY_BYTES, MAX_RAW_BYTES, encode_body
from tests.synchelpers import UNIT_A, HubProcess, enrolled_counter

UNIT_B = "000.00.36.H41"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def token(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A bearer token of counter Q1 of unit A."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("counter"), hub)
    token = load_credentials(ctx).token
    ctx.close()
    return token


def an_event(unit: str = UNIT_A, counter: str = "Q1", **changes: Any) -> dict[str, Any]:
    """A valid `received` event of a new dossier."""
    event = {
        "id": uuid7(),
        "dossier_uuid": uuid7(),
        "dossier_code": f"{unit}-261124-{len(changes) + 1:04d}",
        "unit_code": unit,
        "type": "received",
        "payload": {
            "form_id": "ban-sao",
            "received_day": "2026-11-24",
            "sequence": 1,
            "values": {},
            "people": {},
            "received_at": "2026-11-24T08:00:00",
            "due_at": "2026-11-24T17:00:00",
        },
        "hlc": format_stamp(1_796_000_000_000, 0, counter),  # after received_at
        "occurred_at": "2026-11-24T08:00:00",
        "clerk": "Lan",
        "counter_id": counter,
    }
    event.update(changes)
    return event


def push(hub: HubProcess, token: str | None, body: bytes, encoding: str = "gzip") -> requests.Response:
    """POST a raw body to the push endpoint."""
    headers = {"Content-Type": "application/json", "Content-Encoding": encoding}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return requests.post(f"{hub.url}/v1/events", data=body, headers=headers, timeout=10)


def batch(*events: dict[str, Any], unit: str = UNIT_A, protocol: int = 1) -> dict[str, Any]:
    """A push request document."""
    return {"protocol": protocol, "unit_code": unit, "events": list(events)}


REFUSALS = {
    "no-token": (None, lambda: encode_body(batch(an_event())), "gzip", 401, "unauthorized"),
    "unknown-token": ("mc1_nope", lambda: encode_body(batch(an_event())), "gzip", 401, "unauthorized"),
    "wrong-unit": ("T", lambda: encode_body(batch(an_event(UNIT_B), unit=UNIT_B)), "gzip", 403, "wrong_unit"),
    "not-json": ("T", lambda: gzip.compress(b"{not json"), "gzip", 400, "malformed"),
    "truncated-gzip": ("T", lambda: encode_body(batch(an_event()))[:-12], "gzip", 400, "malformed"),
    "not-gzip": ("T", lambda: b"plain text said to be gzip", "gzip", 400, "malformed"),
    "unknown-encoding": ("T", lambda: encode_body(batch(an_event())), "br", 415, "unsupported_encoding"),
    "old-protocol": (
        "T",
        lambda: encode_body(batch(an_event(), protocol=0)),
        "gzip",
        400,
        "unsupported_protocol",
    ),
    "envelope-missing": ("T", lambda: encode_body({"protocol": 1, "events": []}), "gzip", 400, "malformed"),
    "event-without-id": ("T", lambda: encode_body(batch({"type": "received"})), "gzip", 400, "malformed"),
    "too-many-events": (
        "T",
        lambda: encode_body(batch(*[an_event() for _ in range(MAX_BATCH_EVENTS + 1)])),
        "gzip",
        413,
        "too_large",
    ),
    "body-too-large": ("T", lambda: b"x" * (MAX_BODY_BYTES + 1), "identity", 413, "too_large"),
    "gzip-bomb": ("T", lambda: gzip.compress(b" " * (MAX_RAW_BYTES + 1)), "gzip", 413, "too_large"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
def test_refused_requests_store_nothing(case: str, hub: HubProcess, token: str) -> None:
    given_token, body, encoding, status, error = REFUSALS[case]
    before = hub.event_count()
    response = push(hub, token if given_token == "T" else given_token, body(), encoding)
    assert response.status_code == status
    answer = response.json()
    assert answer["error"] == error and answer["reason"].endswith(".")
    assert hub.event_count() == before


def test_pull_and_hello_refuse_without_token_and_bad_cursor(hub: HubProcess, token: str) -> None:
    assert requests.get(f"{hub.url}/v1/events", timeout=10).status_code == 401
    assert requests.get(f"{hub.url}/v1/hello", timeout=10).status_code == 401
    hello = requests.get(f"{hub.url}/v1/hello", timeout=10, headers={"Authorization": f"Bearer {token}"})
    assert (hello.json()["unit_code"], hello.json()["counter_id"]) == (UNIT_A, "Q1")
    bad = requests.get(
        f"{hub.url}/v1/events",
        params={"after": "x"},
        timeout=10,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert bad.status_code == 400 and bad.json()["error"] == "malformed"


def test_per_event_answers(hub: HubProcess, token: str) -> None:
    good = an_event()
    foreign = an_event(UNIT_B)
    other_counter = an_event(counter="Q9")
    bad_status = an_event(type="status_changed", payload={"to": "lost"})
    first = push(hub, token, encode_body(batch(good, foreign, other_counter, bad_status))).json()["results"]
    assert [r["status"] for r in first] == ["accepted", "rejected", "rejected", "rejected"]
    assert [r["code"] for r in first[1:]] == ["unit_mismatch", "counter_mismatch", "invalid_payload"]
    assert all(r["reason"] for r in first[1:])
    assert [r.get("id") for r in first] == [None, foreign["id"], other_counter["id"], bad_status["id"]]
    again = push(hub, token, encode_body(batch(good), compress=False), encoding="identity").json()["results"]
    assert again == [{**first[0], "status": "duplicate"}]
    reused = push(hub, token, encode_body(batch({**good, "clerk": "Someone else"}))).json()["results"]
    assert reused[0]["status"] == "rejected" and reused[0]["code"] == "id_conflict"
    clash = an_event(dossier_code=good["dossier_code"])
    assert push(hub, token, encode_body(batch(clash))).json()["results"][0]["code"] == "code_conflict"


def test_enrolment_codes_are_one_time_and_unit_bound(hub: HubProcess, tmp_path: Path) -> None:
    store = HubStore(hub.db)
    code = store.new_enrolment_code(UNIT_A, "Q5")

    def enrol(unit: str, protocol: int = 2) -> requests.Response:
        body = {"protocol": protocol, "code": code.lower(), "unit_code": unit, "counter_id": "Q5"}
        if protocol == 2:
            body |= {"sequence_first": 9000, "sequence_last": 9099}
        return requests.post(f"{hub.url}/v1/enrol", data=json.dumps(body), timeout=10)

    old = enrol(UNIT_A, protocol=1)
    assert old.status_code == 400 and old.json()["error"] == "unsupported_protocol"
    assert "giao thức 2" in old.json()["reason"] and "counter enroll" in old.json()["reason"]
    assert enrol(UNIT_B).json()["error"] == "unit_mismatch"
    assert enrol(UNIT_A).status_code == 200
    used = enrol(UNIT_A)
    assert used.status_code == 403 and used.json()["error"] == "code_used"
    store.close()


def test_events_the_counter_stores_are_accepted(hub: HubProcess, tmp_path: Path) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.H42")
    fill_demo(ctx, 12, days=2, seed=7)
    with ctx.store.read() as session:
        events = [event_message(e) for e in session.exec(select(DossierEvent))]
    token = load_credentials(ctx).token
    results = push(hub, token, encode_body(batch(*events, unit="000.00.36.H42"))).json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * len(events)
    ctx.close()
