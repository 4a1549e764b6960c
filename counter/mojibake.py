"""Repair Vietnamese text whose UTF-8 bytes were decoded with the wrong character set.

Decoders and scanners sometimes hand over UTF-8 bytes read as Latin-1/cp1252 ("Tráº§n"),
Shift-JIS ("Tr蘯ｧn", zbar's guess) or Big5. Such text is still valid Unicode, so nothing raises;
we recognise it by characters that never occur in Vietnamese ID data and re-decode the bytes.
"""

from __future__ import annotations

import unicodedata

_VIETNAMESE_LETTERS = frozenset(
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵfjwz"
)
_ALLOWED_SYMBOLS = frozenset(" |,./-–()'\"#&:;+_\n\r\t")
_WRONG_CHARSETS = ("cp1252", "latin-1", "shift_jis", "cp932", "big5", "big5hkscs")


def _is_expected(ch: str) -> bool:
    return (ch.isdigit() and ch.isascii()) or ch.lower() in _VIETNAMESE_LETTERS or ch in _ALLOWED_SYMBOLS


def suspicious_count(text: str) -> int:
    """How many characters of `text` are unlikely in Vietnamese ID data."""
    return sum(1 for ch in text if not _is_expected(ch))


def repair(text: str) -> str:
    """Return `text` re-decoded as UTF-8 when that yields clean Vietnamese; else `text` unchanged."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii() or suspicious_count(text) == 0:
        return text
    for charset in _WRONG_CHARSETS:
        try:
            candidate = unicodedata.normalize("NFC", text.encode(charset).decode("utf-8"))
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if suspicious_count(candidate) == 0:
            return candidate
    return text
