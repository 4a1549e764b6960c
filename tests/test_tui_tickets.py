"""The clerk calls the next queue number with F8 in the real app; the dossier saved next carries it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from counter.accounts import users
from counter.context import open_context
from counter.services import tickets
from counter.store.models import DossierEvent, QueueTicket
from counter.tui.receipt.screen import ReceiptScreen
from counter.tui.supervisor.screen import SupervisorScreen
from tests.conftest import VALID_PAYLOAD
from tests.test_tui_counter import open_procedure, set_field
from tests.test_tui_supervisor import shows, until
from tests.tui_helpers import make_app, ready, scan, screen_text, settle


async def test_f8_calls_the_next_number_and_the_saved_dossier_carries_it(config_path: Path) -> None:
    ctx = open_context(config_path)
    try:
        tickets.take(ctx, "kiosk", "B")
    finally:
        ctx.close()
    app = make_app(config_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        assert "f8 Gọi số" in screen_text(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert "Mời số B-001 (Chứng thực) tới quầy Q1." in screen_text(pilot)
        assert app.status_segments["ticket"][0] == "Đang phục vụ số B-001"
        await pilot.press("f8")
        await settle(pilot)
        assert "Không còn ai đang chờ." in screen_text(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "chu ky")
        await set_field(pilot, "document_name", "Giấy uỷ quyền")
        await set_field(pilot, "copies", "1")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen), screen_text(pilot)
        code = app.screen.dossier.code
        assert app.status_segments["ticket"][0] == "Số B-001: đã lưu hồ sơ"
        app.clear_notifications()  # the two F8 toasts lie over the bottom lines for their few seconds
        await settle(pilot)
        assert "3 Rất hài lòng · 2 Hài lòng · 1 Không hài lòng" in screen_text(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert "Cảm ơn quý khách đã đánh giá!" in screen_text(pilot)
        app.screen.rated = False  # a second key press on the keypad reaches the core, which refuses it
        await pilot.press("1")
        await settle(pilot)
        assert "Hồ sơ này đã được đánh giá." in screen_text(pilot)
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            event = session.exec(select(DossierEvent).where(
                DossierEvent.dossier_code == code, DossierEvent.type == "received")).one()
            ticket = session.exec(select(QueueTicket)).one()
            rated = session.exec(select(DossierEvent).where(DossierEvent.type == "rated")).one()
    finally:
        ctx.close()
    assert json.loads(event.payload_json)["ticket"] == "B-001"
    assert (ticket.dossier_code, ticket.called_by, ticket.state) == (code, "Lê Thị Hoa", "called")
    assert json.loads(rated.payload_json) == {"level": 3, "reasons": [], "via": "keypad", "served_by": "Lê Thị Hoa"}


@pytest.mark.usefixtures("fast_pins")
async def test_the_supervisor_sees_waiting_times_and_arrivals(config_path: Path) -> None:
    ctx = open_context(config_path)
    try:
        for group in ("A", "A", "B"):
            tickets.take(ctx, "kiosk", group)
        tickets.call_next(ctx, "Lan")
        users.add_clerk(ctx, "Giám", users.SUPERVISOR, "975310", by="test")
    finally:
        ctx.close()
    app = make_app(config_path, clerk="Giám")
    async with app.run_test(size=(140, 44)) as pilot:
        await ready(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        assert await until(pilot, lambda: bool(app.screen.query_one("#sup-tabs").display))
        await pilot.click("#--content-tab-tab-waiting")
        await settle(pilot)
        assert await shows(pilot, "Người đến theo giờ:", "A Hộ tịch", "B Chứng thực", "Lan", "█ 3")
