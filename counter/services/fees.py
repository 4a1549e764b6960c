"""Take a dossier's fee and give it back: one `fee_paid` or `fee_refunded` event each, audited in the same
transaction; the fee receipt number comes from this counter's block (counter.fees.numbering)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from counter.accounts import users
from counter.context import CounterContext
from counter.custody import audit
from counter.fees.numbering import next_receipt, receipt_block, receipt_label
from counter.fees.report import FeeReport
from counter.fees.report import for_period as period_report
from counter.fees.vietqr import Account, VietQRRefused, bill_purpose
from counter.fees.vietqr import payload as vietqr_payload
from counter.fees.words import METHOD_LABELS, figures
from counter.law import lifecycle
from counter.records.dossiers import TransitionRefused, append_event, get_dossier
from counter.records.projection import FEE_PAID, FEE_REFUNDED
from counter.store import fees as fee_rows
from counter.store.models import Dossier
from counter.store.rows import driver
from counter.text.plaintext import check_text


class PaymentRefused(TransitionRefused):
    """A payment or refund that cannot be recorded (nothing to pay, paid already, withdrawn, no right)."""

    title = "Không ghi nhận được việc nộp phí"


def _payable(dossier: Dossier) -> int:
    """What this dossier still owes, or PaymentRefused saying why nothing can be taken."""
    if dossier.status == lifecycle.WITHDRAWN:
        raise PaymentRefused(f"Hồ sơ {dossier.code} đã được công dân rút; không thu phí, lệ phí.")
    fee = json.loads(dossier.fee_json) if dossier.fee_json else None
    if fee is None or dossier.fee_due <= 0:
        why = f" ({fee['exempt_reason']})" if fee and fee.get("exempt") else ""
        raise PaymentRefused(f"Hồ sơ {dossier.code} không có phí, lệ phí phải nộp{why}.")
    if dossier.payment_json:
        paid = json.loads(dossier.payment_json)
        raise PaymentRefused(f"Hồ sơ {dossier.code} đã nộp {figures(paid['amount'])} "
                             f"(biên lai số {receipt_label(paid['receipt_no'], paid['receipt_year'])}); "
                             "không thu lần thứ hai.")
    return dossier.fee_due


def pay(ctx: CounterContext, code: str, method: str, clerk: str, reference: str = "",
        at: datetime | None = None) -> Dossier:
    """Record that the dossier's fee was paid in cash or by transfer, with the next fee receipt number."""
    at = at or ctx.now()
    if method not in METHOD_LABELS:
        raise PaymentRefused("Hình thức nộp phải là cash (tiền mặt) hoặc transfer (chuyển khoản).")
    reference = " ".join(check_text(reference, "Mã giao dịch").split())
    if len(reference) > 64:
        raise PaymentRefused("Mã giao dịch dài quá 64 ký tự.")
    block = ctx.config.counter
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        amount = _payable(dossier)
        low, high = receipt_block(block.sequence_first, block.sequence_last)
        highest = fee_rows.highest_receipt(driver(session), block.id, at.year, low, high)
        number = next_receipt(highest, block.sequence_first, block.sequence_last, at.year)
        payload = {"amount": amount, "method": method, "reference": reference, "receipt_no": number,
                   "receipt_year": at.year}
        dossier = append_event(session, ctx, dossier, FEE_PAID, payload, clerk, at)
        audit.record(session, clerk, "fee_paid", "dossier", dossier.code,
                     f"{figures(amount)}, {METHOD_LABELS[method]}, biên lai {receipt_label(number, at.year)}", at=at)
    return dossier


def refund(ctx: CounterContext, code: str, reason: str, clerk: str, at: datetime | None = None) -> Dossier:
    """Give back a paid fee (a supervisor's decision, with the reason): one `fee_refunded` event."""
    at = at or ctx.now()
    reason = check_text(reason, "Lý do hoàn trả", multiline=True).strip()
    if not reason:
        raise PaymentRefused("Cần ghi lý do hoàn trả phí, lệ phí.")
    with ctx.store.write() as session:
        account = users.get_clerk(session, clerk)
        if account is None or account.role != users.SUPERVISOR:
            raise PaymentRefused("Chỉ trưởng bộ phận (tài khoản giám sát) được hoàn trả phí, lệ phí.")
        dossier = get_dossier(session, code)
        if not dossier.payment_json:
            raise PaymentRefused(f"Hồ sơ {dossier.code} chưa nộp phí, lệ phí; không có gì để hoàn trả.")
        paid = json.loads(dossier.payment_json)
        payload = {"amount": paid["amount"], "method": paid["method"], "reason": reason,
                   "receipt_no": paid["receipt_no"], "receipt_year": paid["receipt_year"]}
        dossier = append_event(session, ctx, dossier, FEE_REFUNDED, payload, clerk, at)
        audit.record(session, clerk, "fee_refunded", "dossier", dossier.code,
                     f"{figures(paid['amount'])}: {reason}", at=at)
    return dossier


def payment_json(dossier: Dossier) -> dict[str, Any] | None:
    """The dossier's current payment as `dossier pay --json` prints it (None when unpaid or refunded)."""
    return json.loads(dossier.payment_json) if dossier.payment_json else None


def transfer_qr(ctx: CounterContext, code: str) -> dict[str, Any]:
    """The VietQR payload for paying a dossier's fee by transfer, with the amount and account it names."""
    payment = ctx.config.payment
    if not payment.enabled:
        raise VietQRRefused("Chưa đặt tài khoản nhận chuyển khoản ([payment] bank_bin, account_number, account_name "
                            f"trong {ctx.config.source}); không tạo được mã VietQR.")
    with ctx.store.read() as session:
        dossier = get_dossier(session, code)
        amount = _payable(dossier)
    account = Account(payment.bank_bin, payment.account_number, payment.account_name)
    purpose = bill_purpose(payment.purpose, dossier.code)
    return {"code": dossier.code, "amount": amount, "currency": "VND", "bank_bin": account.bank_bin,
            "account_number": account.account_number, "account_name": account.account_name, "purpose": purpose,
            "payload": vietqr_payload(account, amount, bill=dossier.code, purpose=purpose)}


def fee_report(ctx: CounterContext, viewer: str, day: date | None = None, month: tuple[int, int] | None = None,
               export: str = "text") -> FeeReport:
    """The fees of a day (default today) or a month, read and written to the audit log in one transaction
    (`export`: text or tui for a view, json, csv or xlsx for an export)."""
    if month is not None:
        first = date(month[0], month[1], 1)
        last = date(month[0] + month[1] // 12, month[1] % 12 + 1, 1) - timedelta(days=1)
        kind, label = "month", f"{month[1]:02d}/{month[0]}"
    else:
        first = last = day or ctx.now().date()
        kind, label = "day", f"{first:%d/%m/%Y}"
    with ctx.store.transaction() as conn:
        report = period_report(conn, kind, label, first, last)
        audit.record_on(conn, viewer, "view" if export in ("text", "tui") else "export", "report", f"fees {label}",
                        export, at=ctx.now())
    return report
