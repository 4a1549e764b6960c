"""Fee events sync like the others and are checked where they enter: at the hub and on the pulling counter."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import select

from counter.records.dossiers import append_event, get_dossier
from counter.records.ids import format_stamp, uuid7
from counter.records.projection import FEE_PAID, FEE_REFUNDED
from counter.services.fees import pay, refund
from counter.store.models import DossierEvent
from sync.client import run_pass
from sync.dossier_checks import KnownForms
from sync.protocol import HubEvent
from sync.pulled import Bounds, Known, problem
from tests.conftest import SUPERVISOR_NAME, make_accounts
from tests.fee_helpers import CLERK, copy_dossier
from tests.synchelpers import HubProcess, enrolled_counter


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


def _forged(ctx: object, code: str, kind: str = FEE_PAID, **payload: object) -> str:
    """A `fee_paid` (or `fee_refunded`) event written past the service's checks, as a tampered counter would."""
    with ctx.store.write() as session:  # type: ignore[attr-defined]
        dossier = get_dossier(session, code)
        base = {"amount": dossier.fee_due, "method": "cash", "reference": "", "receipt_no": 7, "receipt_year": 2026}
        if kind == FEE_REFUNDED:
            base["reason"] = "Hoàn trả giả"
        append_event(session, ctx, dossier, kind, {**base, **payload}, CLERK, ctx.now())  # type: ignore
        return session.exec(select(DossierEvent.id).where(DossierEvent.type == kind)
                            .order_by(DossierEvent.hlc.desc())).first()  # type: ignore[attr-defined]


def test_fee_events_reach_the_hub_and_the_other_counter(tmp_path: Path, hub: HubProcess) -> None:
    """A payment and a refund at Q1 are accepted by the hub and applied at Q2, which shows the payment."""
    q1 = enrolled_counter(tmp_path / "q1", hub, counter_id="Q1", first=1, last=4999)
    q2 = enrolled_counter(tmp_path / "q2", hub, counter_id="Q2", first=5000, last=9999)
    make_accounts(tmp_path / "q1" / "counter.toml")
    try:
        paid = pay(q1, copy_dossier(q1, pages=2, copies=1).code, "cash", CLERK).code
        refunded = pay(q1, copy_dossier(q1).code, "transfer", CLERK).code
        refund(q1, refunded, "Thu nhầm", SUPERVISOR_NAME)
        report = run_pass(q1)
        assert (report.quarantined, report.pending, report.errors) == (0, 0, [])
        assert run_pass(q2).held == 0
        with q2.store.read() as session:
            payment = json.loads(get_dossier(session, paid).payment_json)
            assert (payment["amount"], payment["receipt_no"], payment["counter"]) == (4_000, 1, "Q1")
            assert get_dossier(session, refunded).payment_json == ""
    finally:
        q1.close()
        q2.close()


def test_the_hub_refuses_a_wrong_amount_and_a_number_outside_the_block(tmp_path: Path, hub: HubProcess) -> None:
    """A payment that is not the dossier's pinned fee, with a receipt number of another counter's block, or
    of a fee paid already, and a refund of nothing paid are refused by the hub and quarantined with the reason."""
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.E03", counter_id="Q3", first=100, last=199)
    try:
        cheap = _forged(ctx, copy_dossier(ctx, pages=3, copies=1).code, amount=1_000, receipt_no=990_001)
        foreign = _forged(ctx, copy_dossier(ctx, pages=3, copies=1).code, receipt_no=5)
        paid = pay(ctx, copy_dossier(ctx, pages=3, copies=1).code, "cash", CLERK).code
        twice = _forged(ctx, paid, receipt_no=990_009)
        unpaid = copy_dossier(ctx, pages=3, copies=1).code
        nothing = _forged(ctx, unpaid, FEE_REFUNDED, receipt_no=990_010)
        run_pass(ctx)
        with ctx.store.read() as session:
            reasons = {e.id: e.quarantine_reason for e in session.exec(select(DossierEvent))
                       if e.quarantine_reason}
    finally:
        ctx.close()
    assert reasons[cheap] == ("Số tiền đã thu 1.000 đ không khớp lệ phí của hồ sơ (5.000 đ) theo biểu phí đã ghim.")
    assert reasons[foreign] == "Số biên lai 00000005/2026 nằm ngoài dãy 00990001–01990000 của quầy Q3."
    assert reasons[twice] == f"Hồ sơ {paid} đã nộp phí, lệ phí; không thu lần thứ hai."
    assert reasons[nothing] == f"Hồ sơ {unpaid} chưa nộp phí, lệ phí; không có gì để hoàn trả."
    assert len(reasons) == 4


def test_a_pulled_payment_is_checked_by_the_counter(tmp_path: Path) -> None:
    """A pulled `fee_paid` from the dossier's owner Q2 whose amount is not the fee its pulled `received`
    computed is refused (so kept aside, never applied); the right amount passes, and a second payment not."""
    from counter.context import open_context
    from tests.conftest import write_config

    ctx = open_context(write_config(tmp_path / "c"))
    try:
        dossier = copy_dossier(ctx, pages=1, copies=2)
        with ctx.store.read() as session:
            received = session.exec(select(DossierEvent).where(
                DossierEvent.dossier_uuid == dossier.uuid, DossierEvent.type == "received")).one()
        now_ms = time.time_ns() // 1_000_000
        envelope = {"dossier_uuid": uuid7(), "dossier_code": dossier.code, "unit_code": dossier.unit_code,
                    "occurred_at": received.occurred_at.isoformat(), "clerk": "Hà", "counter_id": "Q2"}
        taken = HubEvent(id=uuid7(), type="received", payload=json.loads(received.payload_json),
                         hlc=format_stamp(now_ms, 0, "Q2"), seq=1, **envelope)
        paid = HubEvent(id=uuid7(), type=FEE_PAID, hlc=format_stamp(now_ms, 1, "Q2"), seq=2, **envelope,
                        payload={"amount": 1, "method": "cash", "receipt_no": 49_990_001, "receipt_year": 2026})
        known, bounds = Known(forms=KnownForms(ctx.forms)), Bounds(now_ms, 60_000, ctx.forms)
        known.apply(taken)
        with ctx.store.read() as session:
            assert problem(session, paid, known, bounds) == (
                "Số tiền đã thu 1 đ không khớp lệ phí của hồ sơ (4.000 đ) theo biểu phí đã ghim.")
            wrong_method = paid.model_copy(update={"payload": {**paid.payload, "method": "card"}})
            assert problem(session, wrong_method, known, bounds) == (
                "Nội dung sự kiện “fee_paid” thiếu hoặc sai trường “method”.")
            right = paid.model_copy(update={"payload": {**paid.payload, "amount": 4_000}})
            assert problem(session, right, known, bounds) is None
            known.apply(right)
            again = right.model_copy(update={"id": uuid7(), "hlc": format_stamp(now_ms, 2, "Q2"), "seq": 3})
            assert problem(session, again, known, bounds) == (
                f"Hồ sơ {dossier.code} đã nộp phí, lệ phí; không thu lần thứ hai.")
    finally:
        ctx.close()
