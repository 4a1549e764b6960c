"""Text is text: what enters the counter holds no control characters (C0, DEL, C1; a line break only in fields
meant for several lines), no invisible format characters, no digits of other scripts and no unpaired
surrogates, and stored text printed to a terminal is escaped, so nothing scanned, typed, pulled or read from
a file can drive the terminal (`\\x1b]0;…\\x07`, `\\x1b[2J`) or hide in a name."""

from __future__ import annotations

import re

from counter.errors import CounterError

_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_MULTI_LINE = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
_TERMINAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]|\r(?!\n)")
_JSON = re.compile(r"[\x7f-\x9f\ud800-\udfff]")
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]")
"""Format characters (Unicode Cf): zero-width spaces, byte-order marks, soft hyphens and the bidirectional
controls that make a name read backwards ("U+202E"); none belongs in a Vietnamese text."""
_FOREIGN_DIGIT = re.compile(r"(?![0-9])\d")
"""A decimal digit of another script (Arabic-Indic ١٢, fullwidth １２…): int() reads it, a clerk cannot."""


def unseen_problem(value: str) -> str | None:
    """An invisible format character or a digit outside 0–9 in `value` (a Vietnamese phrase), or None."""
    found = _INVISIBLE.search(value)
    if found is not None:
        return f"có ký tự vô hình U+{ord(found.group()):04X} (không phải chữ)"
    found = _FOREIGN_DIGIT.search(value)
    if found is not None:
        return f"có chữ số ngoài 0–9 (U+{ord(found.group()):04X})"
    return None


class TextRefused(CounterError):
    """A text holds a control character or a broken (unpaired surrogate) character."""

    title = "Dữ liệu không hợp lệ"


def text_problem(value: str, multiline: bool = False) -> str | None:
    """What is wrong with `value` as plain text (a Vietnamese phrase, no field name), or None."""
    found = (_MULTI_LINE if multiline else _ONE_LINE).search(value)
    if found is None:
        return unseen_problem(value)
    code = ord(found.group()[0])
    if 0xD800 <= code <= 0xDFFF:
        return f"có ký tự hỏng (nửa cặp thay thế U+{code:04X}, thường do sai bảng mã)"
    if code == 0x0A or (code == 0x0D and not multiline):
        return "có ký tự xuống dòng (trường này chỉ nhận một dòng)"
    return f"có ký tự điều khiển U+{code:04X} (không phải chữ)"


def check_text(value: str, field: str, multiline: bool = False) -> str:
    """`value` unchanged when it is plain text; otherwise TextRefused with one sentence naming `field`."""
    problem = text_problem(value, multiline)
    if problem is not None:
        raise TextRefused(f"{field}: {problem}; chỉ nhận chữ, số và dấu câu.")
    return value


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group()[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """`text` with every control character (but line breaks and tabs) and broken character made visible
    as `\\x1b` / `\\udc80`, for printing stored text that may predate the checks."""
    return _TERMINAL.sub(_visible, text)


def json_safe(document: str) -> str:
    """A JSON document (from json.dumps with ensure_ascii=False) with DEL, C1 and surrogates escaped as
    `\\u0085`: still the same JSON, and harmless on a terminal (json already escapes C0)."""
    return _JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
