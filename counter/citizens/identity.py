"""Citizen identity from the ID-card QR text (CCCD 2021, Căn cước 2024+, re-typed 6-field form).

Wire format (research/domain.md §1.2): `id|old id|name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy[|extra…]`.
Errors refuse the payload; warnings accept it and are shown to the clerk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from counter.citizens import idnumber
from counter.citizens.mojibake import looks_garbled, repair
from counter.errors import CounterError
from counter.text.plaintext import text_problem

MAX_PAYLOAD_CHARS = 1000
SEXES = ("Nam", "Nữ")
LOST_CHARACTERS = "?\ufffd"
"""What keyboard-wedge scanners put in place of letters they cannot type (docs/scanners.md)."""

CARD_CCCD = "cccd_2021"
CARD_CAN_CUOC = "can_cuoc_2024"
CARD_RETYPED = "retyped"
FIRST_ISSUE = {CARD_CCCD: date(2021, 1, 1), CARD_CAN_CUOC: date(2024, 7, 1)}
"""The first day each kind of card was issued (chip CCCD from early 2021, Căn cước from 1 July 2024)."""
CARD_KIND_LABELS = {
    CARD_CCCD: "Căn cước công dân (gắn chip)",
    CARD_CAN_CUOC: "Thẻ căn cước",
    CARD_RETYPED: "Bản nhập lại (không phải QR gốc)",
}

_COMPLETE_PAYLOAD = re.compile(r"^\s*\d{12}\|[^|]*\|[^|]+\|\d{8}\|[^|]*\|[^|]*\|\d{8}(\|[^|]*){0,8}\s*$")
_COMPLETE_RETYPED = re.compile(
    r"^\s*\d{12}\|[^|]+\|\d\d/\d\d/\d{4}\|[^|]*\|[^|]*\|\d\d/\d\d/\d{4}\s*$"
)


class IdentityError(CounterError):
    """The text is not an acceptable citizen-ID QR payload."""

    title = "Mã QR không hợp lệ"

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field_name = field_name


@dataclass(frozen=True)
class IdentityWarning:
    """Something odd about an accepted card: shown to the clerk, never blocking."""

    code: str
    message: str


@dataclass(frozen=True)
class Identity:
    """One citizen as read from an ID-card QR code."""

    id_number: str
    old_id_number: str
    full_name: str
    birth_date: date
    sex: str
    address: str
    issue_date: date
    card_kind: str
    extra: tuple[str, ...] = ()
    warnings: tuple[IdentityWarning, ...] = field(default=())

    @property
    def masked_id(self) -> str:
        """The ID number as shown in lists and logs."""
        return idnumber.mask(self.id_number)

    @property
    def id_document(self) -> str:
        """The identity-document line of declaration forms."""
        kind = "Thẻ căn cước" if self.card_kind == CARD_CAN_CUOC else "Căn cước công dân"
        return f"{kind} số {self.id_number}, cấp ngày {self.issue_date:%d/%m/%Y}"

    def to_json(self) -> dict[str, Any]:
        """The JSON shape printed by `counter qr parse`."""
        return {
            "id_number": self.id_number,
            "old_id_number": self.old_id_number,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat(),
            "issue_date": self.issue_date.isoformat(),
            "sex": self.sex,
            "address": self.address,
            "card_kind": self.card_kind,
            "extra": list(self.extra),
            "warnings": [asdict(w) for w in self.warnings],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Identity:
        """Rebuild an identity stored with `to_json`."""
        return cls(
            id_number=data["id_number"], old_id_number=data.get("old_id_number", ""),
            full_name=data["full_name"], birth_date=date.fromisoformat(data["birth_date"]),
            sex=data["sex"], address=data.get("address", ""),
            issue_date=date.fromisoformat(data["issue_date"]), card_kind=data.get("card_kind", CARD_CCCD),
            extra=tuple(data.get("extra", ())),
            warnings=tuple(IdentityWarning(**w) for w in data.get("warnings", ())),
        )


def clean(payload: str) -> str:
    """Strip BOM, surrounding whitespace and CR/LF, repair mojibake and normalise to NFC."""
    text = payload.replace("\ufeff", "").strip().replace("\r", "").replace("\n", "")
    return unicodedata.normalize("NFC", repair(text))


def looks_complete(text: str) -> bool:
    """True when `text` has the full structure of an ID payload (for scanners that send no Enter)."""
    return bool(_COMPLETE_PAYLOAD.match(text) or _COMPLETE_RETYPED.match(text))


def parse(payload: str, today: date | None = None) -> Identity:
    """Parse and validate an ID-card QR payload, raising IdentityError with a one-sentence reason."""
    today = today or date.today()
    if len(payload) > MAX_PAYLOAD_CHARS:
        raise IdentityError("payload", f"Dữ liệu quá dài ({len(payload)} ký tự), không phải mã QR căn cước.")
    broken = text_problem(payload, multiline=True) if any("\ud800" <= c <= "\udfff" for c in payload) else None
    if broken:
        raise IdentityError("payload", f"Mã QR {broken}; không phải mã QR căn cước.")
    text = clean(payload)
    if not text:
        raise IdentityError("payload", "Không có dữ liệu: mã QR rỗng.")
    if "|" not in text:
        raise IdentityError("payload", _not_an_id_reason(text))
    fields = text.split("|")
    _plain_fields(fields)
    if len(fields) == 6:
        return _parse_retyped(fields, today)
    if len(fields) < 7:
        raise IdentityError(
            "payload", f"Thiếu trường: mã QR căn cước có ít nhất 7 trường, nhận được {len(fields)}."
        )
    id_number, old_id, name, birth, sex, address, issued = (f.strip() for f in fields[:7])
    extra = tuple(fields[7:])
    kind = CARD_CAN_CUOC if extra else CARD_CCCD
    return _build(id_number, old_id, name, birth, sex, address, issued, kind, extra, today, [])


FIELD_LABELS = ("Số định danh", "Số CMND cũ", "Họ và tên", "Ngày sinh", "Giới tính", "Nơi thường trú", "Ngày cấp")
RETYPED_LABELS = ("Số định danh", "Họ và tên", "Ngày sinh", "Giới tính", "Nơi thường trú", "Ngày cấp")
FIELD_IDS = ("id_number", "old_id_number", "full_name", "birth_date", "sex", "address", "issue_date")
RETYPED_IDS = ("id_number", "full_name", "birth_date", "sex", "address", "issue_date")


def _plain_fields(fields: list[str]) -> None:
    """Refuse a control character in any field (after mojibake repair), naming the field."""
    labels, ids = (RETYPED_LABELS, RETYPED_IDS) if len(fields) == 6 else (FIELD_LABELS, FIELD_IDS)
    for index, value in enumerate(fields):
        problem = text_problem(value)
        if problem:
            label = labels[index] if index < len(labels) else f"Trường thứ {index + 1}"
            field_id = ids[index] if index < len(ids) else "extra"
            raise IdentityError(field_id, f"{label} trong mã QR {problem}; không nhận mã QR này.")


def _not_an_id_reason(text: str) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE):
        return "Đây là một đường dẫn (URL), không phải mã QR căn cước."
    if text.startswith("000201"):
        return "Đây là mã QR thanh toán (VietQR), không phải mã QR căn cước."
    return "Không phải mã QR căn cước: thiếu các trường ngăn cách bằng dấu |."


def _parse_retyped(fields: list[str], today: date) -> Identity:
    id_number, name, birth, sex, address, issued = (f.strip() for f in fields)
    birth, issued = birth.replace("/", ""), issued.replace("/", "")
    warning = IdentityWarning(
        "retyped", "Dữ liệu 6 trường là bản nhập lại (ví dụ từ Zalo), không phải mã QR gốc trên thẻ; đối chiếu với thẻ."
    )
    return _build(id_number, "", name, birth, sex, address, issued, CARD_RETYPED, (), today, [warning])


def _build(id_number: str, old_id: str, name: str, birth: str, sex: str, address: str, issued: str,
           kind: str, extra: tuple[str, ...], today: date, warnings: list[IdentityWarning]) -> Identity:
    if not idnumber.is_id_number(id_number):
        digits = sum(ch.isdigit() for ch in id_number)
        raise IdentityError(
            "id_number", f"Số định danh phải gồm đúng 12 chữ số, nhận được “{id_number[:20]}” ({digits} chữ số)."
        )
    name = " ".join(name.split())
    if not name:
        raise IdentityError("full_name", "Họ và tên trống.")
    birth_date = _parse_date("birth_date", "Ngày sinh", birth)
    issue_date = _parse_date("issue_date", "Ngày cấp", issued)
    if birth_date > today:
        raise IdentityError("birth_date", f"Ngày sinh {birth_date:%d/%m/%Y} nằm trong tương lai.")
    if issue_date < birth_date:
        raise IdentityError(
            "issue_date", f"Ngày cấp {issue_date:%d/%m/%Y} trước ngày sinh {birth_date:%d/%m/%Y}."
        )
    if issue_date > today:
        raise IdentityError("issue_date", f"Ngày cấp {issue_date:%d/%m/%Y} nằm trong tương lai.")
    if sex not in SEXES:
        raise IdentityError("sex", f"Giới tính phải là “Nam” hoặc “Nữ”, nhận được “{sex[:20]}”.")
    warnings += _cross_checks(id_number, old_id, birth_date, sex)
    warnings += _card_checks(kind, issue_date, name, address)
    if any(ch in LOST_CHARACTERS for ch in name):
        warnings.append(IdentityWarning(
            "lost_characters",
            "Họ tên có ký tự “?”: máy quét đã làm mất dấu tiếng Việt, sửa họ tên và địa chỉ theo thẻ.",
        ))
    return Identity(id_number, old_id, name, birth_date, sex, " ".join(address.split()), issue_date,
                    kind, extra, tuple(warnings))


def _parse_date(field_name: str, label: str, text: str) -> date:
    if not re.fullmatch(r"\d{8}", text):
        raise IdentityError(field_name, f"{label} phải có dạng ngàythángnăm 8 chữ số, nhận được “{text[:20]}”.")
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise IdentityError(
            field_name, f"{label} {text[:2]}/{text[2:4]}/{text[4:]} không phải là một ngày có thật."
        ) from None


def _card_checks(kind: str, issue_date: date, name: str, address: str) -> list[IdentityWarning]:
    """Oddities of the card itself: issued before such cards existed, no address, garbled letters."""
    warnings = []
    first = FIRST_ISSUE.get(kind)
    if first is not None and issue_date < first:
        warnings.append(IdentityWarning(
            "issued_before_card_existed",
            f"Ngày cấp {issue_date:%d/%m/%Y} có trước khi loại thẻ này được cấp ({first:%d/%m/%Y}); "
            "đối chiếu với thẻ.",
        ))
    if not address.strip():
        warnings.append(IdentityWarning(
            "empty_address", "Mã QR không có nơi thường trú; hỏi công dân và nhập địa chỉ theo giấy tờ.",
        ))
    garbled = [label for label, text in (("họ tên", name), ("địa chỉ", address))
               if looks_garbled(text) and not any(ch in LOST_CHARACTERS for ch in text)]
    if garbled:
        warnings.append(IdentityWarning(
            "garbled_text",
            f"{' và '.join(garbled).capitalize()} có ký tự lạ do máy quét đọc sai bảng mã; sửa lại theo thẻ.",
        ))
    return warnings


def _cross_checks(id_number: str, old_id: str, birth_date: date, sex: str) -> list[IdentityWarning]:
    warnings = []
    encoded_year = idnumber.encoded_birth_year(id_number)
    if encoded_year != birth_date.year:
        warnings.append(IdentityWarning(
            "century_mismatch",
            f"Chữ số thế kỷ/năm sinh trong số định danh ứng với năm {encoded_year}, "
            f"nhưng ngày sinh là năm {birth_date.year}.",
        ))
    _, encoded_sex = idnumber.century_and_sex(id_number)
    if encoded_sex != sex:
        warnings.append(IdentityWarning(
            "sex_mismatch", f"Chữ số giới tính trong số định danh ứng với “{encoded_sex}”, nhưng thẻ ghi “{sex}”."
        ))
    if idnumber.province_name(id_number) is None:
        warnings.append(IdentityWarning(
            "unknown_province", f"Mã tỉnh nơi đăng ký khai sinh “{id_number[:3]}” không có trong danh mục."
        ))
    if old_id and not (len(old_id) == 9 and old_id.isdigit()):
        warnings.append(IdentityWarning(
            "old_id_format", f"Số CMND cũ “{old_id[:20]}” không gồm 9 chữ số."
        ))
    return warnings
