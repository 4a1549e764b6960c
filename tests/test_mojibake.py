"""Mojibake repair for every Vietnamese letter, the cp1252 variants included, and the card warnings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.citizens.identity import parse
from counter.citizens.mojibake import VIETNAMESE_LETTERS, looks_garbled, repair
from counter.law import forms

TODAY = date(2026, 9, 15)
UNDEFINED_IN_CP1252 = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
LOWER = "".join(ch for ch in VIETNAMESE_LETTERS if ch.islower())
words = st.text(alphabet=LOWER, min_size=2, max_size=12).filter(lambda w: w[0] != "ã").map(str.capitalize)
"""Words as names and addresses are written (none begins with ã; a lone or all-capitals Á, Í or Ý may lose
a byte for good)."""
texts = st.lists(words, min_size=1, max_size=6).map(" ".join)


def as_windows(data: bytes) -> str:
    """UTF-8 bytes read as Windows-1252 the way Windows does: undefined bytes become C1 controls."""
    return "".join(chr(b) if b in UNDEFINED_IN_CP1252 else bytes([b]).decode("cp1252") for b in data)


def as_cp1252_dropping(data: bytes) -> str:
    """UTF-8 bytes read as cp1252 by a decoder that drops the undefined bytes."""
    return data.decode("cp1252", errors="ignore")


def as_cp1252_replacing(data: bytes) -> str:
    """UTF-8 bytes read as cp1252 by a decoder that puts U+FFFD for the undefined bytes."""
    return data.decode("cp1252", errors="replace")


@pytest.mark.parametrize("letter", list(VIETNAMESE_LETTERS))
@pytest.mark.parametrize("reader", [as_windows, lambda b: b.decode("latin-1")], ids=["cp1252", "latin-1"])
def test_every_vietnamese_letter_comes_back(letter: str, reader: object) -> None:
    """Each letter alone, inside, at the end and at the start of a word, read as cp1252 or Latin-1, comes back."""
    low, up = letter.lower(), letter.upper()
    assert repair(reader(letter.encode("utf-8"))) == letter  # type: ignore[operator]
    for text in (f"Tr{low}n", f"Nguy{low}", f"{low}ức văn", f"TR{up}N"):
        garbled = reader(text.encode("utf-8"))  # type: ignore[operator]
        assert repair(garbled) == text
        assert not looks_garbled(repair(garbled))


@given(texts)
def test_repair_never_changes_correct_vietnamese(text: str) -> None:
    """Clean Vietnamese text goes through untouched."""
    assert repair(text) == text
    assert not looks_garbled(text)


@given(texts)
def test_cp1252_and_latin1_mojibake_of_any_text_is_repaired(text: str) -> None:
    """Any Vietnamese text read as Windows-1252 (undefined bytes kept) or Latin-1 comes back exactly."""
    assert repair(as_windows(text.encode("utf-8"))) == text
    assert repair(text.encode("utf-8").decode("latin-1")) == text


@given(texts)
def test_lost_bytes_are_repaired_or_flagged(text: str) -> None:
    """When the decoder dropped or replaced cp1252's undefined bytes, the text is repaired or still looks garbled."""
    for garbled in (as_cp1252_dropping(text.encode("utf-8")), as_cp1252_replacing(text.encode("utf-8"))):
        repaired = repair(garbled)
        assert repaired == text or looks_garbled(repaired)


def test_the_issue_examples() -> None:
    """The name and sex from the report, Đ with its byte dropped, ờ with its C1 byte kept."""
    assert repair("Tráº§n VÄƒn BÃ¬nh") == "Trần Văn Bình"
    assert repair("Ná»¯") == "Nữ"
    assert repair("Äá»©c") == "Đức"
    assert repair("Ä\x90á»©c Há»\x9d") == "Đức Hờ"
    assert repair("Ä�á»©c") == "Đức"
    assert repair("Ä\x90áº·ng Thá»‹ Há»±") == "Đặng Thị Hự"


def test_mixed_text_is_repaired_word_by_word() -> None:
    """A payload where only some words were garbled is mended word by word."""
    assert repair("Trần VÄƒn Ä\x90á»©c") == "Trần Văn Đức"


def test_payload_in_cp1252_with_a_dropped_byte_parses() -> None:
    """A whole card payload read as cp1252 by a decoder that drops undefined bytes still parses exactly."""
    payload = "036090000123||Đặng Thị Lự|15041990|Nữ|Xóm Đông, Xã Hải Minh|20052021"
    garbled = as_cp1252_dropping(payload.encode("utf-8"))
    person = parse(garbled, TODAY)
    assert person.full_name == "Đặng Thị Lự" and person.sex == "Nữ" and person.address == "Xóm Đông, Xã Hải Minh"
    assert "garbled_text" not in [w.code for w in person.warnings]


def test_text_still_garbled_is_a_warning() -> None:
    """A name whose lost byte cannot be told (ờ, ề, ọ, ỏ all fit) is accepted with a warning, not silently."""
    person = parse("036090000123||Há»|15041990|Nam|Xóm 3|20052021", TODAY)
    assert "garbled_text" in [w.code for w in person.warnings]
    warning = next(w for w in person.warnings if w.code == "garbled_text")
    assert warning.message.startswith("Họ tên có ký tự lạ")


def test_a_typed_field_is_repaired_or_refused() -> None:
    """A form field typed in mojibake is stored repaired; one that stays garbled is refused with a reason."""
    text = forms.FieldDef("x", "Họ tên", "", "text", True, (), "", "", "", 100, None, None, False, "")
    sex = forms.FieldDef("s", "Giới tính", "", "choice", True, ("Nam", "Nữ"), "", "", "", 100, None, None, False, "")
    assert forms.normalize_value(text, "Tráº§n VÄƒn BÃ¬nh") == "Trần Văn Bình"
    assert forms.field_error(sex, "Ná»¯", TODAY) is None
    assert forms.field_error(text, "Há»", TODAY) == "Có ký tự lạ do sai bảng mã (như “Ã”, “á»”); gõ lại theo giấy tờ."


def test_chip_card_issued_before_2021_is_a_warning() -> None:
    """A chip CCCD (7 fields) issued in 2001 is accepted with a warning; one from 2021 is not."""
    old = parse("036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3|20052001", TODAY)
    assert [w.code for w in old.warnings] == ["issued_before_card_existed"]
    assert "20/05/2001" in old.warnings[0].message and "01/01/2021" in old.warnings[0].message
    fresh = parse("036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3|20052021", TODAY)
    assert fresh.warnings == ()
    can_cuoc = parse("036090000123||Trần Văn Bình|15041990|Nam|Xóm 3|20052023||||", TODAY)
    assert [w.code for w in can_cuoc.warnings] == ["issued_before_card_existed"]


def test_empty_address_is_a_warning() -> None:
    """A card payload with no address is accepted with a warning asking for it."""
    person = parse("036090000123|163000123|Trần Văn Bình|15041990|Nam||20052021", TODAY)
    assert [w.code for w in person.warnings] == ["empty_address"]
    assert person.warnings[0].message == "Mã QR không có nơi thường trú; hỏi công dân và nhập địa chỉ theo giấy tờ."
