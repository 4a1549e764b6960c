"""The documents a dossier can print, by the name used on the command line and in the TUI."""

from __future__ import annotations

from collections.abc import Callable

from counter.documents.declaration import build_declaration
from counter.documents.fee_receipt import build_fee_receipt
from counter.documents.handover import build_handover
from counter.documents.model import Document
from counter.documents.receipt import build_receipt
from counter.documents.slips import build_apology, build_refusal, build_supplement
from counter.documents.sources import Sources
from counter.errors import NotFoundError
from counter.law.lifecycle import NEED_SUPPLEMENT, REFUSED, RETURNED
from counter.records.projection import RESCHEDULED, STATUS_CHANGED

Builder = Callable[[Sources, str], Document]

BUILDERS: dict[str, Builder] = {
    "receipt": build_receipt,
    "form": build_declaration,
    "supplement": build_supplement,
    "refusal": build_refusal,
    "apology": build_apology,
    "handover": build_handover,
    "fee-receipt": build_fee_receipt,
}
LABELS = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "form": "Tờ khai",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận giải quyết hồ sơ",
    "apology": "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
    "handover": "Phiếu bàn giao kết quả",
    "fee-receipt": "Biên lai thu phí, lệ phí",
}


def build(kind: str, src: Sources, paper: str) -> Document:
    """The document `kind` of the dossier in `src`, laid out for `paper`."""
    builder = BUILDERS.get(kind)
    if builder is None:
        raise NotFoundError(f"Không có loại giấy “{kind}”; dùng một trong: {', '.join(BUILDERS)}.")
    return builder(src, paper)


def available(src: Sources) -> list[str]:
    """The documents this dossier can print now: receipt and form always, slips once their event exists."""
    kinds = ["receipt", "form"]
    if src.last_event(STATUS_CHANGED, to=NEED_SUPPLEMENT):
        kinds.append("supplement")
    if src.last_event(STATUS_CHANGED, to=REFUSED):
        kinds.append("refusal")
    if src.last_event(RESCHEDULED):
        kinds.append("apology")
    if src.last_event(STATUS_CHANGED, to=RETURNED):
        kinds.append("handover")
    if src.payment is not None:
        kinds.append("fee-receipt")
    return kinds
