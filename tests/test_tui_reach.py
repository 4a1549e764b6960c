"""At 80×24 a form scrolls as a whole: Tab, PageDown and the wheel reach every field, the documents and the
phone, and whatever has the cursor is on the screen; a rule's sentence is shown whole, wrapped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Checkbox, Input

from counter.tui.form.body import FormBody
from counter.tui.form.screen import FormScreen
from tests.conftest import VALID_PAYLOAD
from tests.test_tui_counter import open_procedure
from tests.tui_helpers import make_app, ready, scan, screen_text, settle

SIZES = [(80, 24), (120, 40)]


def in_view(pilot: Pilot[Any], widget: Widget) -> bool:
    """The widget is wholly inside the form's visible part (or in the head above it)."""
    body = pilot.app.screen.query_one(FormBody)
    head = pilot.app.screen.query_one("#form-head")
    return body.content_region.contains_region(widget.region) or head.region.contains_region(widget.region)


def one_line(text: str) -> str:
    """Screen text with line breaks and the form's left margin folded into single spaces."""
    return " ".join(text.split())


async def _marriage(pilot: Pilot[Any]) -> FormScreen:
    await ready(pilot)
    await scan(pilot, VALID_PAYLOAD)
    await open_procedure(pilot, "ket hon")
    screen = pilot.app.screen
    assert isinstance(screen, FormScreen)
    return screen


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_tab_reaches_every_field_in_view(config_path: Path, size: tuple[int, int]) -> None:
    """Tab from the first field to the phone: every stop is on screen; the documents and phone are among them."""
    app = make_app(config_path)
    async with app.run_test(size=size) as pilot:
        screen = await _marriage(pilot)
        wanted = {str(w.id) for w in screen.query_one(FormBody).query("Input, Select, Checkbox") if w.focusable}
        reached: set[str] = set()
        for _ in range(len(wanted) + 4):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            assert focused is not None and in_view(pilot, focused), (focused, screen_text(pilot))
            reached.add(str(focused.id))
        assert wanted <= reached, wanted - reached
        assert "hand-in-phone" in reached and "doc-0" in reached
        phone = screen.query_one("#hand-in-phone", Input)
        phone.focus()
        await settle(pilot)
        assert "Điện thoại (không bắt buộc)" in screen_text(pilot)


async def test_page_down_and_up_take_the_cursor_along(config_path: Path) -> None:
    """PageDown pages to the consent box under the phone at the foot of the form, the cursor always on screen;
    PageUp comes back."""
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _marriage(pilot)
        for _ in range(12):
            await pilot.press("pagedown")
            await pilot.pause()
            assert app.focused is not None and in_view(pilot, app.focused), screen_text(pilot)
        assert app.focused is screen.query_one("#hand-in-consent", Checkbox)
        text = screen_text(pilot)
        assert "Giấy tờ công dân đã nộp" in text or "Điện thoại (không bắt buộc)" in text
        for _ in range(12):
            await pilot.press("pageup")
            await pilot.pause()
            assert app.focused is not None and in_view(pilot, app.focused)
        assert screen.query_one(FormBody).scroll_y == 0
        assert "Bên nữ — Trần Văn Bình" in screen_text(pilot)


async def test_wheel_scrolls_to_the_documents(config_path: Path) -> None:
    """The mouse wheel over the form scrolls to the documents' check boxes and the phone."""
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _marriage(pilot)
        body = screen.query_one(FormBody)
        for _ in range(40):
            body.post_message(events.MouseScrollDown(body, 10, 10, 0, 3, 1, False, False, False))
            await pilot.pause()
        await settle(pilot)
        assert body.scroll_y == body.max_scroll_y > 0
        text = screen_text(pilot)
        assert "Điện thoại (không bắt buộc)" in text
        box = screen.query(Checkbox).last()
        assert in_view(pilot, box)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x40"])
async def test_rule_sentence_is_whole(config_path: Path, size: tuple[int, int]) -> None:
    """A man scanned as the bride: the whole sentence of the rule is on screen, wrapped, not cut."""
    app = make_app(config_path)
    async with app.run_test(size=size) as pilot:
        await _marriage(pilot)
        await settle(pilot)
        assert ("Bên nữ Trần Văn Bình có giới tính Nam; người ở vai trò “Bên nữ” phải là Nữ (Luật Hôn nhân và gia "
                "đình 2014, Điều 8: không thừa nhận hôn nhân cùng giới tính).") in one_line(screen_text(pilot))
