"""A rogue counter's dossier naming the victim's citizen with a forged name: the hub bounds it, the victim never
writes it over its own record (a conflict for the supervisor), and pulled dossiers run the form's rules."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from counter.citizens.identity import parse
from counter.context import CounterContext
from counter.services.dossiers import create_dossier
from counter.store.models import Citizen, Dossier, DossierEvent
from sync.client import run_pass
from sync.credentials import load_credentials
from sync.pulled import held
from tests.conftest import VALID_PAYLOAD, signed_in
from tests.documents_helpers import pdf_pages_text
from tests.synchelpers import HubProcess, enrolled_counter
from tests.test_dossiers import marital_draft
from tests.test_hub_forgery import codes_of, push, received

FORGED_NAME = "Kẻ Mạo Danh"


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def victim_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the victim counter Q1 lives."""
    return tmp_path_factory.mktemp("q1")


@pytest.fixture(scope="module")
def victim(hub: HubProcess, victim_dir: Path) -> Iterator[CounterContext]:
    """Counter Q1 with a dossier of the citizen on VALID_PAYLOAD's card, synced."""
    ctx = enrolled_counter(victim_dir, hub, counter_id="Q1", first=1, last=3999)
    create_dossier(ctx, marital_draft(), "Nguyễn Thị Lan")
    assert run_pass(ctx).link == "online"
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def attacker(hub: HubProcess, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bearer token of counter Q2 (block 5000–9999)."""
    ctx = enrolled_counter(tmp_path_factory.mktemp("q2"), hub, counter_id="Q2", first=5000, last=9999)
    token = load_credentials(ctx).token
    ctx.close()
    return token


def forged_person() -> dict[str, Any]:
    """The victim's citizen (same ID number) with a forged name and address."""
    return parse(VALID_PAYLOAD).to_json() | {"full_name": FORGED_NAME, "address": "Số 1 Đường Giả, Hà Nội"}


def test_a_forged_citizen_is_never_written_over_the_counters_record(
    hub: HubProcess, victim: CounterContext, victim_dir: Path, attacker: str, tmp_path: Path
) -> None:
    real = parse(VALID_PAYLOAD)
    far = received(5200)
    far["payload"] |= {"people": {"requester": forged_person()}, "received_at": "9999-12-31T08:00:00"}
    result = push(hub, attacker, far)[0]
    assert result["code"] == "invalid_payload" and "received_at" in result["reason"]
    plausible = received(5201)
    plausible["payload"] |= {"people": {"requester": forged_person()}}
    assert codes_of(push(hub, attacker, plausible)) == ["accepted"]

    report = run_pass(victim)
    assert report.held == 0 and report.identity_conflicts == 1
    with victim.store.read() as session:
        citizen = session.exec(select(Citizen).where(Citizen.id_number == real.id_number)).one()
        theirs = session.exec(select(Dossier).where(Dossier.code == plausible["dossier_code"])).one()
    assert citizen.full_name == real.full_name and citizen.last_seen_at.year < 9999
    assert theirs.applicant_name == FORGED_NAME, "the pulled dossier keeps its own copy"

    create_dossier(victim, marital_draft(), "Nguyễn Thị Lan")  # the real card read again
    cli = signed_in(victim_dir / "counter.toml", supervisor=True)
    with victim.store.read() as session:
        code = session.exec(select(Dossier.code).where(Dossier.counter_id == "Q1").order_by(Dossier.id)).first()
    assert code is not None
    target = tmp_path / "receipt.pdf"
    assert cli("print", "receipt", code, "--pdf", str(target)).returncode == 0
    receipt = " ".join(pdf_pages_text(target.read_bytes()))
    assert real.full_name in receipt and FORGED_NAME not in receipt

    stuck = cli("report", "stuck")
    assert "khác thông tin quầy đang giữ" in stuck.stdout and real.id_number not in stuck.stdout
    assert real.masked_id in stuck.stdout and "full_name" in stuck.stdout
    conflicts = json.loads(cli("report", "stuck", "--json").stdout)["identity_conflicts"]
    assert [c["code"] for c in conflicts] == [plausible["dossier_code"]]


def test_a_pulled_dossier_runs_the_forms_rules_or_is_held(
    hub: HubProcess, victim: CounterContext, attacker: str
) -> None:
    empty = received(5210)
    empty["payload"]["values"] = {"requester_name": "", "document_name": "", "pages": "", "copies": ""}
    unknown_form = received(5211)
    unknown_form["payload"]["form_id"] = "khong-co-mau-nay"
    results = push(hub, attacker, empty, unknown_form)
    assert codes_of(results) == ["accepted", "accepted"], "the hub knows no required fields; the counter does"
    report = run_pass(victim)
    assert report.held == 2
    with victim.store.read() as session:
        reasons = {h.id: h.reason for h in held(session)}
        applied = {e.id for e in session.exec(select(DossierEvent).where(
            DossierEvent.id.in_([empty["id"], unknown_form["id"]])))}  # type: ignore[attr-defined]
    assert not applied
    assert "quy tắc của mẫu tờ khai" in reasons[empty["id"]] and "Bắt buộc" in reasons[empty["id"]]
    assert "không có mẫu tờ khai" in reasons[unknown_form["id"]]
