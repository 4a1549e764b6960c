"""Taking the fee: `fee_paid` / `fee_refunded` events, fee receipt numbers per counter and year, VietQR."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select

from counter.context import open_context
from counter.fees.numbering import receipt_block
from counter.law import lifecycle
from counter.services.dossiers import change_status
from counter.services.fees import PaymentRefused, pay
from counter.store.models import AuditEntry, DossierEvent
from tests.conftest import SUPERVISOR_NAME, Cli, signed_in, write_config
from tests.fee_helpers import CLERK, copy_dossier, marital_dossier

RECEIVED_AT = datetime(2026, 12, 30, 9, 0)


def test_pay_show_refund_and_pay_again(config_path: Path, cli: Cli) -> None:
    """A payment is one audited `fee_paid` event with the next receipt number, shown as `payment`; paying
    twice is refused; a clerk cannot refund, a supervisor can; the next payment gets a new number."""
    ctx = open_context(config_path)
    code = copy_dossier(ctx, pages=5, copies=1).code
    ctx.close()
    paid = cli("dossier", "pay", code, "--method", "cash", "--json")
    assert paid.returncode == 0, paid.stderr
    payment = json.loads(paid.stdout)
    assert {k: payment[k] for k in ("amount", "method", "receipt_no", "clerk")} == {
        "amount": 7_000, "method": "cash", "receipt_no": 1, "clerk": CLERK}
    shown = json.loads(cli("dossier", "show", code, "--json").stdout)
    assert shown["payment"] == payment and shown["fee"]["amount"] == 7_000
    assert shown["events"][-1]["type"] == "fee_paid" and not shown["events"][-1]["synced"]
    again = cli("dossier", "pay", code, "--method", "transfer")
    assert again.returncode == 1 and again.stderr.count("\n") == 1
    assert "đã nộp 7.000 đ (biên lai số 00000001/" in again.stderr
    denied = cli("dossier", "refund", code, "--reason", "Thu nhầm")
    assert denied.returncode == 1 and denied.stderr.count("\n") == 1
    refunded = cli.as_user(SUPERVISOR_NAME, "dossier", "refund", code, "--reason", "Thu nhầm số trang")
    assert refunded.returncode == 0, refunded.stderr
    assert json.loads(cli("dossier", "show", code, "--json").stdout)["payment"] is None
    second = json.loads(cli("dossier", "pay", code, "--method", "transfer", "--reference", "FT2612", "--json").stdout)
    assert (second["receipt_no"], second["reference"]) == (2, "FT2612")
    ctx = open_context(config_path)
    with ctx.store.read() as session:
        actions = [a.action for a in session.exec(select(AuditEntry).where(AuditEntry.subject_ref == code))]
    ctx.close()
    assert actions.count("fee_paid") == 2 and actions.count("fee_refunded") == 1


def test_nothing_to_pay_and_withdrawn_are_refused(config_path: Path) -> None:
    """An exempt dossier, and a withdrawn one, are refused in one sentence; nothing is written."""
    ctx = open_context(config_path)
    try:
        exempt = marital_dossier(ctx, exemption="nguoi-co-cong")
        with pytest.raises(PaymentRefused, match=r"không có phí, lệ phí phải nộp \(Người thuộc gia đình có công"):
            pay(ctx, exempt.code, "cash", CLERK)
        withdrawn = copy_dossier(ctx)
        change_status(ctx, withdrawn.code, lifecycle.WITHDRAWN, CLERK, reason="Công dân rút")
        with pytest.raises(PaymentRefused, match="đã được công dân rút"):
            pay(ctx, withdrawn.code, "cash", CLERK)
        with pytest.raises(PaymentRefused, match=r"cash \(tiền mặt\) hoặc transfer"):
            pay(ctx, copy_dossier(ctx).code, "card", CLERK)
        with ctx.store.read() as session:
            assert session.exec(select(DossierEvent).where(DossierEvent.type == "fee_paid")).all() == []
    finally:
        ctx.close()


def test_numbers_restart_on_the_first_of_january(config_path: Path) -> None:
    """Receipt numbers run on through 31 December and start again from the block's first on 1 January."""
    ctx = open_context(config_path)
    try:
        numbers = []
        for at in (datetime(2026, 12, 31, 10), datetime(2026, 12, 31, 16, 59), datetime(2027, 1, 1, 8),
                   datetime(2027, 1, 4, 8)):
            dossier = pay(ctx, copy_dossier(ctx, at=RECEIVED_AT).code, "cash", CLERK, at=at)
            payment = json.loads(dossier.payment_json)
            numbers.append((payment["receipt_year"], payment["receipt_no"]))
    finally:
        ctx.close()
    assert numbers == [(2026, 1), (2026, 2), (2027, 1), (2027, 2)]


def test_two_counters_offline_never_share_a_number(tmp_path: Path) -> None:
    """Two counters of one unit, each working offline, draw receipt numbers from their own blocks."""
    issued = {}
    for counter_id, first, last in (("Q1", 1, 4999), ("Q2", 5000, 9999)):
        ctx = open_context(write_config(tmp_path / counter_id, counter_id, first, last))
        try:
            issued[counter_id] = [json.loads(pay(ctx, copy_dossier(ctx).code, "cash", CLERK).payment_json)
                                  ["receipt_no"] for _ in range(3)]
        finally:
            ctx.close()
    assert issued == {"Q1": [1, 2, 3], "Q2": [49_990_001, 49_990_002, 49_990_003]}
    assert receipt_block(5000, 9999) == (49_990_001, 99_990_000)
    assert len(str(receipt_block(1, 9999)[1])) == 8


def test_vietqr_needs_an_account_and_names_the_amount(tmp_path: Path) -> None:
    """Without [payment] the transfer QR is refused in one sentence; with it, the payload carries the
    amount, the dossier code as bill number and a plain-ASCII purpose."""
    bare = write_config(tmp_path / "bare")
    ctx = open_context(bare)
    code = copy_dossier(ctx, pages=3, copies=2).code
    ctx.close()
    cli = signed_in(bare)
    refused = cli("dossier", "vietqr", code)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "[payment]" in refused.stderr
    bare.write_text(bare.read_text(encoding="utf-8") + '\n[payment]\nbank_bin = "970415"\n'
                    'account_number = "0011001932418"\naccount_name = "UBND XA HAI MINH"\n', encoding="utf-8")
    shown = cli("dossier", "vietqr", code, "--json")
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["amount"] == 10_000 and data["purpose"] == f"LE PHI {code[-11:]}"
    assert "54051000058" in data["payload"] and f"01{len(code):02d}{code}" in data["payload"]
