"""The national unit table (vietnam-provinces) as lookup indexes, built once and only when first needed.

Today's 34 provinces and 3,321 wards come from the package's JSON file (fast); the legacy three-level
table and the legacy → current mapping are Python modules that take about a second to import, so they
load on the first address that needs them (the app warms them in a worker thread after its first frame).
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from counter.addresses.text import bare_number, fold, tone_key

PACKAGE = "vietnam-provinces"
CENTRAL_CITIES = frozenset({1, 31, 46, 48, 79, 92})
"""Centrally-run cities after Resolution 202/2025/QH15; every other province is a "tỉnh"."""

_TYPE_PREFIXES = ("Thành phố ", "Thị trấn ", "Thị xã ", "Đặc khu ", "Phường ", "Huyện ", "Quận ", "Tỉnh ", "Xã ")
_PROVINCE_ALIASES = {
    "hcm": 79, "tp hcm": 79, "tphcm": 79, "hochiminh": 79, "sai gon": 79, "saigon": 79, "sg": 79,
    "hn": 1, "hanoi": 1, "thua thien hue": 46, "tt hue": 46, "brvt": 77, "hp": 31,
}
"""Everyday short names, as legacy province codes (the legacy codes of these six equal today's)."""


def split_type(name: str) -> tuple[str, str]:
    """("xã", "Lâm Thao") from "Xã Lâm Thao"."""
    for prefix in _TYPE_PREFIXES:
        if name.lower().startswith(prefix.lower()):
            return prefix.strip().lower(), name[len(prefix):]
    return "", name


@dataclass(frozen=True)
class Entry:
    """One unit of the table with what matching needs: code, full name, type word, spelled key."""

    code: int
    name: str
    type_word: str
    spelled: str
    parent: int


@cache
def data_version() -> str:
    """The dataset's version recorded with every normalised address."""
    import importlib.metadata  # email, zipfile and more: only when an address is written

    return f"{PACKAGE} {importlib.metadata.version(PACKAGE)}"


def _entry(code: int, name: str, parent: int) -> tuple[str, Entry]:
    type_word, bare = split_type(name)
    return bare_number(fold(bare)), Entry(code, name, type_word, tone_key(bare), parent)


def province_name(code: int, package_name: str) -> str:
    """Today's province name as printed: "Thành phố" only for the six centrally-run cities."""
    bare = split_type(package_name)[1]
    return f"Thành phố {bare}" if code in CENTRAL_CITIES else f"Tỉnh {bare}"


@dataclass
class CurrentTable:
    """Today's provinces and wards with a (province, folded name) index."""

    provinces: dict[int, str]
    wards: dict[int, Entry]
    by_name: dict[tuple[int, str], list[Entry]]
    province_keys: dict[str, int]


@dataclass
class LegacyTable:
    """Before July 2025: provinces, districts, wards, and where each legacy ward went."""

    provinces: dict[int, str]
    districts: dict[int, Entry]
    wards: dict[int, Entry]
    to_current: dict[int, tuple[int, ...]]
    province_to_current: dict[int, tuple[int, ...]]
    districts_by_name: dict[tuple[int, str], list[Entry]] = field(default_factory=dict)
    wards_by_name: dict[tuple[int, str], list[Entry]] = field(default_factory=dict)
    wards_by_province: dict[tuple[int, str], list[Entry]] = field(default_factory=dict)
    district_to_current: dict[int, tuple[int, ...]] = field(default_factory=dict)
    province_keys: dict[str, int] = field(default_factory=dict)


_lock = threading.Lock()
_current: CurrentTable | None = None
_legacy: LegacyTable | None = None


def _json_path() -> Path:
    spec = importlib.util.find_spec("vietnam_provinces")
    assert spec is not None and spec.submodule_search_locations, "vietnam-provinces is a dependency"
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "nested-divisions.json"


def current() -> CurrentTable:
    """Today's table (loaded from the package's JSON on first use, about 50 ms)."""
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = _load_current()
    return _current


def _raw_current() -> list[dict[str, Any]]:
    """The package's JSON of today's provinces and wards (about 30 ms to parse; no search keys)."""
    raw: list[dict[str, Any]] = json.loads(_json_path().read_text(encoding="utf-8"))
    return raw


def ward_names(ward_code: int) -> tuple[str, int, str] | None:
    """(ward name, province code, province name) of today's ward, without building the search indexes.

    Configuration names its unit on every command; building the indexes for that cost half a second.
    """
    if _current is not None:
        ward = _current.wards.get(ward_code)
        return None if ward is None else (ward.name, ward.parent, _current.provinces[ward.parent])
    for province in _raw_current():
        for ward in province["wards"]:
            if int(ward["code"]) == ward_code:
                code = int(province["code"])
                return ward["name"].replace("’", "'"), code, province_name(code, province["name"])
    return None


def _load_current() -> CurrentTable:
    raw = _raw_current()
    provinces: dict[int, str] = {}
    wards: dict[int, Entry] = {}
    by_name: dict[tuple[int, str], list[Entry]] = defaultdict(list)
    keys: dict[str, int] = {}
    for province in raw:
        code = int(province["code"])
        provinces[code] = province_name(code, province["name"])
        keys[fold(split_type(province["name"])[1])] = code
        for ward in province["wards"]:
            # The JSON writes "H’Leo" where the package's modules (and legacy names) write "H'Leo".
            key, entry = _entry(int(ward["code"]), ward["name"].replace("’", "'"), code)
            wards[entry.code] = entry
            by_name[(code, key)].append(entry)
    return CurrentTable(provinces, wards, dict(by_name), keys)


def legacy() -> LegacyTable:
    """The legacy table and the mapping (imports the package's modules on first use, about a second)."""
    global _legacy
    if _legacy is None:
        with _lock:
            if _legacy is None:
                _legacy = _load_legacy()
    return _legacy


def _load_legacy() -> LegacyTable:
    from vietnam_provinces import Province, Ward
    from vietnam_provinces import legacy as old

    provinces = {int(p.code): p.name for p in old.Province.iter_all()}
    province_to_current = {code: tuple(sorted({int(x.province.code) for x in Province.search_from_legacy(code=code)}))
                           for code in provinces}
    table = LegacyTable(provinces, {}, {}, {}, province_to_current)
    for district in old.District.iter_all():
        key, entry = _entry(int(district.code), district.name, int(district.province_code))
        table.districts[entry.code] = entry
        table.districts_by_name.setdefault((entry.parent, key), []).append(entry)
    district_current: dict[int, set[int]] = defaultdict(set)
    for ward in old.Ward.iter_all():
        key, entry = _entry(int(ward.code), ward.name, int(ward.district_code))
        table.wards[entry.code] = entry
        table.wards_by_name.setdefault((entry.parent, key), []).append(entry)
        province = table.districts[entry.parent].parent
        table.wards_by_province.setdefault((province, key), []).append(entry)
        went = tuple(sorted({int(x.ward.code) for x in Ward.search_from_legacy(code=entry.code)}))
        if went:
            table.to_current[entry.code] = went
            district_current[entry.parent].update(went)
    table.district_to_current = {code: tuple(sorted(codes)) for code, codes in district_current.items()}
    for code, name in provinces.items():
        table.province_keys[fold(split_type(name)[1])] = code
    table.province_keys.update(_PROVINCE_ALIASES)
    return table


def warm() -> None:
    """Build every index now (the app calls this in a worker thread so the first scan does not wait)."""
    current()
    legacy()
