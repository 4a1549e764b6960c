"""The resolver never guesses, probed with the whole legacy table: every legacy ward written the common way
since the reform (its own name, today's province, no district) is answered `exact` only with a ward it became.

The one exception is the rule of today's format: a text that names a ward of today in its province ("Xã Hưng
Đạo, Tỉnh Cao Bằng", which exists today) is read as that ward, even where a legacy ward of the same name went
elsewhere; those texts are left out of the probe (tests/test_addresses.py finds every ward of today that way).
"""

from __future__ import annotations

from counter import addresses
from counter.addresses import AMBIGUOUS, EXACT, table
from counter.addresses.text import fold


def _written(legacy_ward: table.Entry, province: int, with_type: bool) -> str:
    name = legacy_ward.name if with_type else table.split_type(legacy_ward.name)[1]
    return f"{name}, {table.current().provinces[province]}"


def _today_names(with_type: bool) -> set[tuple[int, str]]:
    """(province, name) of every ward of today, with or without its type word, folded."""
    new = table.current()
    return {(w.parent, fold(w.name if with_type else table.split_type(w.name)[1])) for w in new.wards.values()}


def _probe(with_type: bool) -> tuple[int, list[str]]:
    """How many texts were tried, and those answered `exact` with a ward the legacy ward did not become."""
    old, new = table.legacy(), table.current()
    today = _today_names(with_type)
    wrong: list[str] = []
    tried = 0
    for code, went in old.to_current.items():
        ward = old.wards[code]
        for province in sorted({new.wards[c].parent for c in went}):
            if (province, fold(ward.name if with_type else table.split_type(ward.name)[1])) in today:
                continue
            text = _written(ward, province, with_type)
            tried += 1
            result = addresses.normalize(text)
            if result.status == EXACT and result.current is not None and result.current.ward_code not in went:
                wrong.append(f"{text} → {result.current.ward}")
    return tried, wrong


def test_no_legacy_ward_with_its_type_word_is_guessed() -> None:
    """"Xã Quảng Phú, Tỉnh Thanh Hóa" and every other legacy ward written that way: never a wrong `exact`."""
    tried, wrong = _probe(with_type=True)
    assert tried > 7000
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def test_no_legacy_ward_without_its_type_word_is_guessed() -> None:
    """The same names written without "Xã"/"Phường": never a wrong `exact` either."""
    tried, wrong = _probe(with_type=False)
    assert tried > 7000
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def test_the_reported_address_is_not_the_phuong_of_the_same_name() -> None:
    """"Thôn Đông, Xã Quảng Phú, Tỉnh Thanh Hóa": no Xã Quảng Phú exists today in Thanh Hóa, so the answer is
    where the legacy Xã Quảng Phú went, never today's Phường Quảng Phú (a different place)."""
    result = addresses.normalize("Thôn Đông, Xã Quảng Phú, Tỉnh Thanh Hóa")
    old, new = table.legacy(), table.current()
    went = {c for code, w in old.wards.items() if w.name == "Xã Quảng Phú"
            and old.districts[w.parent].parent == 38 for c in old.to_current.get(code, ())}
    assert went
    answered = {result.current.ward_code} if result.current else {u.ward_code for u in result.candidates}
    assert result.status in (EXACT, AMBIGUOUS) and answered >= went, result
    assert all(new.wards[c].name != "Phường Quảng Phú" for c in answered)
    assert result.detail == "Thôn Đông"
