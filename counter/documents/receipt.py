"""Giấy tiếp nhận hồ sơ và hẹn trả kết quả (Mẫu số 01, Thông tư 01/2018/TT-VPCP; domain.md §4.2)."""

from __future__ import annotations

from counter.documents.common import ONE_STOP, header
from counter.documents.fee_receipt import transfer_block
from counter.documents.model import SMALL, TITLE, Block, Document, Field, Page, Qr, Signature, Signatures, Space, Text
from counter.documents.sources import Sources, clock_date, dated, place_name
from counter.fees.words import figures, in_words

COPIES = ("Liên 1: Lưu tại Bộ phận tiếp nhận và trả kết quả", "Liên 2: Giao người nộp hồ sơ")


def _phone(src: Sources) -> str:
    return src.phone or next(
        (src.values[f.id] for f in src.form.fields if f.type == "phone" and src.values.get(f.id)), "")


def _fee(src: Sources) -> list[Block]:
    """The fee line: the sentence of the tariff, and the amount computed (or the exemption) when there is one."""
    fee = src.fee
    if fee is None:
        return [Text(f"Lệ phí: {src.procedure.fee}.")]
    if fee["exempt"] and fee["exemption"] is None:
        return [Text(f"Lệ phí: {src.procedure.fee}.")]
    if fee["exempt"]:
        return [Text(f"Phí, lệ phí: miễn ({fee['exempt_reason']}); mức thu {figures(fee['waived'])}.")]
    state = "đã nộp" if src.payment else "chưa nộp"
    return [Text(f"Phí, lệ phí: {figures(fee['amount'])} ({in_words(fee['amount'])}; {state}) — {src.procedure.fee}."),
            *transfer_block(src)]


def receipt_page(src: Sources, copy_label: str) -> Page:
    """One copy of the receipt."""
    unit = src.unit
    applicant = src.applicant
    blocks: list[Block] = [
        header(unit),
        Space(2),
        Text(dated(place_name(unit.name), src.received_at), "I", "R"),
        Space(3),
        Qr(src.code, beside=(
            Text("GIẤY TIẾP NHẬN HỒ SƠ", "B", "C", TITLE), Text("VÀ HẸN TRẢ KẾT QUẢ", "B", "C", TITLE),
            Text(f"Mã hồ sơ: {src.code}", "B", "C"), Text(f"({copy_label})", "I", "C", SMALL),
        )),
        Space(2),
        Text(f"{ONE_STOP.capitalize()} {unit.name} tiếp nhận hồ sơ của:"),
        Field("Ông/Bà", applicant.full_name or src.applicant_name),
        Field("Địa chỉ", applicant.address),
    ]
    phone = _phone(src)
    if phone:
        blocks.append(Field("Số điện thoại", phone))
    procedure = src.procedure
    blocks += [
        Field("Nội dung yêu cầu giải quyết", procedure.name),
        *([Field("Mã thủ tục hành chính", procedure.code)] if procedure.code else []),
        Text("1. Thành phần hồ sơ nộp gồm:"),
        *(Text(f"{n}) {doc}", indent=6) for n, doc in enumerate(src.documents, 1)),
        *([Text(f"Đã số hóa {len(src.digitised):02d} thành phần: {'; '.join(src.digitised)}.", "I", indent=6)]
          if src.digitised else []),
        Text("2. Số lượng hồ sơ: 01 (bộ)."),
        Text(f"3. Thời gian giải quyết hồ sơ theo quy định: {procedure.processing_label}."),
        Text(f"4. Thời gian nhận hồ sơ: {clock_date(src.received_at)}."),
        Text(f"5. Thời gian trả kết quả giải quyết hồ sơ: {clock_date(src.promised_at)}.", "B"),
        Text(f"6. Đăng ký nhận kết quả tại: {ONE_STOP.capitalize()}, {unit.name}."),
        *_fee(src),
        *([Text(f"Đã hẹn lại ngày trả kết quả: {clock_date(src.due_at)}.", "I")]
          if src.due_at != src.promised_at else []),
        Text(f"Vào Sổ theo dõi hồ sơ, Số thứ tự: {src.sequence:04d}.", "I", size=SMALL),
        Space(2),
        Signatures((Signature("NGƯỜI NỘP HỒ SƠ", name=applicant.full_name or src.applicant_name),
                    Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name=src.clerk))),
    ]
    return Page(tuple(blocks))


def build_receipt(src: Sources, paper: str) -> Document:
    """Both copies on A4/A5 (one page each); only the citizen's copy on an 80 mm roll."""
    copies = COPIES[1:] if paper == "80mm" else COPIES
    return Document("receipt", src.code, f"Giấy tiếp nhận {src.code}",
                    tuple(receipt_page(src, label) for label in copies))
