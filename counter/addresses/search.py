"""Today's wards whose name matches typed words, without diacritics ("phu xuyen"): the app's picker."""

from __future__ import annotations

from counter.addresses import table
from counter.addresses.model import Unit
from counter.addresses.text import fold

_TYPE_WORDS = {"xa", "phuong", "dac", "khu", "tinh", "thanh", "pho", "tp", "thi", "tran"}


def search(query: str, limit: int = 20) -> list[Unit]:
    """Current wards matching every word (a word prefix of the ward's or its province's name), best first."""
    words = [w for w in fold(query).split() if w not in _TYPE_WORDS]
    if not words:
        return []
    new = table.current()
    whole = " ".join(words)
    ranked: list[tuple[int, int, str, Unit]] = []
    for ward in new.wards.values():
        bare = fold(table.split_type(ward.name)[1])
        name_words = bare.split()
        province_words = fold(new.provinces[ward.parent]).split()
        if not any(n.startswith(w) for w in words for n in name_words):
            continue
        if not all(any(n.startswith(w) for n in name_words + province_words) for w in words):
            continue
        rank = 0 if whole == bare else 1 if bare.startswith(whole) else 2
        unit = Unit(ward.name, ward.code, new.provinces[ward.parent], ward.parent)
        ranked.append((rank, ward.parent, bare, unit))
    ranked.sort(key=lambda item: item[:3])
    return [unit for *_, unit in ranked[:limit]]
