"""The printed queue ticket (80 mm roll or PDF): unit, the number in large type, its group, time, people ahead."""

from __future__ import annotations

from counter.config import UnitConfig
from counter.documents.model import SMALL, Document, Page, Space, Text
from counter.queue.tickets import TicketView

NUMBER_SIZE = 3.2


def ticket_document(unit: UnitConfig, ticket: TicketView) -> Document:
    """One page: who issues it, SỐ THỨ TỰ, the number, the group, the time and how many wait before."""
    ahead = (f"Có {ticket.ahead} người đang chờ trước quý khách." if ticket.ahead
             else "Quý khách là người tiếp theo.")
    blocks = (
        Text(unit.province.upper(), align="C", size=SMALL),
        Text(unit.name.upper(), "B", "C", SMALL),
        Text("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "B", "C", SMALL),
        Space(3),
        Text("SỐ THỨ TỰ", "B", "C"),
        Text(ticket.label, "B", "C", NUMBER_SIZE),
        Text(ticket.group_name, "B", "C"),
        Space(2),
        Text(f"Lấy số lúc {ticket.taken_at:%H:%M ngày %d/%m/%Y}", align="C", size=SMALL),
        Text(ahead, align="C", size=SMALL),
        Text("Xin vui lòng chờ đến lượt trên màn hình.", "I", "C", SMALL),
    )
    return Document("ticket", ticket.label, f"Số thứ tự {ticket.label}", (Page(blocks),))
