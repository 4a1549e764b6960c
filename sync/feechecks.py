"""Checks of fee facts in events, needing no database: the hub and the pulling counter both run them."""

from __future__ import annotations

from typing import Any

from counter.fees.numbering import MAX_RECEIPT, in_block, receipt_block, receipt_label
from counter.fees.words import figures

METHODS = ("cash", "transfer")
MAX_AMOUNT = 10**11


def whole(value: Any, low: int = 0, high: int = MAX_AMOUNT) -> bool:
    """An int (not a bool) within [low, high]."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


PAYMENT_RULES = {
    "amount": lambda v: whole(v, 1),
    "method": lambda v: v in METHODS,
    "receipt_no": lambda v: whole(v, 1, MAX_RECEIPT),
    "receipt_year": lambda v: whole(v, 2000, 2999),
}
REFUND_RULES = {
    "amount": lambda v: whole(v, 1),
    "reason": lambda v: isinstance(v, str) and bool(v.strip()),
    "receipt_no": lambda v: whole(v, 1, MAX_RECEIPT),
    "receipt_year": lambda v: whole(v, 2000, 2999),
}


def received_fee_problem(fee: Any) -> str | None:
    """A `received` payload's fee that is not a fee object whose amount its lines add up to (None: no fee)."""
    if fee is None:
        return None
    if not isinstance(fee, dict) or not whole(fee.get("amount")) or not isinstance(fee.get("exempt"), bool):
        return "Lệ phí trong hồ sơ không hợp lệ."
    lines = fee.get("lines")
    if not isinstance(lines, list) or not all(isinstance(line, dict) and whole(line.get("amount")) for line in lines):
        return "Các dòng tính lệ phí trong hồ sơ không hợp lệ."
    total = sum(line["amount"] for line in lines)
    charged = 0 if fee["exempt"] else total
    if fee["amount"] != charged or (fee["exempt"] and fee.get("waived", 0) != total):
        return f"Lệ phí {figures(fee['amount'])} không khớp các dòng tính theo biểu phí ({figures(total)})."
    return None


def payment_problem(payload: dict[str, Any], fee_due: int | None) -> str | None:
    """A `fee_paid` amount other than the dossier's fee as computed when it was received."""
    if fee_due is None or fee_due <= 0:
        return "Hồ sơ không có phí, lệ phí phải nộp."
    if payload["amount"] != fee_due:
        return (f"Số tiền đã thu {figures(payload['amount'])} không khớp lệ phí của hồ sơ "
                f"({figures(fee_due)}) theo biểu phí đã ghim.")
    return None


def receipt_problem(payload: dict[str, Any], counter_id: str, first: int | None, last: int | None) -> str | None:
    """A fee receipt number outside the sending counter's block (unknown blocks are not judged)."""
    if first is None or last is None or in_block(payload["receipt_no"], first, last):
        return None
    low, high = receipt_block(first, last)
    return (f"Số biên lai {receipt_label(payload['receipt_no'], payload['receipt_year'])} nằm ngoài dãy "
            f"{low:08d}–{high:08d} của quầy {counter_id}.")
