"""Real addresses for demo citizens: today's units, written old-style on cards issued before July 2025."""

from __future__ import annotations

import random
from datetime import date
from functools import cache

from counter.addresses import table

REFORM = date(2025, 7, 1)
HAMLETS = ("Xóm 1", "Xóm 3", "Thôn Đông", "Thôn Trung", "Thôn Hạ", "Tổ 5", "Xóm Bến", "Thôn Lạc Thiện", "Khu 6")
STREETS = ("Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt")


@cache
def _sources() -> dict[int, tuple[int, ...]]:
    """Current ward code → the legacy wards that went (wholly or partly) into it."""
    found: dict[int, list[int]] = {}
    for legacy_code, went in table.legacy().to_current.items():
        for code in went:
            found.setdefault(code, []).append(legacy_code)
    return {code: tuple(sorted(codes)) for code, codes in found.items()}


@cache
def _by_province() -> dict[int, tuple[int, ...]]:
    """Current ward codes of each province."""
    found: dict[int, list[int]] = {}
    for ward in table.current().wards.values():
        found.setdefault(ward.parent, []).append(ward.code)
    return {province: tuple(codes) for province, codes in found.items()}


def _ward(rng: random.Random, home: int) -> int:
    """Mostly the unit's own ward (70 %), else another of its province (20 %), else another province."""
    wards = table.current().wards
    provinces = _by_province()
    if home not in wards:
        return rng.choice(rng.choice(list(provinces.values())))
    draw = rng.random()
    if draw < 0.7:
        return home
    province = wards[home].parent
    if draw < 0.9:
        return rng.choice(provinces[province])
    return rng.choice(provinces[rng.choice([p for p in provinces if p != province])])


def sample_address(rng: random.Random, issued: date, home: int = 0) -> str:
    """An address as a card issued on `issued` carries it: three levels before the reform, two after."""
    detail = rng.choice(HAMLETS) if rng.random() < 0.7 else f"Số {rng.randint(1, 199)} {rng.choice(STREETS)}"
    code = _ward(rng, home)
    new = table.current()
    sources = _sources().get(code, ())
    if issued >= REFORM or not sources:
        ward = new.wards[code]
        return f"{detail}, {ward.name}, {new.provinces[ward.parent]}"
    old = table.legacy()
    legacy_ward = old.wards[rng.choice(sources)]
    district = old.districts[legacy_ward.parent]
    return f"{detail}, {legacy_ward.name}, {district.name}, {old.provinces[district.parent]}"
