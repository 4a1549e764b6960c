"""Rules of the 12-digit personal ID number (số định danh cá nhân): PPP G YY RRRRRR."""

from __future__ import annotations

import re

PROVINCES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa – Vũng Tàu",
    "079": "TP. Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}
"""Birth-registration province prefixes of the 63 pre-2025 provinces (Thông tư 07/2016/TT-BCA)."""


def is_id_number(text: str) -> bool:
    """True for exactly twelve ASCII digits."""
    return len(text) == 12 and text.isascii() and text.isdigit()


def century_and_sex(id_number: str) -> tuple[int, str]:
    """The birth century (e.g. 1900) and sex ("Nam"/"Nữ") encoded by the fourth digit."""
    digit = int(id_number[3])
    return 1900 + (digit // 2) * 100, "Nam" if digit % 2 == 0 else "Nữ"


def encoded_birth_year(id_number: str) -> int:
    """The birth year the number encodes (century digit plus the two year digits)."""
    century, _ = century_and_sex(id_number)
    return century + int(id_number[4:6])


def province_name(id_number: str) -> str | None:
    """The province of birth registration, or None for an unknown prefix."""
    return PROVINCES.get(id_number[:3])


def mask(id_number: str) -> str:
    """Mask an ID number for lists and logs: 036******123."""
    if len(id_number) <= 6:
        return "*" * len(id_number)
    return id_number[:3] + "*" * (len(id_number) - 6) + id_number[-3:]


_NUMBER_IN_TEXT = re.compile(r"(?<!\d)(\d{12}|\d{9})(?!\d)")
"""A 12-digit ID number or a 9-digit old CMND number standing alone in a text."""


def mask_in_text(text: str) -> str:
    """`text` with every ID or CMND number in it masked ("Thẻ căn cước số 036******123, cấp ngày …")."""
    return _NUMBER_IN_TEXT.sub(lambda found: mask(found[0]), text)
