"""Addresses in today's two-level format, resolved offline against the national unit table.

`normalize(text)` splits an address into its detail and units and resolves it to today's ward and
province (`exact`, `ambiguous` with every candidate, or `unknown`); `search(words)` finds current
wards for the clerk's picker; `unit(code)` names a current ward. Codes are the dataset's integers.
The resolver and the search load on first use, so a command that only names its unit starts fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter.addresses.model import AMBIGUOUS, EXACT, STATUSES, UNKNOWN, LegacyUnits, Resolution, Unit, format_address
from counter.addresses.table import data_version, warm

if TYPE_CHECKING:
    from counter.addresses.resolve import normalize
    from counter.addresses.search import search

_LAZY = {"normalize": "counter.addresses.resolve", "search": "counter.addresses.search"}


def __getattr__(name: str) -> Any:
    """`normalize` and `search` are imported when first asked for (their modules compile the matchers)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def unit(ward_code: int) -> Unit | None:
    """Today's ward with this code and its province, or None when the table has no such ward."""
    from counter.addresses import table

    names = table.ward_names(ward_code)
    if names is None:
        return None
    ward, province_code, province = names
    return Unit(ward, ward_code, province, province_code)


def council_name(unit_: Unit) -> str:
    """The people's committee of a ward as receipts name it: "UBND xã Lâm Thao", "UBND phường Bàn Cờ"."""
    kind, _, name = unit_.ward.partition(" ")
    if unit_.ward.startswith("Đặc khu "):
        return f"UBND đặc khu {unit_.ward.removeprefix('Đặc khu ')}"
    return f"UBND {kind.lower()} {name}"


__all__ = ["AMBIGUOUS", "EXACT", "STATUSES", "UNKNOWN", "LegacyUnits", "Resolution", "Unit", "council_name",
           "data_version", "format_address", "normalize", "search", "unit", "warm"]
