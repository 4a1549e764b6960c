"""Structured address values of a dossier: detail, today's ward and province, the printed line, the card's text.

Stored under `addresses` (field id → value) in `received` and `field_corrected` event payloads; a
dossier whose events have none (stored before addresses were structured) simply has no structure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter.addresses.model import EXACT, Resolution, Unit, format_address

RESOLVED = "resolved"
"""Today's ward and province are known (found exactly, or chosen by the clerk)."""
UNRESOLVED = "unresolved"
"""Not settled yet: the card's (or typed) text is printed as it is until a clerk settles it."""
CARD_TEXT = "card_text"
"""The clerk explicitly kept the card's text (no current unit recorded)."""
STATES = (RESOLVED, UNRESOLVED, CARD_TEXT)


@dataclass(frozen=True)
class AddressValue:
    """One address field as stored: what is printed, what it came from, and today's codes when known."""

    state: str
    text: str
    original: str
    detail: str = ""
    ward_code: int | None = None
    province_code: int | None = None
    legacy_ward_code: int | None = None
    data_version: str = ""

    def to_json(self) -> dict[str, Any]:
        """The object kept in event payloads (sync/PROTOCOL.md, "Structured addresses")."""
        return {"state": self.state, "text": self.text, "original": self.original, "detail": self.detail,
                "ward_code": self.ward_code, "province_code": self.province_code,
                "legacy_ward_code": self.legacy_ward_code, "data_version": self.data_version}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> AddressValue:
        """Read a stored value, tolerating keys a later version may add."""
        return cls(state=str(raw.get("state", UNRESOLVED)), text=str(raw.get("text", "")),
                   original=str(raw.get("original", "")), detail=str(raw.get("detail", "")),
                   ward_code=raw.get("ward_code"), province_code=raw.get("province_code"),
                   legacy_ward_code=raw.get("legacy_ward_code"), data_version=str(raw.get("data_version", "")))

    @property
    def settled(self) -> bool:
        """True once the address needs no more attention (resolved or explicitly kept as on the card)."""
        return self.state in (RESOLVED, CARD_TEXT)


def from_resolution(result: Resolution) -> AddressValue:
    """Exact: today's formatted line with its codes; otherwise the text as given, unresolved."""
    if result.status == EXACT and result.current is not None:
        return resolved(result, result.current)
    return AddressValue(UNRESOLVED, result.input, result.input, result.detail, None, None,
                        result.legacy.ward_code if result.legacy else None, result.data_version)


def resolved(result: Resolution, unit: Unit) -> AddressValue:
    """The address settled on `unit` (found exactly or chosen by the clerk among candidates or in the picker)."""
    return AddressValue(RESOLVED, format_address(result.detail, unit), result.input, result.detail, unit.ward_code,
                        unit.province_code, result.legacy.ward_code if result.legacy else None, result.data_version)


def kept_as_card(original: str, data_version: str) -> AddressValue:
    """The clerk keeps the card's text: printed as it is, recorded as such."""
    text = " ".join(original.split())
    return AddressValue(CARD_TEXT, text, text, data_version=data_version)
