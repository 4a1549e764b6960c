"""Diacritic-free folding so that "ket hon" finds "Đăng ký kết hôn"."""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def strip_marks(text: str) -> str:
    """`text` without Vietnamese diacritics and the đ stroke, case kept ("Đã nhận" → "Da nhan")."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics and the đ stroke."""
    return " ".join(strip_marks(text).lower().split())


def matches(query: str, text: str) -> bool:
    """True when every folded word of `query` occurs in folded `text`."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())
