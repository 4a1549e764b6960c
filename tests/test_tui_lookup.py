"""Finding dossiers, today's queue, opening a dossier from a receipt QR, and starting the app."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from textual.widgets import Input

from counter.citizens.identity import parse
from counter.context import CounterContext
from counter.records.dossiers import DossierDraft
from counter.services.dossiers import create_dossier
from counter.store.models import AuditEntry, Clerk
from counter.tui.app import run
from counter.tui.dossier.screen import DossierScreen
from counter.tui.find.screen import FindScreen
from counter.tui.home.screen import HomeScreen
from counter.tui.login.screen import LoginScreen
from counter.tui.queue.screen import QueueScreen
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD, write_config
from tests.tui_helpers import make_app, ready, scan, screen_text, settle


def saved_dossier(ctx: CounterContext) -> str:
    """Store one marriage-status dossier for Nguyễn Thị Mai Anh; returns its code."""
    values = {"subject_ethnicity": "Kinh", "subject_nationality": "Việt Nam",
              "marital_status": "Chưa đăng ký kết hôn", "purpose": "Đăng ký kết hôn"}
    draft = DossierDraft("xac-nhan-tinh-trang-hon-nhan", {"subject": parse(MOTHER_PAYLOAD)}, values)
    return create_dossier(ctx, draft, "Lê Thị Hoa").code


async def test_find_by_name_without_diacritics(ctx: CounterContext, config_path: Path) -> None:
    """F3, "nguyen thi mai anh" → the dossier is listed; Enter opens it read-only and is audited."""
    code = saved_dossier(ctx)
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert isinstance(app.screen, FindScreen)
        app.screen.query_one("#find-query", Input).value = "nguyen thi mai anh"
        await pilot.press("enter")
        await settle(pilot)
        assert code in screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        text = screen_text(pilot)
        assert code in text and "Đã tiếp nhận" in text and "001******456" in text
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FindScreen)
    with ctx.store.read() as session:
        views = session.exec(select(AuditEntry).where(AuditEntry.action == "view")).all()
    assert [(v.subject_kind, v.subject_ref) for v in views] == [("dossier", code)]


async def test_receipt_qr_scan_opens_the_dossier_and_queue_lists_it(ctx: CounterContext,
                                                                     config_path: Path) -> None:
    """Scanning a dossier code (not an ID) opens that dossier; F4 lists today's dossiers."""
    code = saved_dossier(ctx)
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, code, enter=True)
        assert isinstance(app.screen, DossierScreen) and app.screen.code == code
        assert "Cấp Giấy xác nhận tình trạng hôn nhân" in screen_text(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        text = screen_text(pilot)
        assert code in text and "Đã tiếp nhận" in text and "1 hồ sơ" in text
        await scan(pilot, VALID_PAYLOAD)
        assert isinstance(app.screen, QueueScreen), "a scan never closes the screen the clerk is on"
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen) and home.person is not None


async def test_clerk_signs_in_first(config_path: Path) -> None:
    """Without a clerk the app asks who is working (name and PIN); the name is shown in the status bar."""
    from counter.accounts import users
    from counter.context import open_context

    ctx = open_context(config_path)
    try:
        users.add_clerk(ctx, "Đỗ Văn Nam", users.SUPERVISOR, "246813", by="test")
    finally:
        ctx.close()
    app = make_app(config_path, clerk=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await settle(pilot)
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one("#login-pin", Input).value = "246813"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Cán bộ: Đỗ Văn Nam" in screen_text(pilot)
        assert app.clerk == "Đỗ Văn Nam"
        with app.ctx.store.read() as session:
            assert session.exec(select(Clerk.name)).all() == ["Đỗ Văn Nam"]


def test_bad_config_is_one_message(tmp_path: Path, capsys: object) -> None:
    """A refused configuration ends the app with its message and no traceback."""
    path = write_config(tmp_path / "bad", extra="\n[bogus]\nkey = 1\n")
    assert run(str(path)) == 1
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "bogus" in err and "Traceback" not in err
