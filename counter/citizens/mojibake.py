"""Repair Vietnamese text whose UTF-8 bytes were decoded with the wrong character set.

Decoders and scanners sometimes hand over UTF-8 bytes read as Latin-1/cp1252 ("Tráº§n"),
Shift-JIS ("Tr蘯ｧn", zbar's guess) or Big5. Such text is still valid Unicode, so nothing raises;
we recognise it by characters that never occur in Vietnamese ID data and re-decode the bytes.

cp1252 leaves five bytes undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), and UTF-8 needs them for Đ
(C4 90) and ề ọ ỏ Ố ờ (E1 BB 8x/9D). Windows keeps them as C1 control characters ("Ä\x90"), other
decoders drop them ("Ä") or put "\ufffd" in their place; all three are repaired when exactly one
Vietnamese letter fits. Text that still looks garbled afterwards is reported by `looks_garbled`
(out of reach: Á, Í or Ý whose byte was dropped, alone or in an all-capitals word, reads as "Ã").
"""

from __future__ import annotations

import re
import unicodedata

_VIETNAMESE_LETTERS = frozenset(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
VIETNAMESE_LETTERS = "".join(sorted(_VIETNAMESE_LETTERS | {c.upper() for c in _VIETNAMESE_LETTERS}))
"""Every letter of the Vietnamese alphabet (with f, j, w, z), lower and upper case."""
_ALLOWED_SYMBOLS = frozenset(" |,./-–()'\"#&:;+_\n\r\t")
_WRONG_CHARSETS = ("cp1252", "latin-1", "shift_jis", "cp932", "big5", "big5hkscs")
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_LOST = -1
"""Stands for a byte the wrong decoder replaced by U+FFFD."""
_TOKENS = re.compile(r"([ |,]+)")
_MOJIBAKE_MARKS = re.compile(
    "[\u0080-\u009f\ufffd\uff61-\uff9f\u3000-\u30ff\u4e00-\u9fff]"  # C1 controls, lost bytes, kana, CJK
    "|[ÄÅÆ]|Ã(?=[a-zà-ỹ])"  # lead bytes that are never Vietnamese, or Ã where Á/Í/Ý lost a byte
    "|[ÂÃÄÅÆÇáâãäåæçèéêëìíîï][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
"""A character no Vietnamese text holds, or a UTF-8 lead byte read as Latin-1/cp1252 before a trail byte."""


def _is_expected(ch: str) -> bool:
    return (ch.isdigit() and ch.isascii()) or ch.lower() in _VIETNAMESE_LETTERS or ch in _ALLOWED_SYMBOLS


def suspicious_count(text: str) -> int:
    """How many characters of `text` are unlikely in Vietnamese ID data."""
    return sum(1 for ch in text if not _is_expected(ch))


def looks_garbled(text: str) -> bool:
    """True when `text` still shows the marks of a wrong character set (after `repair`)."""
    return bool(_MOJIBAKE_MARKS.search(unicodedata.normalize("NFC", text)))


def repair(text: str) -> str:
    """Return `text` re-decoded as UTF-8 when that yields clean Vietnamese; else `text` unchanged."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii() or suspicious_count(text) == 0:
        return text
    whole = _redecode(text)
    if whole is not None:
        return whole
    parts = _TOKENS.split(text)
    mended = [part if suspicious_count(part) == 0 else (_redecode(part) or part) for part in parts]
    result = "".join(mended)
    return result if suspicious_count(result) < suspicious_count(text) else text


def _redecode(text: str) -> str | None:
    """`text` read back through each charset a decoder may have guessed; None if none gives Vietnamese."""
    for charset in _WRONG_CHARSETS:
        try:
            candidate = unicodedata.normalize("NFC", text.encode(charset).decode("utf-8"))
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if suspicious_count(candidate) == 0:
            return candidate
    windows = _from_windows_1252(text)
    return windows if windows is not None and suspicious_count(windows) == 0 else None


def _from_windows_1252(text: str) -> str | None:
    """Undo UTF-8 read as Windows-1252 with its undefined bytes kept, replaced or dropped."""
    units: list[int] = []
    for ch in text:
        if ch == "\ufffd":
            units.append(_LOST)
        elif ord(ch) < 0x100:
            units.append(ord(ch))
        else:
            try:
                units.append(ch.encode("cp1252")[0])
            except UnicodeEncodeError:
                return None
    return _decode_filling_gaps(units)


def _decode_filling_gaps(units: list[int]) -> str | None:
    """UTF-8 decode where a lost or missing trail byte is whichever undefined byte gives a Vietnamese letter."""
    out: list[str] = []
    i = 0
    while i < len(units):
        lead = units[i]
        i += 1
        if lead == _LOST:
            return None
        if lead < 0x80:
            out.append(chr(lead))
            continue
        need = 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 0
        if not need:
            return None
        options: list[list[int]] = [[lead]]
        for _ in range(need):
            nxt = units[i] if i < len(units) else None
            if nxt is not None and 0x80 <= nxt <= 0xBF:
                options = [[*option, nxt] for option in options]
                i += 1
                continue
            if nxt == _LOST:
                i += 1
            options = [[*option, byte] for option in options for byte in _CP1252_UNDEFINED]
        letters = {ch for ch in map(_one_char, options) if ch is not None}
        if len(options) > 1:
            letters = {ch for ch in letters if ch.lower() in _VIETNAMESE_LETTERS}
        if len(letters) != 1:
            return None
        out.append(letters.pop())
    return "".join(out)


def _one_char(option: list[int]) -> str | None:
    try:
        decoded = bytes(option).decode("utf-8")
    except UnicodeDecodeError:
        return None
    return decoded if len(decoded) == 1 else None
