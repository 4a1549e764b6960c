"""A scan goes to what the screen waits for (a receiver, the next person, a search) and never closes a screen."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from textual.widgets import Input

from counter.context import CounterContext
from counter.law import lifecycle
from counter.records.dossiers import get_dossier
from counter.services.dossiers import change_status
from counter.store.models import Dossier
from counter.tui.dossier.screen import DossierScreen
from counter.tui.find.screen import FindScreen
from counter.tui.home.screen import HomeScreen
from counter.tui.lifecycle.dialogs import ReturnDialog
from counter.tui.printing.screen import PrintScreen
from counter.tui.queue.screen import QueueScreen
from tests.conftest import FATHER_PAYLOAD, VALID_PAYLOAD
from tests.test_tui_lookup import saved_dossier
from tests.tui_helpers import flat_text, make_app, ready, scan, screen_text, settle, shown


async def test_hand_over_by_scanning_the_receivers_card(ctx: CounterContext, config_path: Path) -> None:
    """F3, open a finished dossier, Ctrl+R, scan another person's card: the dialog fills in the receiver and
    stays; Enter hands over and the print dialog offers the hand-over slip."""
    code = saved_dossier(ctx)
    change_status(ctx, code, lifecycle.PROCESSING, "Lê Thị Hoa")
    change_status(ctx, code, lifecycle.DONE, "Lê Thị Hoa")
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await settle(pilot)
        app.screen.query_one("#find-query", Input).value = "nguyen thi mai anh"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ReturnDialog)
        await scan(pilot, FATHER_PAYLOAD)
        assert isinstance(app.screen, ReturnDialog), screen_text(pilot)
        assert app.screen.query_one("#lc-receiver-id", Input).value == "048088000321"
        assert app.screen.query_one("#lc-receiver", Input).value == "Phạm Quốc Huy"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PrintScreen), screen_text(pilot)
        assert app.screen.kinds[app.screen.first] == "handover"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        assert "Đã trả kết quả" in screen_text(pilot)
    with ctx.store.read() as session:
        dossier = get_dossier(session, code)
    assert dossier.status == lifecycle.RETURNED and dossier.returned_to == "Phạm Quốc Huy"


async def test_typed_other_number_clears_the_applicants_name(ctx: CounterContext, config_path: Path) -> None:
    """Typing another person's number empties the applicant's name; an empty name is refused in one sentence."""
    code = saved_dossier(ctx)
    change_status(ctx, code, lifecycle.PROCESSING, "Lê Thị Hoa")
    change_status(ctx, code, lifecycle.DONE, "Lê Thị Hoa")
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await scan(pilot, code, enter=True)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert app.screen.query_one("#lc-receiver", Input).value == "Nguyễn Thị Mai Anh"
        app.screen.query_one("#lc-receiver-id", Input).value = "001305000456"
        await settle(pilot)
        assert app.screen.query_one("#lc-receiver", Input).value == "Nguyễn Thị Mai Anh"
        app.screen.query_one("#lc-receiver-id", Input).value = "048088000321"
        await settle(pilot)
        assert app.screen.query_one("#lc-receiver", Input).value == ""
        app.screen.query_one("#lc-receiver").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReturnDialog)
        assert "Cần ghi họ và tên người nhận kết quả." in screen_text(pilot)
    with ctx.store.read() as session:
        assert session.exec(select(Dossier)).one().status == lifecycle.DONE


async def test_scan_on_a_browsing_screen_keeps_it_open(ctx: CounterContext, config_path: Path) -> None:
    """A card scanned over today's queue goes to the counter beneath; the queue stays and says so."""
    saved_dossier(ctx)
    app = make_app(config_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await scan(pilot, VALID_PAYLOAD)
        assert isinstance(app.screen, QueueScreen)
        home = app.screen_stack[0]
        assert isinstance(home, HomeScreen) and home.person is not None
        assert home.person.full_name == "Trần Văn Bình"
        assert await shown(pilot, "Thẻ của Trần Văn Bình đang hiện ở quầy tiếp nhận"), flat_text(pilot)


async def test_scan_while_finding_searches_that_citizen(ctx: CounterContext, config_path: Path) -> None:
    """F3 then a card: that citizen's dossiers, the number masked on screen."""
    code = saved_dossier(ctx)
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await scan(pilot, "001305000456||Nguyễn Thị Mai Anh|02112005|Nữ|Hà Nội|10082021")
        assert isinstance(app.screen, FindScreen)
        text = screen_text(pilot)
        assert code in text and "001******456" in text and "001305000456" not in text
