"""Join several one-sentence reasons into one sentence ("a; b; c."), never "Bắt buộc nhập.; …"."""

from __future__ import annotations

from collections.abc import Iterable


def clause(sentence: str) -> str:
    """A sentence as a clause inside a longer one: no closing full stop, first letter small (acronyms kept)."""
    text = sentence.strip().rstrip(".").rstrip()
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        text = text[0].lower() + text[1:]
    return text


def join_reasons(reasons: Iterable[str]) -> str:
    """Reasons as one sentence: clauses separated by "; ", one full stop at the end."""
    parts = [clause(r) for r in reasons if r.strip()]
    if not parts:
        return ""
    first = parts[0]
    return "; ".join([first[:1].upper() + first[1:], *parts[1:]]) + "."
