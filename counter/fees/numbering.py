"""Fee receipt numbers: per counter and calendar year, restarting on 1 January, at most 8 digits.

Each counter draws from its own block, derived from its block of the daily dossier sequence
([counter] sequence_first–sequence_last, 1–9999): numbers (first − 1) × 10 000 + 1 to last × 10 000.
Blocks of a unit never overlap, so counters working offline never issue the same number, and the hub
can check a number against the block the counter enrolled with.
"""

from __future__ import annotations

from counter.errors import CounterError

PER_SEQUENCE = 10_000
MAX_RECEIPT = 99_990_000
"""The largest number (sequence 9999): eight digits."""


class ReceiptsExhausted(CounterError):
    """The counter has used every fee receipt number of its block this year."""

    title = "Hết số biên lai"


def receipt_block(sequence_first: int, sequence_last: int) -> tuple[int, int]:
    """The first and last fee receipt number of a counter with this dossier sequence block."""
    return (sequence_first - 1) * PER_SEQUENCE + 1, sequence_last * PER_SEQUENCE


def in_block(number: int, sequence_first: int, sequence_last: int) -> bool:
    """Whether a fee receipt number belongs to the counter with this sequence block."""
    low, high = receipt_block(sequence_first, sequence_last)
    return low <= number <= high


def next_receipt(highest: int | None, sequence_first: int, sequence_last: int, year: int) -> int:
    """The number after `highest` (this counter's largest this year, None for the first), or ReceiptsExhausted."""
    low, high = receipt_block(sequence_first, sequence_last)
    number = low if highest is None or highest < low else highest + 1
    if number > high:
        raise ReceiptsExhausted(f"Quầy đã dùng hết số biên lai {low:08d}–{high:08d} của năm {year}.")
    return number


def receipt_label(number: int, year: int) -> str:
    """A fee receipt number as printed: eight digits and the year, e.g. "00000012/2026"."""
    return f"{number:08d}/{year}"
