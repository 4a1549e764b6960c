"""Parsing citizen identities from ID-card QR text."""

from __future__ import annotations

import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter.citizens import identity
from counter.citizens.identity import IdentityError, looks_complete, parse
from counter.citizens.idnumber import mask
from tests.conftest import FATHER_PAYLOAD, MOTHER_PAYLOAD, VALID_PAYLOAD, load_samples

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("sample", load_samples(), ids=lambda s: str(s["case"]))
def test_shared_samples(sample: dict[str, object]) -> None:
    """Every shared sample is accepted or refused as labelled, with warnings where expected."""
    payload = str(sample["payload"])
    if sample["valid"]:
        person = parse(payload, TODAY)
        assert person.id_number == payload.split("|")[0]
        assert bool(person.warnings) == bool(sample.get("warning", False))
    else:
        with pytest.raises(IdentityError):
            parse(payload, TODAY)


def test_2021_card_fields() -> None:
    """A 7-field CCCD gives every field, dates as dates, no extras."""
    person = parse(VALID_PAYLOAD, TODAY)
    assert person.to_json() == {
        "id_number": "036090000123", "old_id_number": "163000123", "full_name": "Trần Văn Bình",
        "birth_date": "1990-04-15", "issue_date": "2021-05-20", "sex": "Nam",
        "address": "Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định", "card_kind": "cccd_2021",
        "extra": [], "warnings": [],
    }


def test_empty_old_id_is_kept_as_empty_field() -> None:
    """`||` is an empty old ID, not a shifted field."""
    person = parse(MOTHER_PAYLOAD, TODAY)
    assert person.old_id_number == ""
    assert person.full_name == "Nguyễn Thị Mai Anh"
    assert person.sex == "Nữ"


def test_2024_card_keeps_four_extras() -> None:
    """Căn cước cards end with four (empty) fields that are kept."""
    person = parse(FATHER_PAYLOAD, TODAY)
    assert person.card_kind == identity.CARD_CAN_CUOC
    assert person.extra == ("", "", "", "")


def test_retyped_six_field_form_warns() -> None:
    """The Zalo re-typed form is accepted with a warning that it is not an original QR."""
    person = parse("036090000123|Trần Văn Bình|15/04/1990|Nam|Xóm 3, Xã Hải Minh|20/05/2021", TODAY)
    assert person.card_kind == identity.CARD_RETYPED
    assert [w.code for w in person.warnings] == ["retyped"]
    assert person.birth_date == date(1990, 4, 15)


def test_bom_crlf_whitespace_and_nfd_are_cleaned() -> None:
    """BOM, CR/LF and decomposed diacritics do not change the result."""
    import unicodedata

    dirty = "\ufeff  " + unicodedata.normalize("NFD", VALID_PAYLOAD) + "\r\n"
    assert parse(dirty, TODAY) == parse(VALID_PAYLOAD, TODAY)


@pytest.mark.parametrize("charset", ["cp1252", "latin-1", "shift_jis", "cp932"])
def test_mojibake_is_repaired(charset: str) -> None:
    """UTF-8 bytes read with a wrong charset come back exactly."""
    # A payload whose bytes are valid in every one of these charsets (as zbar's wrong guesses are).
    payload = "036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh|20052021"
    garbled = payload.encode("utf-8").decode(charset, errors="strict")
    assert garbled != payload
    assert parse(garbled, TODAY) == parse(payload, TODAY)


def test_big5_mojibake_is_repaired() -> None:
    """Big5 mojibake of a name that Big5 can hold is repaired too."""
    payload = "036090000123||Ngô Bảo Châu|15041990|Nam|Thôn 4|20052021"
    garbled = payload.encode("utf-8").decode("big5")
    assert parse(garbled, TODAY) == parse(payload, TODAY)


@pytest.mark.parametrize(
    ("payload", "field_name"),
    [
        ("03609000012|163000123|Trần Văn Bình|15041990|Nam|Xóm 3|20052021", "id_number"),
        ("0360900001234|163000123|Trần Văn Bình|15041990|Nam|Xóm 3|20052021", "id_number"),
        ("036090000123|163000123|Trần Văn Bình|30021990|Nam|Xóm 3|20052021", "birth_date"),
        ("036090000123|163000123|Trần Văn Bình|15042030|Nam|Xóm 3|20052021", "birth_date"),
        ("036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3|20051989", "issue_date"),
        ("036090000123|163000123|Trần Văn Bình|15041990|Khác|Xóm 3|20052021", "sex"),
        ("036090000123|163000123||15041990|Nam|Xóm 3|20052021", "full_name"),
        ("036090000123|163000123|Trần Văn Bình|15041990", "payload"),
        ("https://dichvucong.gov.vn/", "payload"),
        ("00020101021138570010A00000072701270006970436011300110123456780208QRIBFTTA53037045802VN6304ABCD",
         "payload"),
        ("036090000123|" + "x" * 2000, "payload"),
    ],
)
def test_refusals_name_the_field(payload: str, field_name: str) -> None:
    """Each refusal says which field is wrong."""
    with pytest.raises(IdentityError) as caught:
        parse(payload, TODAY)
    assert caught.value.field_name == field_name
    assert caught.value.message.endswith(".")


def test_warnings_for_mismatches() -> None:
    """Century/sex digit disagreements, unknown provinces and odd old IDs are warnings."""
    person = parse("999095000123|12345|Mai Văn Dũng|11111995|Nữ|Thôn 4|01022022", TODAY)
    codes = {w.code for w in person.warnings}
    assert codes == {"sex_mismatch", "unknown_province", "old_id_format"}
    person = parse("038295004321||Mai Văn Dũng|11111995|Nam|Thôn 4|01022022", TODAY)
    assert [w.code for w in person.warnings] == ["century_mismatch"]


def test_looks_complete_detects_whole_payloads_only() -> None:
    """The scanner burst detector accepts whole payloads and not their prefixes."""
    assert looks_complete(VALID_PAYLOAD)
    assert looks_complete(FATHER_PAYLOAD)
    assert not looks_complete(VALID_PAYLOAD[:-1])
    assert not looks_complete(VALID_PAYLOAD[:40])


def test_mask() -> None:
    """ID numbers are masked as 036******123."""
    assert mask("036090000123") == "036******123"


names = st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ ",
                min_size=1, max_size=40).filter(lambda s: s.strip())
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
# Without "Ã": before a small letter it begins no Vietnamese word, and it is what a lost byte leaves of Á, Í, Ý.
addresses = st.text(alphabet=(VIETNAMESE + VIETNAMESE.upper()).replace("Ã", "") + "0123456789 ,./-()", min_size=1,
                    max_size=150).filter(lambda s: s.strip())


@given(
    birth=st.dates(min_value=date(1920, 1, 1), max_value=date(2010, 12, 31)),
    name=names, address=addresses, male=st.booleans(), serial=st.integers(0, 999999),
    extras=st.sampled_from([0, 4]), old=st.sampled_from(["", "163000123"]),
)
def test_roundtrip_property(birth: date, name: str, address: str, male: bool, serial: int, extras: int,
                            old: str) -> None:
    """Any well-formed payload with an address parses back to exactly what was encoded, without warnings."""
    digit = (birth.year - 1900) // 100 * 2 + (0 if male else 1)
    id_number = f"036{digit}{birth.year % 100:02d}{serial:06d}"
    issue = date(2024, 8, 1)
    fields = [id_number, old, name, f"{birth:%d%m%Y}", "Nam" if male else "Nữ", address, f"{issue:%d%m%Y}"]
    payload = "|".join(fields + [""] * extras)
    person = parse(payload, TODAY)
    assert person.full_name == " ".join(name.split())
    assert person.birth_date == birth
    assert person.address == " ".join(identity.clean(address).split())
    assert person.extra == ("",) * extras
    assert person.warnings == ()
    assert json.loads(json.dumps(person.to_json()))["id_number"] == id_number


@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    """Whatever arrives, the parser answers with an identity or an IdentityError."""
    try:
        parse(text, TODAY)
    except IdentityError as exc:
        assert exc.message


def test_letters_lost_by_a_keyboard_scanner_are_flagged() -> None:
    """A keyboard-wedge scanner that typed "?" for "ầ" gives a warning, so the clerk corrects the name."""
    person = parse("036090000123|163000123|Tr?n V?n B\ufffdnh|15041990|Nam|X?m 3, X? H?i Minh|20052021")
    assert [w.code for w in person.warnings] == ["lost_characters"]
    assert not parse(VALID_PAYLOAD).warnings
