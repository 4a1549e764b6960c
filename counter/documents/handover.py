"""Phiếu bàn giao kết quả: a short slip when the result is handed over, naming the receiver and their ID."""

from __future__ import annotations

from counter.documents.common import ONE_STOP
from counter.documents.model import Document, Field, Page, Signature, Signatures, Space, Text
from counter.documents.slips import NothingToPrint, _top
from counter.documents.sources import Sources, clock_date
from counter.law import lifecycle
from counter.records.projection import STATUS_CHANGED


def build_handover(src: Sources, paper: str) -> Document:
    """The hand-over slip from the move to "returned": who received what, when, with which ID."""
    event = src.last_event(STATUS_CHANGED, to=lifecycle.RETURNED)
    if event is None:
        raise NothingToPrint(f"Hồ sơ {src.code} chưa trả kết quả.")
    receiver = str(event.payload.get("receiver", ""))
    receiver_id = str(event.payload.get("receiver_id", ""))
    blocks = [
        *_top(src, event.at, ("PHIẾU BÀN GIAO KẾT QUẢ",)),
        Text(f"{ONE_STOP.capitalize()} {src.unit.name} đã trả kết quả giải quyết hồ sơ:"),
        Field("Nội dung yêu cầu giải quyết", src.procedure.name),
        Field("Người nộp hồ sơ", src.applicant.full_name or src.applicant_name),
        Field("Ngày tiếp nhận", clock_date(src.received_at)),
        Field("Thời gian trả kết quả", clock_date(event.at)),
        Field("Người nhận kết quả", receiver),
        Field("Số định danh / giấy tờ tùy thân", receiver_id),
        Space(2),
        Signatures((Signature("NGƯỜI NHẬN KẾT QUẢ", name=receiver),
                    Signature("NGƯỜI TRẢ KẾT QUẢ", name=event.clerk))),
    ]
    return Document("handover", src.code, f"Phiếu bàn giao kết quả {src.code}", (Page(tuple(blocks)),))
