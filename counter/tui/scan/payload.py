"""What a finished burst or paste is: an ID payload, a receipt's dossier code, or plain typing."""

from __future__ import annotations

import re

from counter.citizens.identity import clean, looks_complete

_DOSSIER_CODE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}-\d{6}-\d{4}$")
_ID_LIKE = re.compile(r"^\d{9,12}\|")
_ID_START = re.compile(r"^\d{9,13}\|")
FIELDS_OF_A_BROKEN_SCAN = 6
"""Fields a burst needs, beginning with an ID number, to be a card scan that parse() then refuses with a reason."""


def is_dossier_code(text: str) -> bool:
    """True for an official dossier code `<unit>-YYMMDD-XXXX` (what a receipt QR holds)."""
    return bool(_DOSSIER_CODE.match(text.strip()))


def burst_is_scan(text: str, ended_by_terminator: bool) -> bool:
    """True when a fast burst of keys was a scanner, not the clerk typing.

    Judged by the burst's shape, never its length or speed alone: a complete card payload or receipt
    code is a scan; so is a burst that begins with an ID number and a "|" and has a card's field count
    (or at least three fields and the scanner's Enter/Tab), so that a damaged card is refused with a
    reason. Anything else (a fast typist, a long name or address) is typing for the focused field.
    """
    payload = clean(text)
    if looks_complete(payload) or is_dossier_code(payload):
        return True
    if not _ID_START.match(payload):
        return False
    fields = payload.count("|") + 1
    return fields >= FIELDS_OF_A_BROKEN_SCAN or (ended_by_terminator and fields >= 3)


def paste_is_scan(text: str) -> bool:
    """True when pasted text is a scan payload (a paste of an address or a name is not)."""
    payload = clean(text)
    return looks_complete(payload) or is_dossier_code(payload) or bool(_ID_LIKE.match(payload))


def might_continue(text: str) -> bool:
    """True when a complete-looking payload may still grow (a 2021 card's 7 fields, before 2024's 11)."""
    payload = text.strip()
    return looks_complete(payload) and payload.count("|") < 10 and "/" not in payload.split("|")[2]


def settle_delay(text: str, max_interval: float, gap: float, floor: float) -> float:
    """How long to wait after the last key before judging the burst.

    A complete payload that cannot grow is judged at once (`floor`); one that may still grow waits a
    few of the burst's own key intervals; anything else waits the full typing gap. Runs on every key,
    so it looks at the raw text (the BOM and surrounding blanks aside) without mojibake repair.
    """
    payload = text.replace("\ufeff", "").strip()
    if not looks_complete(payload) and not is_dossier_code(payload):
        return gap
    if might_continue(payload):
        return min(gap, max(floor, 4 * max_interval))
    return floor
