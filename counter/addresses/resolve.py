"""Resolve a free-text address to today's ward and province; ask (ambiguous) rather than guess.

The text is cut into segments and read from the right: the province, then either today's ward
(two levels) or a legacy district and ward (three levels). Every reading that fits is kept; the
answer is `exact` only when all of them lead to one current ward.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from counter.addresses import table
from counter.addresses.model import AMBIGUOUS, EXACT, UNKNOWN, LegacyUnits, Resolution, Unit
from counter.addresses.table import Entry
from counter.addresses.text import CITY, DISTRICT, PROVINCE, WARD, Reading, has_diacritics, readings, split_segments


@dataclass(frozen=True)
class _Segment:
    """One segment of the text with its possible readings."""

    text: str
    readings: tuple[Reading, ...]
    marked: bool


@dataclass(frozen=True)
class _Fit:
    """One way the text fits the table: the legacy ward (if any), the current wards, where the detail ends."""

    legacy: Entry | None
    codes: tuple[int, ...]
    detail_end: int


def _match(segment: _Segment, index: dict[tuple[int, str], list[Entry]], parents: Iterable[int],
           kinds: tuple[str, ...], strict_type: bool = False) -> list[Entry]:
    """Entries under `parents` named like the segment. Written diacritics must match (other tones are another
    name); a written type word decides between twins, and with `strict_type` a unit of another type is another
    unit (today's wards: "Xã Quảng Phú" is not "Phường Quảng Phú")."""
    found: dict[int, Entry] = {}
    parents = tuple(parents)
    for reading in segment.readings:
        if reading.kind not in kinds:
            continue
        entries = [e for parent in parents for e in index.get((parent, reading.key), ())]
        if reading.type_word:
            typed = [e for e in entries if e.type_word == reading.type_word]
            entries = typed if typed or strict_type else entries
        if segment.marked:
            entries = [e for e in entries if e.spelled == reading.spelled]
        for entry in entries:
            found.setdefault(entry.code, entry)
    return list(found.values())


def _provinces(segment: _Segment) -> tuple[set[int], set[int]]:
    """Legacy and current province codes the last segment names."""
    old, new = table.legacy(), table.current()
    legacy_codes: set[int] = set()
    current_codes: set[int] = set()
    for reading in segment.readings:
        if reading.kind not in ("", PROVINCE, CITY):
            continue
        if reading.key in old.province_keys:
            code = old.province_keys[reading.key]
            legacy_codes.add(code)
            current_codes.update(old.province_to_current.get(code, ()))
        if reading.key in new.province_keys:
            current_codes.add(new.province_keys[reading.key])
    return legacy_codes, current_codes


def _unit(code: int) -> Unit:
    new = table.current()
    ward = new.wards[code]
    return Unit(ward.name, code, new.provinces[ward.parent], ward.parent)


def _legacy_units(ward: Entry) -> LegacyUnits:
    old = table.legacy()
    district = old.districts[ward.parent]
    return LegacyUnits(ward.name, ward.code, district.name, district.code, old.provinces[district.parent],
                       district.parent)


def _fits(segments: list[_Segment], legacy_codes: set[int], current_codes: set[int]) -> tuple[list[_Fit], list[_Fit]]:
    """Every reading that names a ward: today's ward; a legacy ward under a legacy district; when no ward of
    today has the written name (and type word), a legacy ward written with today's province and no district,
    searched in every legacy province merged into it. As a fallback, legacy districts named without their ward.

    A text that names today's ward in today's two-level format is read as that ward: since the reform that is
    what the format means, even where a legacy ward of the same name went elsewhere.
    """
    old, new = table.legacy(), table.current()
    n = len(segments)
    fits: list[_Fit] = []
    district_only: list[_Fit] = []
    if n < 2:
        return fits, district_only
    near = segments[n - 2]
    today = [_Fit(None, (e.code,), n - 2) for e in _match(near, new.by_name, current_codes, ("", WARD), True)]
    fits += today
    merged = legacy_codes | {code for code, went in old.province_to_current.items() if set(went) & current_codes}
    districts = (_match(near, old.districts_by_name, legacy_codes, ("", DISTRICT, CITY))
                 or _match(near, old.districts_by_name, merged - legacy_codes, ("", DISTRICT, CITY)))
    if districts and n >= 3:
        wards = _match(segments[n - 3], old.wards_by_name, (d.code for d in districts), ("", WARD))
        fits += [_Fit(w, old.to_current.get(w.code, ()), n - 3) for w in wards]
    if districts and not any(f.legacy for f in fits):
        codes = tuple(sorted({c for d in districts for c in old.district_to_current.get(d.code, ())}))
        district_only.append(_Fit(None, codes, n - 2))
    if not today:
        wards = _match(near, old.wards_by_province, merged, ("", WARD), True)
        fits += [_Fit(w, old.to_current.get(w.code, ()), n - 2) for w in wards]
    return fits, district_only


def _detail_guess(segments: list[_Segment]) -> str:
    """For an unknown address: the segments before the first one that starts with a unit word (all if none)."""
    end = next((i for i, s in enumerate(segments) if any(r.kind for r in s.readings)), len(segments))
    return ", ".join(s.text for s in segments[:end])


def normalize(text: str) -> Resolution:
    """Resolve one address; `exact` only when every reading of the text leads to the same current ward."""
    original = " ".join(text.split())
    version = table.data_version()
    segments = [_Segment(s, readings(s), has_diacritics(s)) for s in split_segments(text)]
    unknown = Resolution(original, _detail_guess(segments) if segments else original, UNKNOWN, None, None, (),
                         version)
    if len(segments) < 2:
        return unknown
    legacy_codes, current_codes = _provinces(segments[-1])
    if not legacy_codes and not current_codes:
        return unknown
    fits, district_only = _fits(segments, legacy_codes, current_codes)
    fits += district_only
    if not fits:
        return unknown
    codes = sorted({c for f in fits for c in f.codes})
    legacies = {f.legacy.code: f.legacy for f in fits if f.legacy is not None}
    legacy = _legacy_units(next(iter(legacies.values()))) if len(legacies) == 1 else None
    detail = ", ".join(s.text for s in segments[:min(f.detail_end for f in fits)])
    if not codes:
        return unknown
    if len(codes) == 1 and all(f.codes for f in fits):
        return Resolution(original, detail, EXACT, legacy, _unit(codes[0]), (), version)
    return Resolution(original, detail, AMBIGUOUS, legacy, None, tuple(_unit(c) for c in codes), version)
