"""At 80×24 and 100×30 nothing that matters is cut: status bar, card, form header and values, the queue.

Snapshots (update only after looking at the report) plus plain-text checks of what must stay visible.
The clock is fixed, so no snapshot depends on today's date.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Select

from counter.accounts import users
from counter.context import CounterContext, open_context
from counter.law import lifecycle
from counter.tui.app import CounterApp
from counter.tui.supervisor.screen import SupervisorScreen
from tests.conftest import MOTHER_PAYLOAD
from tests.supervisor_month import build
from tests.tui_helpers import make_app, ready, scan, screen_text, settle

SIZES = [(80, 24), (120, 40)]
NOW = datetime(2026, 3, 31, 10, 0)
OLD_CARD = ("036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh, Huyện Hải Hậu, "
            "Tỉnh Nam Định|20052001")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every screen sees the same moment, whatever the date of the run."""
    monkeypatch.setattr(CounterContext, "now", lambda self: NOW)


def flat(text: str) -> str:
    """Screen text with box borders, scroll bars and line breaks turned into single spaces."""
    return re.sub(r"[\s│╭╮╰╯─▊▎▔▁▆▇▌▍▋]+", " ", text)


def _steady(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


async def _until(pilot: Pilot[Any], *texts: str) -> None:
    for _ in range(300):
        if all(text in screen_text(pilot) for text in texts):
            return
        await pilot.pause(0.05)


async def _home_with_card(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await scan(pilot, OLD_CARD)
    _steady(pilot)


async def _marriage_form(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await scan(pilot, MOTHER_PAYLOAD)
    search = pilot.app.screen.query_one("#procedure-search", Input)
    search.value = "ket hon"
    await pilot.press("enter")
    await settle(pilot)
    await scan(pilot, OLD_CARD, enter=True)
    await settle(pilot)
    _steady(pilot)
    await settle(pilot)


async def _supervisor_queue(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await pilot.press("f10")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SupervisorScreen)
    await _until(pilot, "Ngày 31/03/2026")
    screen.query_one("#q-scope", Select).value = "open"
    await _until(pilot, "quá hạn ·")
    await settle(pilot)
    _steady(pilot)


@pytest.fixture
def supervisor_config(config_path: Path, fast_pins: None) -> Path:
    """A counter with a month of dossiers (tests/supervisor_month.py) and a supervisor account."""
    ctx = open_context(config_path)
    try:
        build(ctx)
        users.add_clerk(ctx, "Lê Văn Giám", users.SUPERVISOR, "482916", by="test")
    finally:
        ctx.close()
    return config_path


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_home_card(config_path: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """The card with its warning and the whole status bar."""
    assert snap_compare(make_app(config_path), terminal_size=size, run_before=_home_with_card)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_marriage_form(config_path: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """The form header in full and long values repeated under their boxes."""
    assert snap_compare(make_app(config_path), terminal_size=size, run_before=_marriage_form)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
def test_supervisor_queue(supervisor_config: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """The queue keeps each dossier's status and due date on screen."""
    app = make_app(supervisor_config, clerk="Lê Văn Giám")
    assert snap_compare(app, terminal_size=size, run_before=_supervisor_queue)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_what_matters_is_on_screen(config_path: Path, supervisor_config: Path, size: tuple[int, int]) -> None:
    """Plain-text checks behind the snapshots: nothing the clerk needs is cut off."""
    app: CounterApp = make_app(config_path)
    async with app.run_test(size=size) as pilot:
        await _marriage_form(pilot)
        text = flat(screen_text(pilot))
        assert "Đăng ký kết hôn · Trong ngày (sau 15 giờ: ngày làm việc tiếp theo)" in text
        assert "Lệ phí: Miễn lệ phí (kết hôn của công dân Việt Nam cư trú ở trong nước)" in text
        assert "Cán bộ: Lê Thị Hoa" in text and "Tỉnh: chưa đăng ký (ngoại tuyến)" in text
        assert "Số 12 ngõ 45 phố Hoàng Hoa Thám, Phường Ngọc Hà, Quận Ba Đình, Hà Nội" in text
    queue_app = make_app(supervisor_config, clerk="Lê Văn Giám")
    async with queue_app.run_test(size=size) as pilot:
        await _supervisor_queue(pilot)
        rows = [line for line in screen_text(pilot).splitlines() if "000.00.36.H40-" in line]
        assert rows
        for line in rows:
            assert any(label in line for label in lifecycle.STATUS_LABELS.values()), line
            assert re.search(r"\d\d/\d\d(/2026)? \d\d:\d\d", line), line
