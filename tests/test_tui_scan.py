"""Scans from the keyboard wedge, paste and image files: recognised anywhere, never leaking into fields."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input

from counter.qr.qrdraw import qr_image
from counter.tui.form.field import FieldRow
from counter.tui.form.screen import FormScreen
from counter.tui.home.screen import HomeScreen
from tests.conftest import FATHER_PAYLOAD, MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.tui_helpers import make_app, ready, scan, screen_text, settle, type_slowly


async def open_procedure(pilot: object, query: str) -> None:
    """Search the procedure list on the home screen and open the first match."""
    search = pilot.app.screen.query_one("#procedure-search", Input)  # type: ignore[attr-defined]
    search.value = query
    search.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_refused_scan_says_why_and_changes_nothing(config_path: Path) -> None:
    """An 11-digit ID is refused with one Vietnamese sentence; the card and the search field stay."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        await scan(pilot, MOTHER_PAYLOAD)
        search = app.screen.query_one("#procedure-search", Input)
        await type_slowly(pilot, "ket")
        bad = "03609000012|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh|20052021"
        await scan(pilot, bad, enter=True)
        text = screen_text(pilot)
        assert "Số định danh phải gồm đúng 12 chữ số" in text
        assert isinstance(app.screen, HomeScreen) and app.screen.person is not None
        assert app.screen.person.full_name == "Nguyễn Thị Mai Anh"
        assert search.value == "ket"


async def test_scan_while_typing_does_not_leak(config_path: Path) -> None:
    """A scan arriving mid-word fills the next role; the field being typed keeps exactly what was typed."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "khai sinh")
        assert isinstance(app.screen, FormScreen)
        child = app.screen.query_one("#f-child_name", Input)
        child.focus()
        await type_slowly(pilot, "Trần B")
        await scan(pilot, MOTHER_PAYLOAD)
        assert child.value == "Trần B" and child.has_focus
        await type_slowly(pilot, "ảo")
        await scan(pilot, FATHER_PAYLOAD, enter=True)
        assert child.value == "Trần Bảo"
        rows = {r.field_def.id: r for r in app.screen.query(FieldRow)}
        assert rows["requester_name"].value == "Trần Văn Bình"
        assert rows["mother_name"].value == "Nguyễn Thị Mai Anh"
        assert rows["mother_birth_year"].value == "2005"
        assert rows["father_name"].value == "Phạm Quốc Huy"
        assert rows["mother_name"].has_class("-from-card")
        assert not rows["child_name"].has_class("-from-card")


async def test_fast_typing_that_is_not_a_scan_reaches_the_field(config_path: Path) -> None:
    """A quick burst that is no payload (a fast typist) is released to the focused field in order."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(*"ket hon")
        await settle(pilot)
        assert app.screen.query_one("#procedure-search", Input).value == "ket hon"
        assert "Đăng ký kết hôn" in screen_text(pilot)
        assert "Đăng ký khai sinh" not in screen_text(pilot)


async def test_clerk_retypes_a_prefilled_value_and_a_role_change_keeps_it(config_path: Path) -> None:
    """Typed values survive moving the scanned person to another role; card values follow the person."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "ket hon")
        screen = app.screen
        assert isinstance(screen, FormScreen)
        screen.query_one("#f-bride_residence", Input).value = "Thôn 2"
        await pilot.pause()
        screen.draft.move_person("bride", "groom")
        screen._refresh()
        await pilot.pause()
        rows = {r.field_def.id: r for r in screen.query(FieldRow)}
        assert rows["groom_name"].value == "Trần Văn Bình"
        assert rows["bride_name"].value == ""
        assert rows["bride_residence"].value == "Thôn 2"


async def test_paste_and_image_are_scans(config_path: Path, tmp_path: Path) -> None:
    """A pasted payload and a QR picture decoded by zbar arrive the same way as a keyboard scan."""
    app = make_app(config_path)
    image = tmp_path / "the.png"
    qr_image(FATHER_PAYLOAD).save(image)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        search = app.screen.query_one("#procedure-search", Input)
        app.post_message(events.Paste(MOTHER_PAYLOAD))
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.screen.person is not None
        assert app.screen.person.full_name == "Nguyễn Thị Mai Anh" and search.value == ""
        app.post_message(events.Paste("Thôn 2"))
        await settle(pilot)
        assert search.value == "Thôn 2"
        await pilot.press("f5")
        await settle(pilot)
        app.screen.query_one("#image-path", Input).value = str(image)
        await pilot.press("enter")
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen) and home.person is not None
        assert home.person.full_name == "Phạm Quốc Huy" and home.person.card_kind == "can_cuoc_2024"


async def test_scan_fills_the_field_that_has_focus(config_path: Path) -> None:
    """A form opened without a card starts in the requester's name; a scan fills that very field."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_procedure(pilot, "khai sinh")
        focused = app.focused
        assert isinstance(focused, Input) and focused.id == "f-requester_name"
        await scan(pilot, VALID_PAYLOAD)
        assert focused.value == "Trần Văn Bình"
