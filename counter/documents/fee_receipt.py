"""Biên lai thu phí, lệ phí: what was paid for a dossier, in figures and in words, with its receipt number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter.documents.model import Block, Document, Field, Page, Qr, Signature, Signatures, Space, Text
from counter.documents.slips import NothingToPrint, _top
from counter.documents.sources import Sources
from counter.fees.numbering import receipt_label
from counter.fees.words import METHOD_LABELS, figures, in_words

TITLE = ("BIÊN LAI THU PHÍ, LỆ PHÍ",)


def fee_lines(fee: dict[str, Any]) -> list[Block]:
    """One line per step of the computation, e.g. "Trang 1–2: 6 trang × 2.000 đ = 12.000 đ"."""
    return [Text(f"– {line['label']}: {line['quantity']} {line['unit']} × {figures(line['unit_amount'])} = "
                 f"{figures(line['amount'])}", indent=4) for line in fee.get("lines", [])]


def transfer_block(src: Sources) -> list[Block]:
    """The VietQR of the fee still owed, with what it pays, when the unit takes transfers."""
    if not src.transfer_qr or src.fee is None:
        return []
    return [Space(2), Qr(src.transfer_qr, beside=(
        Text("Chuyển khoản phí, lệ phí bằng VietQR", "B"),
        Text(f"Số tiền: {figures(src.fee['amount'])}"), Text(f"Nội dung: mã hồ sơ {src.code}", size=0.85)))]


def build_fee_receipt(src: Sources, paper: str) -> Document:
    """The fee receipt of a paid dossier: unit, payer, procedure, lines, amount in figures and words, method."""
    if src.fee is None or src.payment is None:
        raise NothingToPrint(f"Hồ sơ {src.code} chưa nộp phí, lệ phí; chưa có biên lai.")
    fee, paid = src.fee, src.payment
    paid_at = datetime.fromisoformat(paid["paid_at"])
    method = METHOD_LABELS.get(paid["method"], paid["method"])
    blocks: list[Block] = [
        *_top(src, paid_at, TITLE),
        Text(f"Số: {receipt_label(paid['receipt_no'], paid['receipt_year'])}", "B", "C"),
        Space(2),
        Field("Đơn vị thu", src.unit.name),
        Field("Người nộp", src.applicant.full_name or src.applicant_name),
        Field("Địa chỉ", src.applicant.address),
        Field("Thủ tục", src.procedure.name),
        Field("Tên phí, lệ phí", fee["name"]),
        *fee_lines(fee),
        Field("Số tiền", figures(paid["amount"])),
        Field("Bằng chữ", in_words(paid["amount"])),
        Field("Hình thức thanh toán", method + (f" (mã giao dịch {paid['reference']})" if paid["reference"] else "")),
        Field("Căn cứ", fee["basis"]),
        Space(2),
        Signatures((Signature("NGƯỜI NỘP TIỀN", name=src.applicant.full_name or src.applicant_name),
                    Signature("NGƯỜI THU TIỀN", name=paid["clerk"]))),
    ]
    return Document("fee-receipt", src.code, f"Biên lai thu phí, lệ phí {src.code}", (Page(tuple(blocks)),))
