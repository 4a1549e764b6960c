"""Diacritic-free folding so that "ket hon" finds "Đăng ký kết hôn"."""

import unicodedata

_D_MAP = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str) -> str:
    """Lower-case `text` and strip Vietnamese diacritics and the đ stroke."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def matches(query: str, text: str) -> bool:
    """True when every folded word of `query` occurs in folded `text`."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split())
