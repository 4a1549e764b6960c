"""Slips of the one-stop process built from the dossier's events (Mẫu 03, 04, 05 of TT 01/2018/TT-VPCP)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from counter.documents.common import ONE_STOP, header
from counter.documents.model import SMALL, TITLE, Block, Document, Field, Page, Qr, Signature, Signatures, Space, Text
from counter.documents.sources import EventView, Sources, clock_date, dated, place_name
from counter.errors import CounterError
from counter.law import lifecycle
from counter.records.projection import RESCHEDULED, STATUS_CHANGED


class NothingToPrint(CounterError):
    """The dossier has no event the requested slip is made from."""

    title = "Không có phiếu để in"


def _top(src: Sources, when: datetime, title: tuple[str, ...], office: str = ONE_STOP) -> list[Block]:
    return [
        header(src.unit, office),
        Space(2),
        Text(dated(place_name(src.unit.name), when), "I", "R"),
        Space(3),
        Qr(src.code, beside=(*(Text(t, "B", "C", TITLE) for t in title),
                             Text(f"Mã hồ sơ: {src.code}", "B", "C"))),
        Space(2),
    ]


def _about(src: Sources, opening: str) -> list[Block]:
    return [
        Text(opening),
        Field("Ông/Bà", src.applicant.full_name or src.applicant_name),
        Field("Nội dung yêu cầu giải quyết", src.procedure.name),
        Field("Ngày tiếp nhận", clock_date(src.received_at)),
    ]


def _items(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in re.split(r"[\n;]+", str(value or "")) if part.strip()]


def _event(src: Sources, event_type: str, missing: str, **payload: str) -> EventView:
    event = src.last_event(event_type, **payload)
    if event is None:
        raise NothingToPrint(missing)
    return event


def build_supplement(src: Sources, paper: str) -> Document:
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: what is missing, from the last move to need_supplement."""
    event = _event(src, STATUS_CHANGED, f"Hồ sơ {src.code} chưa có yêu cầu bổ sung nào.", to=lifecycle.NEED_SUPPLEMENT)
    missing = _items(event.payload.get("missing")) or _items(event.payload.get("reason"))
    blocks = _top(src, event.at, ("PHIẾU YÊU CẦU BỔ SUNG,", "HOÀN THIỆN HỒ SƠ"))
    blocks += _about(src, f"{ONE_STOP.capitalize()} {src.unit.name} tiếp nhận hồ sơ của:")
    blocks.append(Text("Yêu cầu ông/bà bổ sung, hoàn thiện hồ sơ gồm những nội dung sau:", "B"))
    blocks += [Text(f"{n}. {item}", indent=6) for n, item in enumerate(missing, 1)] or [Field("1", "")]
    if event.payload.get("missing") and event.payload.get("reason"):
        blocks.append(Field("Lý do", str(event.payload["reason"])))
    blocks += [
        Text("Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, ông/bà liên hệ "
             f"{ONE_STOP.lower()} {src.unit.name} để được hướng dẫn.", size=SMALL),
        Space(2),
        Signatures((Signature("NGƯỜI NỘP HỒ SƠ", name=src.applicant.full_name),
                    Signature("NGƯỜI HƯỚNG DẪN", name=event.clerk))),
    ]
    return Document("supplement", src.code, f"Phiếu yêu cầu bổ sung {src.code}", (Page(tuple(blocks)),))


def build_refusal(src: Sources, paper: str) -> Document:
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ with the reason, from the move to refused."""
    event = _event(src, STATUS_CHANGED, f"Hồ sơ {src.code} không bị từ chối.", to=lifecycle.REFUSED)
    blocks = _top(src, event.at, ("PHIẾU TỪ CHỐI TIẾP NHẬN", "GIẢI QUYẾT HỒ SƠ"))
    blocks += _about(src, f"{ONE_STOP.capitalize()} {src.unit.name} tiếp nhận hồ sơ của:")
    blocks += [
        Text("Qua nghiên cứu, đối chiếu với các quy định hiện hành, cơ quan thông báo từ chối tiếp nhận, "
             "giải quyết hồ sơ này với lý do cụ thể như sau:"),
        *(Text(line, "B", indent=6) for line in _items(event.payload.get("reason")) or ["(không ghi lý do)"]),
        Text("Xin thông báo để ông/bà được biết và thực hiện."),
        Space(2),
        Signatures((Signature("NGƯỜI NỘP HỒ SƠ", name=src.applicant.full_name),
                    Signature("NGƯỜI TIẾP NHẬN HỒ SƠ", name=event.clerk))),
    ]
    return Document("refusal", src.code, f"Phiếu từ chối {src.code}", (Page(tuple(blocks)),))


def build_apology(src: Sources, paper: str) -> Document:
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: reason and new date, from the rescheduled event."""
    event = _event(src, RESCHEDULED, f"Hồ sơ {src.code} chưa được hẹn lại ngày trả kết quả.")
    old_due = datetime.fromisoformat(event.payload["old_due_at"])
    new_due = datetime.fromisoformat(event.payload["new_due_at"])
    blocks = _top(src, event.at, ("PHIẾU XIN LỖI VÀ HẸN LẠI", "NGÀY TRẢ KẾT QUẢ"), "")
    blocks += [
        Text(f"{src.unit.name} xin gửi lời xin lỗi tới:"),
        Field("Ông/Bà", src.applicant.full_name or src.applicant_name),
        Field("Nội dung yêu cầu giải quyết", src.procedure.name),
        Field("Ngày tiếp nhận", clock_date(src.received_at)),
        Field("Thời gian hẹn trả kết quả", clock_date(old_due)),
        Text(f"Tuy nhiên đến nay, {src.unit.name} chưa trả kết quả giải quyết hồ sơ cho ông/bà.")]
    blocks += [Field("Lý do", "; ".join(_items(event.payload.get("reason"))))]
    blocks += [
        Text(f"Sự chậm trễ này đã gây phiền hà cho ông/bà. {src.unit.name} xin lỗi ông/bà và hẹn lại thời gian "
             "trả kết quả:"),
        Text(clock_date(new_due), "B", "C", TITLE),
        Text("Xin trân trọng cảm ơn sự hợp tác của ông/bà."),
        Space(2),
        Signatures((Signature(f"TM. {src.unit.name.upper()}", "(Ký, ghi rõ họ tên và đóng dấu)"),)),
    ]
    return Document("apology", src.code, f"Phiếu xin lỗi {src.code}", (Page(tuple(blocks)),))
