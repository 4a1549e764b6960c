"""A fast typist or a paste is typing, a scanner's burst is a scan: told apart by the burst's shape."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual._xterm_parser import XTermParser
from textual.widgets import Input

from counter.tui.form.field import FieldRow
from counter.tui.form.screen import FormScreen
from counter.tui.home.screen import HomeScreen
from counter.tui.scan.payload import burst_is_scan
from tests.conftest import FATHER_PAYLOAD, MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.test_tui_scan import open_procedure
from tests.tui_helpers import make_app, ready, scan, screen_text, settle


async def burst(pilot: object, *chunks: str) -> None:
    """Raw terminal input read in one go ("\t" Tab, "\r" Enter, bracketed paste too), parsed by Textual's
    own terminal parser into the events the app receives from a real terminal, all posted at once."""
    parser = XTermParser()
    for message in parser.feed("".join(chunks)):
        pilot.app.post_message(message)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


def test_shape_not_length_makes_a_scan() -> None:
    """Long typing is typing; an ID payload or a receipt code is a scan, with or without Enter."""
    assert not burst_is_scan("Nguyễn Hoàng Bảo Ngọc Anh, Thôn Đông, Xã Hải Minh", ended_by_terminator=True)
    assert not burst_is_scan("31/11/2026", ended_by_terminator=True)
    assert not burst_is_scan("0912345678901234567890", ended_by_terminator=True)
    assert burst_is_scan(VALID_PAYLOAD, ended_by_terminator=False)
    assert burst_is_scan(FATHER_PAYLOAD, ended_by_terminator=True)
    assert burst_is_scan("000.00.36.H40-260915-0001", ended_by_terminator=False)
    assert burst_is_scan("03609000012|163000123|Trần Văn Bình|15041990|Nam|Xóm 3|20052021", ended_by_terminator=True)


async def test_fast_typing_across_fields_lands_where_typed(config_path: Path) -> None:
    """A typist's burst (name, Tab, a date, Tab) fills the name, then the date; no key is lost or moved."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_procedure(pilot, "khai sinh")
        screen = app.screen
        assert isinstance(screen, FormScreen)
        screen.query_one("#f-child_name", Input).focus()
        await pilot.pause()
        await burst(pilot, "Nguyễn Hoàng Bảo Ngọc Anh", "\t", "31/11/2026", "\t")
        rows = {r.field_def.id: r for r in screen.query(FieldRow)}
        assert rows["child_name"].value == "Nguyễn Hoàng Bảo Ngọc Anh"
        assert rows["child_birth_date"].value == "31/11/2026"
        assert app.focused is not None and app.focused.id == "f-child_sex"
        assert "Ngày không hợp lệ" in screen_text(pilot)
        assert "Mã QR không hợp lệ" not in screen_text(pilot)


async def test_fast_digits_into_a_date_field_stay_there(config_path: Path) -> None:
    """Digits typed fast into a focused date field (a burst that begins with a digit) reach that field."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_procedure(pilot, "khai sinh")
        screen = app.screen
        assert isinstance(screen, FormScreen)
        date_field = screen.query_one("#f-child_birth_date", Input)
        date_field.focus()
        await pilot.pause()
        await burst(pilot, "31/11/2026")
        assert date_field.value == "31/11/2026"
        assert screen.query_one("#f-child_name", Input).value == ""


async def test_scan_still_a_scan_after_fast_typing(config_path: Path) -> None:
    """Right after a typist's burst, a scanner's burst fills the next role and leaves the typed field alone."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "khai sinh")
        screen = app.screen
        assert isinstance(screen, FormScreen)
        child = screen.query_one("#f-child_name", Input)
        child.focus()
        await pilot.pause()
        await burst(pilot, "Trần Bảo Ngọc Hân Nguyễn")
        await burst(pilot, MOTHER_PAYLOAD, "\r")
        rows = {r.field_def.id: r for r in screen.query(FieldRow)}
        assert child.value == "Trần Bảo Ngọc Hân Nguyễn"
        assert rows["mother_name"].value == "Nguyễn Thị Mai Anh"


async def test_pasted_long_text_goes_into_the_field(config_path: Path) -> None:
    """A pasted address longer than any typed word is typing, not a refused scan."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await ready(pilot)
        search = app.screen.query_one("#procedure-search", Input)
        address = "Số 12 ngõ 45 phố Hoàng Hoa Thám, Phường Ngọc Hà, Hà Nội"
        app.post_message(events.Paste(address))
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and search.value == address
        assert "Mã QR không hợp lệ" not in screen_text(pilot)


async def test_bracketed_paste_of_a_name_fills_the_focused_field(config_path: Path) -> None:
    """A name pasted from the terminal (bracketed paste) goes into the field with focus, in full."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_procedure(pilot, "khai sinh")
        child = app.screen.query_one("#f-child_name", Input)
        child.focus()
        await pilot.pause()
        await burst(pilot, "\x1b[200~Nguyễn Hoàng Bảo Ngọc Anh Thư\x1b[201~")
        assert child.value == "Nguyễn Hoàng Bảo Ngọc Anh Thư"
