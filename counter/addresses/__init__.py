"""Addresses in today's two-level format, resolved offline against the national unit table.

`normalize(text)` splits an address into its detail and units and resolves it to today's ward and
province (`exact`, `ambiguous` with every candidate, or `unknown`); `search(words)` finds current
wards for the clerk's picker; `unit(code)` names a current ward. Codes are the dataset's integers.
"""

from counter.addresses.model import AMBIGUOUS, EXACT, STATUSES, UNKNOWN, LegacyUnits, Resolution, Unit, format_address
from counter.addresses.resolve import normalize
from counter.addresses.search import search
from counter.addresses.table import data_version, warm


def unit(ward_code: int) -> Unit | None:
    """Today's ward with this code and its province, or None when the table has no such ward."""
    from counter.addresses import table

    new = table.current()
    ward = new.wards.get(ward_code)
    if ward is None:
        return None
    return Unit(ward.name, ward.code, new.provinces[ward.parent], ward.parent)


def council_name(unit_: Unit) -> str:
    """The people's committee of a ward as receipts name it: "UBND xã Lâm Thao", "UBND phường Bàn Cờ"."""
    kind, _, name = unit_.ward.partition(" ")
    if unit_.ward.startswith("Đặc khu "):
        return f"UBND đặc khu {unit_.ward.removeprefix('Đặc khu ')}"
    return f"UBND {kind.lower()} {name}"


__all__ = ["AMBIGUOUS", "EXACT", "STATUSES", "UNKNOWN", "LegacyUnits", "Resolution", "Unit", "council_name",
           "data_version", "format_address", "normalize", "search", "unit", "warm"]
