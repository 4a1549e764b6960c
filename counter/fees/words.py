"""Amounts of money in figures ("14.000 đ") and in Vietnamese words ("Mười bốn nghìn đồng")."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu")
BILLION = 1_000_000_000
METHOD_LABELS = {"cash": "Tiền mặt", "transfer": "Chuyển khoản"}
"""How a fee was paid, as the clerk, the receipt and the history name it."""


def figures(amount: int) -> str:
    """An amount in đồng with dots between thousands, e.g. 14000 → "14.000 đ"."""
    return f"{amount:,}".replace(",", ".") + " đ"


def _triple(number: int, leading: bool) -> list[str]:
    """Words of 0–999; a group that is not the leading one says its empty hundreds and tens."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1 and tens >= 2:
        words.append("mốt")
    elif units == 5 and tens >= 1:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _below_billion(number: int, leading: bool) -> list[str]:
    """Words of 0–999,999,999 by groups of three; empty groups are left out."""
    groups = [number // 1_000_000, number // 1000 % 1000, number % 1000]
    words: list[str] = []
    for group, scale in zip(groups, reversed(SCALES), strict=True):
        if group:
            words += _triple(group, leading and not words)
            if scale:
                words.append(scale)
    return words


def _spoken(number: int, leading: bool = True) -> list[str]:
    """Words of any non-negative whole number ("tỷ" repeats for the billions of billions)."""
    billions, rest = divmod(number, BILLION)
    words = [*_spoken(billions, leading), "tỷ"] if billions else []
    return words + (_below_billion(rest, leading and not words) if rest else [])


def in_words(amount: int) -> str:
    """An amount in đồng in Vietnamese words, capitalised, e.g. 14000 → "Mười bốn nghìn đồng"."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    text = " ".join(_spoken(amount)) if amount else DIGITS[0]
    return f"{text[0].upper()}{text[1:]} đồng"
