"""Pilot tests: PIN login, lockout, idle lock, a full lifecycle with a reschedule, the supervisor screens."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from counter.accounts import users
from counter.context import open_context
from counter.law import lifecycle
from counter.records.dossiers import get_dossier
from counter.services.demo import demo_draft
from counter.services.dossiers import create_dossier
from counter.tui.lifecycle.dialogs import RescheduleDialog, ReturnDialog, StatusDialog
from counter.tui.login.screen import LoginScreen
from counter.tui.printing.screen import PrintScreen
from counter.tui.supervisor.screen import DENIED, SupervisorScreen
from tests.conftest import VALID_PAYLOAD, write_config
from tests.supervisor_month import XN, build
from tests.tui_helpers import make_app, ready, screen_text, settle

SIZE = (140, 44)
pytestmark = pytest.mark.usefixtures("fast_pins")


def strict_config(tmp_path: Path) -> Path:
    """A counter that locks an account after 2 wrong PINs for 5 minutes."""
    return write_config(tmp_path / "c", extra="\n[security]\nmax_failed_pins = 2\nlockout_minutes = 5\n")


def add_accounts(config: Path, *accounts: tuple[str, str, str]) -> None:
    """Create (name, role, pin) accounts through the core."""
    ctx = open_context(config)
    try:
        for name, role, pin in accounts:
            users.add_clerk(ctx, name, role, pin, by="test")
    finally:
        ctx.close()


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type a short text into the focused field (long instant bursts look like a scanner), then settle."""
    await pilot.press(*text)
    await settle(pilot)


async def until(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 15) -> bool:
    """Wait (without a wall-clock assertion) until `condition` holds; a loaded machine only makes it slower."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


async def shows(pilot: Pilot[None], *texts: str) -> bool:
    """Wait until every text is on the screen."""
    return await until(pilot, lambda: all(t in screen_text(pilot) for t in texts))


async def enter(pilot: Pilot[None]) -> None:
    """Press Enter and let the app settle."""
    await pilot.press("enter")
    await settle(pilot)


async def test_fresh_install_creates_the_first_supervisor(config_path: Path) -> None:
    """With no supervisor yet, the login screen asks for one; then the counter opens signed in."""
    app = make_app(config_path, clerk=None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, LoginScreen))
        assert await shows(pilot, "Lần đầu sử dụng")
        await type_text(pilot, "Lê Văn Giám")
        await enter(pilot)
        await type_text(pilot, "135790")
        await enter(pilot)
        await type_text(pilot, "135799")
        await enter(pilot)
        assert await shows(pilot, "không khớp")
        await type_text(pilot, "135790")
        await enter(pilot)
        assert await until(pilot, lambda: not isinstance(app.screen, LoginScreen))
        assert app.clerk == "Lê Văn Giám" and app.role == users.SUPERVISOR
        assert await shows(pilot, "Cán bộ: Lê Văn Giám")
    ctx = open_context(config_path)
    try:
        assert not users.needs_first_supervisor(ctx)
    finally:
        ctx.close()


async def test_login_lockout_and_idle_lock(tmp_path: Path) -> None:
    """Wrong PINs count down, then the account waits (the wait is shown); idle time locks the screen."""
    config = strict_config(tmp_path)
    add_accounts(config, ("Giám", users.SUPERVISOR, "975310"), ("Lan", users.CLERK, "246813"))
    app = make_app(config, clerk=None)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert await shows(pilot, "Chọn tên của bạn")
        await pilot.press("end", "enter")  # the last name: Lan
        await type_text(pilot, "802461")
        await enter(pilot)
        assert await shows(pilot, "Tên cán bộ hoặc mã PIN không đúng")
        await type_text(pilot, "802461")
        await enter(pilot)
        assert await shows(pilot, "hãy chờ 5 phút")
        await type_text(pilot, "246813")
        await enter(pilot)
        pin = app.screen.query_one("#login-pin", Input)
        assert await until(pilot, lambda: pin.value == ""), "the answer clears the PIN field"
        assert await shows(pilot, "hãy chờ") and isinstance(app.screen, LoginScreen) and app.clerk == ""
        for key in ("shift+tab", "home", "enter"):  # back to the list: Giám is not locked
            await pilot.press(key)
            await settle(pilot)
        assert await shows(pilot, "Giám — nhập mã PIN")
        await type_text(pilot, "975310")
        await enter(pilot)
        assert await until(pilot, lambda: app.clerk == "Giám" and not isinstance(app.screen, LoginScreen))
        app.idle.last = time.monotonic() - 11 * 60
        app.lock_if_idle()
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, LoginScreen)) and app.clerk == ""
        assert await shows(pilot, "Màn hình đã khoá")
        await type_text(pilot, "975310")
        await enter(pilot)
        assert await until(pilot, lambda: app.clerk == "Giám" and not isinstance(app.screen, LoginScreen))


async def test_full_lifecycle_with_reschedule(config_path: Path) -> None:
    """Processing, a refused reschedule kept on screen, a valid one, done, returned — from the dossier view."""
    ctx = open_context(config_path)
    try:
        now = ctx.now()
        received = datetime.combine(now.date() - timedelta(days=1), datetime.min.time()).replace(hour=9)
        draft = demo_draft(ctx.forms[XN], random.Random(3), received.date())
        code = create_dossier(ctx, draft, "Lan", received_at=received).code
    finally:
        ctx.close()
    app = make_app(config_path, clerk="Lan")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.open_dossier(code)
        assert await shows(pilot, "Trạng thái:    Đã tiếp nhận")
        await pilot.press("f2")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, StatusDialog))
        app.screen.query_one("#lc-status", Select).value = lifecycle.PROCESSING
        app.screen.query_one("#lc-reason").focus()
        await enter(pilot)
        assert await shows(pilot, "Trạng thái:    Đang xử lý")
        await pilot.press("f6")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, RescheduleDialog))
        sunday = date(2030, 1, 6)
        await type_text(pilot, f"{sunday:%d/%m/%Y}")
        await enter(pilot)
        await type_text(pilot, "Xác minh")
        await enter(pilot)
        assert await shows(pilot, "không phải ngày làm việc") and isinstance(app.screen, RescheduleDialog)
        assert app.screen.query_one("#lc-reason", Input).value == "Xác minh", "nothing typed is lost"
        app.screen.query_one("#lc-day", Input).value = "07/01/2030"
        app.screen.query_one("#lc-reason").focus()
        await enter(pilot)
        assert await shows(pilot, "17:00 07/01/2030", "đã hẹn lại")
        assert not isinstance(app.screen, RescheduleDialog)
        await pilot.press("f6")
        assert await until(pilot, lambda: isinstance(app.screen, RescheduleDialog))
        await type_text(pilot, "08/01/2030")
        await enter(pilot)
        await type_text(pilot, "Lần nữa")
        await enter(pilot)
        assert await shows(pilot, "chỉ được hẹn lại một lần")
        await pilot.press("escape")
        assert await until(pilot, lambda: not isinstance(app.screen, RescheduleDialog))
        await pilot.press("f2")
        assert await until(pilot, lambda: isinstance(app.screen, StatusDialog))
        app.screen.query_one("#lc-status", Select).value = lifecycle.DONE
        app.screen.query_one("#lc-reason").focus()
        await enter(pilot)
        assert await shows(pilot, "Trạng thái:    Đã xử lý xong")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, ReturnDialog))
        await enter(pilot)
        await enter(pilot)
        assert await shows(pilot, "Cần ghi số định danh")
        app.screen.query_one("#lc-receiver-id", Input).value = VALID_PAYLOAD
        assert await until(pilot, lambda: app.screen.query_one("#lc-receiver", Input).value == "Trần Văn Bình")
        await enter(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, PrintScreen))
        assert await shows(pilot, "Phiếu bàn giao kết quả")
        await pilot.press("escape")
        assert await shows(pilot, "Đã trả kết quả", "Đã trả:")
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            dossier = get_dossier(session, code)
    finally:
        ctx.close()
    assert dossier.status == lifecycle.RETURNED and dossier.rescheduled and dossier.returned_to
    assert dossier.event_count == 5


async def test_supervisor_screens(config_path: Path) -> None:
    """Queue with filters and highlights, figures with the formula, stuck work and the audit log."""
    ctx = open_context(config_path)
    try:
        codes = build(ctx)
        users.add_clerk(ctx, "Giám", users.SUPERVISOR, "975310", by="test")
    finally:
        ctx.close()
    app = make_app(config_path, clerk="Giám")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        screen = app.screen
        assert await until(pilot, lambda: bool(screen.query_one("#sup-tabs").display))
        assert await shows(pilot, "Chưa có bản sao lưu nào")  # and [backup].warn_after_days warns (test_backup)
        assert screen.query_one("#sup-backup").has_class("-warning")
        date_field = screen.query_one("#q-date", Input)
        date_field.value = "31/03/2026"
        date_field.focus()
        await enter(pilot)
        assert await shows(pilot, "Ngày 31/03/2026")
        screen.query_one("#q-scope", Select).value = "open"
        assert await shows(pilot, codes["D4"], "quá hạn", "sắp đến hạn", "3 quá hạn · 1 sắp đến hạn")
        screen.query_one("#q-status", Select).value = "due_soon"
        assert await until(pilot, lambda: codes["D13"] in screen_text(pilot) and codes["D4"] not in screen_text(pilot))
        await pilot.click("#--content-tab-tab-figures")
        await settle(pilot)
        assert await until(pilot, lambda: screen.query_one("#f-date", Input).value != "")
        figures_date = screen.query_one("#f-date", Input)
        figures_date.value = "15/03/2026"
        figures_date.focus()
        await enter(pilot)
        assert await shows(pilot, "Tháng 03/2026", "61,5 %", "Công thức", "= 100% − (2 + 3) / (10 + 3)")
        await pilot.press("f7")
        await settle(pilot)
        assert await shows(pilot, "Tháng 04/2026")
        await pilot.click("#--content-tab-tab-stuck")
        await settle(pilot)
        assert await shows(pilot, "Chưa gửi lên tỉnh: 15 hồ sơ")
        await pilot.click("#--content-tab-tab-audit")
        await pilot.press("f8")
        assert await shows(pilot, "Giám", "Xem", "2026-03-31", "month 2026-03")
        assert "queue" not in screen_text(pilot)
    other = make_app(config_path, clerk="An")
    async with other.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert await shows(pilot, DENIED[:40])
