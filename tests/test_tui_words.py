"""Every word the app shows is Vietnamese: the footer, the command palette and Textual's own keys."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Select

from counter.tui.form.screen import FormScreen
from counter.tui.palette import NO_MATCHES
from counter.tui.words import WORDS, use_vietnamese_words
from tests.test_tui_scan import open_procedure
from tests.tui_helpers import make_app, ready, screen_text, settle

ENGLISH = ("Dismiss", "Copy selected", "Focus Next", "Focus Previous", "Page Down", "Page Up", "Scroll",
           "Cursor", "Select all", "Paste", "Quit", "Search for", "No matches", "Exit the command palette")


def _classes(root: type) -> list[type]:
    found, todo = [], [root]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_textual_key_has_a_vietnamese_description() -> None:
    """No class of Textual (as loaded by the app) keeps an English key description once the words are set."""
    use_vietnamese_words()
    vietnamese = set(WORDS.values())
    for cls in _classes(DOMNode):
        for _, binding in cls._merged_bindings or ():  # type: ignore[attr-defined]
            assert isinstance(binding, Binding)
            if cls.__module__.startswith("textual.") and binding.description:
                assert binding.description in vietnamese, (cls.__name__, binding.description)


async def test_footer_of_an_open_choice_list_is_vietnamese(config_path: Path) -> None:
    """An open choice list says "esc Đóng danh sách" in the footer, never "Dismiss menu"."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_procedure(pilot, "khai sinh")
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#f-child_sex", Select).focus()
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(pilot)
        assert "Đóng danh sách" in text
        assert not [word for word in ENGLISH if word in text]


async def test_command_palette_lists_only_vietnamese(config_path: Path) -> None:
    """The palette on the form (an input focused) lists the screen's commands and Textual's keys in Vietnamese."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await open_procedure(pilot, "khai sinh")
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Lưu hồ sơ" in titles and "Chép đoạn đã chọn" in titles and "Sang ô sau" in titles
        assert not set(titles) & set(WORDS)
        await pilot.press("ctrl+p")
        await settle(pilot)
        text = screen_text(pilot)
        assert "Tìm lệnh…" in text and "Lưu hồ sơ" in text
        assert not [word for word in ENGLISH if word in text]
        await pilot.press(*"zzqq")
        for _ in range(200):  # the palette says so half a second after its search finds nothing
            if NO_MATCHES in screen_text(pilot):
                break
            await pilot.pause(0.05)
        assert NO_MATCHES in screen_text(pilot)
