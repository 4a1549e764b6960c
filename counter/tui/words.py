"""Textual's own key descriptions in Vietnamese, so the footer and the command palette never show English.

Textual's widgets declare their keys with English descriptions ("esc Dismiss menu", "Copy selected text",
"Focus Next", "Page Down"). `use_vietnamese_words` rewrites them once, before the app is built: in the
BINDINGS of every Textual class, and in the merged bindings of every class already defined from them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import ScrollableContainer
from textual.dom import DOMNode
from textual.widgets import Button, DataTable, Footer, Input, OptionList, Select, TabbedContent, TextArea

LOADED = (Button, CommandPalette, DataTable, Footer, Input, OptionList, ScrollableContainer, Select, TabbedContent,
          TextArea)
"""Textual's classes the app uses, imported here so that their keys are rewritten before any is built."""

WORDS = {
    "Bottom": "Xuống cuối", "Top": "Lên đầu", "Home": "Về đầu", "End": "Về cuối",
    "First": "Đầu tiên", "Last": "Cuối cùng", "Up": "Lên", "Down": "Xuống",
    "Copy": "Chép", "Copy selected text": "Chép đoạn đã chọn", "Cut": "Cắt", "Cut selected text": "Cắt đoạn đã chọn",
    "Paste": "Dán", "Paste text from the clipboard": "Dán từ bộ nhớ tạm", "Undo": "Hoàn tác", "Redo": "Làm lại",
    "Select": "Chọn", "Select all": "Chọn tất cả", "Select line": "Chọn dòng", "select word": "Chọn từ",
    "Select line start": "Chọn đến đầu dòng", "Select line end": "Chọn đến cuối dòng",
    "Submit": "Xác nhận", "Toggle": "Bật/tắt", "Toggle option": "Chọn/bỏ chọn", "Toggle collapsible": "Mở/thu gọn",
    "Expand or collapse all": "Mở/thu gọn tất cả",
    "Cursor Up": "Lên", "Cursor Down": "Xuống", "Cursor up": "Lên", "Cursor down": "Xuống",
    "Cursor left": "Sang trái", "Cursor right": "Sang phải",
    "Cursor up select": "Chọn lên", "Cursor down select": "Chọn xuống",
    "Cursor left select": "Chọn sang trái", "Cursor right select": "Chọn sang phải",
    "Cursor left word select": "Chọn sang trái một từ", "Cursor right word select": "Chọn sang phải một từ",
    "Cursor word left": "Sang trái một từ", "Cursor word right": "Sang phải một từ",
    "Cursor line start": "Về đầu dòng", "Cursor line end": "Về cuối dòng",
    "Cursor line start select": "Chọn đến đầu dòng", "Cursor line end select": "Chọn đến cuối dòng",
    "Cursor page up": "Lên một trang", "Cursor page down": "Xuống một trang",
    "Cursor to parent": "Lên mục cha", "Cursor to next ancestor": "Sang mục cha kế tiếp",
    "Cursor to next sibling": "Sang mục kế tiếp", "Cursor to previous sibling": "Về mục trước",
    "Move cursor left": "Sang trái", "Move cursor right": "Sang phải",
    "Move cursor left a word": "Sang trái một từ", "Move cursor right a word": "Sang phải một từ",
    "Move cursor left and select": "Chọn sang trái", "Move cursor right and select": "Chọn sang phải",
    "Move cursor left a word and select": "Chọn sang trái một từ",
    "Move cursor right a word and select": "Chọn sang phải một từ",
    "Move cursor right or accept the completion suggestion": "Sang phải hoặc nhận gợi ý",
    "Delete character left": "Xoá ký tự bên trái", "Delete character right": "Xoá ký tự bên phải",
    "Delete left to start of word": "Xoá về đầu từ", "Delete right to start of word": "Xoá đến từ kế tiếp",
    "Delete all to the left": "Xoá hết bên trái", "Delete all to the right": "Xoá hết bên phải",
    "Delete line": "Xoá dòng", "Delete to line start": "Xoá về đầu dòng", "Delete to line end": "Xoá đến cuối dòng",
    "Go to start": "Về đầu", "Go to end": "Về cuối", "Go to top": "Lên đầu", "Go to bottom": "Xuống cuối",
    "Dismiss menu": "Đóng danh sách", "Show menu": "Mở danh sách",
    "Exit the command palette": "Đóng bảng lệnh", "Next command": "Lệnh sau", "Previous command": "Lệnh trước",
    "Next page": "Trang sau", "Previous page": "Trang trước", "Next option": "Mục sau",
    "Previous option": "Mục trước", "Next tab": "Thẻ sau", "Previous tab": "Thẻ trước",
    "Focus Next": "Sang ô sau", "Focus Previous": "Về ô trước",
    "Page Up": "Lên một trang", "Page Down": "Xuống một trang", "Page up": "Lên một trang",
    "Page down": "Xuống một trang", "Page Left": "Sang trái một trang", "Page Right": "Sang phải một trang",
    "Scroll Up": "Cuộn lên", "Scroll Down": "Cuộn xuống", "Scroll Left": "Cuộn sang trái",
    "Scroll Right": "Cuộn sang phải", "Scroll Home": "Cuộn lên đầu", "Scroll End": "Cuộn xuống cuối",
    "Quit": "Thoát", "Press button": "Nhấn nút", "Open link": "Mở liên kết",
    "Spans": "Khoảng", "Variables": "Biến", "Unfocus any focused widget": "Bỏ chọn ô",
}
"""Every description Textual 8 gives its own keys, in Vietnamese."""


def _vietnamese(binding: Any) -> Any:
    """One BINDINGS entry (Binding or tuple) with its description and tooltip in Vietnamese."""
    if isinstance(binding, Binding):
        if binding.description in WORDS:
            return replace(binding, description=WORDS[binding.description], tooltip="")
        return binding
    if isinstance(binding, tuple) and len(binding) >= 3 and binding[2] in WORDS:
        return (*binding[:2], WORDS[binding[2]], *binding[3:])
    return binding


def _classes(root: type) -> list[type]:
    found, todo = [], [root]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def use_vietnamese_words() -> None:
    """Rewrite Textual's key descriptions in Vietnamese (idempotent; call before any widget is built)."""
    classes = _classes(DOMNode)
    for cls in classes:
        own = cls.__dict__.get("BINDINGS")
        if own and cls.__module__.startswith("textual."):
            cls.BINDINGS = [_vietnamese(b) for b in own]  # type: ignore[attr-defined]
    for cls in classes[1:]:
        cls._merged_bindings = cls._merge_bindings()  # type: ignore[attr-defined]
