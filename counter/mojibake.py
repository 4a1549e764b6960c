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
    """Return `text` re-decoded as UTF-8 when that clearly removes mojibake; else `text` unchanged."""
    text = unicodedata.normalize("NFC", text)
    best, best_score = text, suspicious_count(text)
    if best_score == 0 or text.isascii():
        return text
    for charset in _WRONG_CHARSETS:
        try:
            candidate = unicodedata.normalize("NFC", text.encode(charset).decode("utf-8"))
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        score = suspicious_count(candidate)
        if score < best_score:
            best, best_score = candidate, score
        if score == 0:
            break
    return best
