"""Addresses resolved against the whole national table: every legacy ward, every split, every current ward."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vietnam_provinces import Province, Ward
from vietnam_provinces import legacy as old

from counter import addresses
from counter.addresses.text import fold

LEGACY_WARDS = sorted(old.Ward.iter_all(), key=lambda w: int(w.code))
DISTRICTS = {int(d.code): d for d in old.District.iter_all()}
OLD_PROVINCES = {int(p.code): p for p in old.Province.iter_all()}
CURRENT_WARDS = sorted(Ward.iter_all(), key=lambda w: int(w.code))


def went_to(code: int) -> set[int]:
    """Current ward codes a legacy ward went to, straight from the package's public API."""
    return {int(x.ward.code) for x in Ward.search_from_legacy(code=code)}


def legacy_text(ward: old.Ward) -> str:
    """The full three-level text a pre-2025 card carries."""
    district = DISTRICTS[int(ward.district_code)]
    return f"Thôn 1, {ward.name}, {district.name}, {OLD_PROVINCES[int(district.province_code)].name}"


FULL_TEXT_COUNT = Counter(legacy_text(w) for w in LEGACY_WARDS)
SINGLE = [w for w in LEGACY_WARDS if len(went_to(int(w.code))) == 1 and FULL_TEXT_COUNT[legacy_text(w)] == 1]
SPLIT = [w for w in LEGACY_WARDS if len(went_to(int(w.code))) > 1]


def test_the_dataset_is_the_one_the_notes_describe() -> None:
    """10,051 legacy wards, 3,321 current ones, 440 truly split; the JSON we index agrees with the modules."""
    assert len(LEGACY_WARDS) == 10051 and len(CURRENT_WARDS) == 3321
    assert len(SPLIT) == 440 and len(SINGLE) > 9570  # 441 entries list two or more; one lists the same ward twice
    for ward in CURRENT_WARDS:
        unit = addresses.unit(int(ward.code))
        assert unit is not None and unit.ward == ward.name and unit.province_code == int(ward.province_code)


def test_every_legacy_ward_with_one_successor_is_found_from_its_full_text() -> None:
    """All ~9,600 of them: exact, the right current ward, the right legacy ward."""
    wrong = []
    for ward in SINGLE:
        result = addresses.normalize(legacy_text(ward))
        (expected,) = went_to(int(ward.code))
        if not (result.status == addresses.EXACT and result.current and result.current.ward_code == expected
                and result.legacy and result.legacy.ward_code == int(ward.code) and result.detail == "Thôn 1"):
            wrong.append((legacy_text(ward), result.status, result.current))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def test_every_split_ward_is_ambiguous_with_exactly_its_candidates() -> None:
    """A ward divided between several current ones is never guessed."""
    wrong = []
    for ward in SPLIT:
        result = addresses.normalize(legacy_text(ward))
        codes = {c.ward_code for c in result.candidates}
        if result.status != addresses.AMBIGUOUS or codes != went_to(int(ward.code)) or result.formatted:
            wrong.append((legacy_text(ward), result.status, codes))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def test_every_current_ward_is_found_from_a_two_level_address() -> None:
    """Today's format: detail, ward, province; legacy is None."""
    wrong = []
    for ward in CURRENT_WARDS:
        province = Province.from_code(ward.province_code)
        text = f"Số 7, {ward.name}, {province.name}"
        result = addresses.normalize(text)
        if not (result.status == addresses.EXACT and result.current and result.current.ward_code == int(ward.code)
                and result.legacy is None and result.formatted.startswith(f"Số 7, {ward.name}, ")):
            wrong.append((text, result.status))
    assert not wrong, f"{len(wrong)} wrong, e.g. {wrong[:5]}"


def test_the_issue_example_and_everyday_forms() -> None:
    """The card from the issue, big-city short names, numbered wards, extra spaces and commas."""
    result = addresses.normalize("Khu 6, Thị trấn Hùng Sơn, Huyện Lâm Thao, Tỉnh Phú Thọ")
    assert result.formatted == "Khu 6, Xã Lâm Thao, Tỉnh Phú Thọ"
    assert result.legacy is not None and result.legacy.ward_code == 8498 and result.current is not None
    assert (result.current.ward_code, result.current.province_code) == (8494, 25)
    assert result.data_version.startswith("vietnam-provinces ")
    same = [
        "khu 6 ,  tt. hung son,,  h. lam thao , phu tho",
        "Khu 6 Thị trấn Hùng Sơn Huyện Lâm Thao Tỉnh Phú Thọ",
        "KHU 6, THỊ TRẤN HÙNG SƠN, HUYỆN LÂM THAO, TỈNH PHÚ THỌ, Việt Nam",
        "Khu 6, Xã Lâm Thao, Phú Thọ",
    ]
    for text in same:
        other = addresses.normalize(text)
        assert other.status == addresses.EXACT and other.current == result.current, text
    hcm = addresses.normalize("12 Nguyễn Trãi, P.13, Q.5, TP. HCM")
    assert hcm.status == addresses.EXACT and hcm.current is not None and hcm.current.province_code == 79
    assert hcm.legacy is not None and hcm.legacy.ward == "Phường 13" and hcm.legacy.district == "Quận 5"
    assert addresses.normalize("12 Nguyễn Trãi, Phường 13, Quận 5, Thành phố Hồ Chí Minh").current == hcm.current
    assert addresses.normalize("12 nguyen trai, p13, q5, tphcm").current == hcm.current
    hanoi = addresses.normalize("Số 5, Phường Trúc Bạch, Quận Ba Đình, Hà Nội")
    assert hanoi.formatted == "Số 5, Phường Ba Đình, Thành phố Hà Nội"


def test_province_names_are_todays_not_the_packages_spelling() -> None:
    """Only the six centrally-run cities are "Thành phố"; Quảng Ninh, Bắc Ninh, Đồng Nai are provinces."""
    names = {addresses.unit(int(w.code)).province for w in CURRENT_WARDS}  # type: ignore[union-attr]
    assert len(names) == 34
    assert {n for n in names if n.startswith("Thành phố")} == {
        "Thành phố Hà Nội", "Thành phố Hải Phòng", "Thành phố Huế", "Thành phố Đà Nẵng",
        "Thành phố Hồ Chí Minh", "Thành phố Cần Thơ"}
    assert "Tỉnh Quảng Ninh" in names and "Tỉnh Đồng Nai" in names


def test_twins_and_doubtful_readings_are_ambiguous() -> None:
    """Same name in one district (thị trấn and xã), a district without its ward, an old district named bare."""
    twins = addresses.normalize("Thôn 2, Yên Viên, Gia Lâm, Hà Nội")
    assert twins.status == addresses.AMBIGUOUS and len(twins.candidates) == 2 and twins.formatted == ""
    typed = addresses.normalize("Thôn 2, Xã Yên Viên, Huyện Gia Lâm, Hà Nội")
    assert typed.status == addresses.EXACT
    district = addresses.normalize("Huyện Lâm Thao, Tỉnh Phú Thọ")
    assert district.status == addresses.AMBIGUOUS and 8494 in {c.ward_code for c in district.candidates}
    assert district.legacy is None


@pytest.mark.parametrize(("junk", "detail"), [
    ("", ""), ("   ", ""), ("không có địa chỉ", "không có địa chỉ"), ("12345", "12345"), ("Hà Nội", "Hà Nội"),
    ("Tỉnh Phú Thọ", ""), (",,,", ",,,"), ("Xã Không Có, Huyện Ảo, Tỉnh Phú Thọ", ""),
    ("Số 5, Phường Trúc Bạch, Quận Ba Đình, Tỉnh Không Có", "Số 5"), ("lorem, ipsum, dolor", "lorem, ipsum, dolor"),
])
def test_junk_is_unknown(junk: str, detail: str) -> None:
    """Not an address, or a unit missing from the table: unknown; the detail is what precedes the first unit word."""
    result = addresses.normalize(junk)
    assert result.status == addresses.UNKNOWN and result.current is None and not result.candidates
    assert result.input == " ".join(junk.split()) and result.formatted == ""
    assert result.detail == detail
    assert addresses.normalize("Số 5, ngõ 7, Xã Không Có, Huyện Ảo, Tỉnh Phú Thọ").detail == "Số 5, ngõ 7"


@given(st.text(alphabet="bcfgjkwz0123456789 ,.-/", max_size=60))
@settings(max_examples=200, deadline=None)
def test_random_junk_is_unknown(junk: str) -> None:
    """Text with no unit names in it never resolves."""
    assert addresses.normalize(junk).status == addresses.UNKNOWN


def test_legacy_wards_without_a_successor_are_unknown() -> None:
    """The 28 legacy wards the mapping leaves out are not guessed."""
    missing = [w for w in LEGACY_WARDS if not went_to(int(w.code)) and FULL_TEXT_COUNT[legacy_text(w)] == 1]
    assert len(missing) >= 20
    for ward in missing:
        assert addresses.normalize(legacy_text(ward)).status == addresses.UNKNOWN, legacy_text(ward)


_ABBREVIATIONS = [("Thị trấn ", "TT. "), ("Phường ", "P. "), ("Xã ", "X. "), ("Huyện ", "H. "), ("Quận ", "Q."),
                  ("Thị xã ", "TX. "), ("Thành phố ", "TP. "), ("Tỉnh ", "T. ")]
_FOLD_UNIQUE = Counter((int(w.district_code), fold(w.name)) for w in LEGACY_WARDS)
_DISTRICT_UNIQUE = Counter((int(d.province_code), fold(d.name)) for d in DISTRICTS.values())


def _unique_unfolded(ward: old.Ward) -> bool:
    """No other ward of its district, nor other district of its province, has the same name once folded."""
    district = DISTRICTS[int(ward.district_code)]
    return (FULL_TEXT_COUNT[legacy_text(ward)] == 1 and _FOLD_UNIQUE[(int(district.code), fold(ward.name))] == 1
            and _DISTRICT_UNIQUE[(int(district.province_code), fold(district.name))] == 1)


UNAMBIGUOUS_UNFOLDED = [w for w in LEGACY_WARDS if _unique_unfolded(w)]


def _key(result: addresses.Resolution) -> tuple[str, int | None, frozenset[int]]:
    return (result.status, result.current.ward_code if result.current else None,
            frozenset(c.ward_code for c in result.candidates))


def _strip_marks(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@given(st.sampled_from(UNAMBIGUOUS_UNFOLDED), st.booleans(), st.booleans(), st.booleans(), st.booleans())
@settings(max_examples=300, deadline=None)
def test_capitals_marks_and_abbreviations_do_not_change_the_result(
        ward: old.Ward, upper: bool, plain: bool, abbreviate: bool, spaces: bool) -> None:
    """The same address in capitals, without diacritics, abbreviated or badly spaced resolves the same way."""
    text = legacy_text(ward)
    expected = _key(addresses.normalize(text))
    if abbreviate:
        for long, short in _ABBREVIATIONS:
            text = text.replace(long, short)
    if plain:
        text = _strip_marks(text)
    if upper:
        text = text.upper()
    if spaces:
        text = re.sub(r",\s*", " ,  ", text) + " ,"
    assert _key(addresses.normalize(text)) == expected, text


def test_search_finds_current_wards_without_diacritics() -> None:
    """The picker's search: "phu xuyen" finds Xã Phú Xuyên (Hà Nội) first among exact names."""
    found = addresses.search("phu xuyen")
    assert found and all("Xuyên" in u.ward for u in found)
    assert {u.label for u in found[:2]} == {"Xã Phú Xuyên, Thành phố Hà Nội", "Xã Phú Xuyên, Tỉnh Thái Nguyên"}
    assert [u.label for u in addresses.search("xa lam thao phu tho")] == ["Xã Lâm Thao, Tỉnh Phú Thọ"]
    assert addresses.search("   ") == [] and addresses.search("zzzz") == []
