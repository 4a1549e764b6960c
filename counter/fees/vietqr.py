"""VietQR (NAPAS, EMVCo merchant-presented QR) payloads for a bank transfer, made offline.

Layout (research/2026-12-notes.md): ID(2) LEN(2) VALUE fields; `38` holds the NAPAS GUID A000000727,
the bank BIN and account and the service QRIBFTTA; `62` the bill number (the dossier code) and a short
purpose; `63` is CRC-16/CCITT-FALSE over everything before it, including the literal "6304".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from counter.errors import CounterError

NAPAS_GUID = "A000000727"
TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
COUNTRY = "VN"
MAX_PURPOSE = 25
MAX_ACCOUNT = 19
PURPOSE_PATTERN = re.compile(r"[A-Za-z0-9 .,_/-]*")
"""Plain ASCII letters, digits, spaces and a few marks: what every bank app shows as it is."""
ACCOUNT_PATTERN = re.compile(r"[A-Za-z0-9]{1,19}")


class VietQRRefused(CounterError):
    """A transfer QR that cannot be made (no account set, a bad BIN, account or purpose)."""

    title = "Không tạo được mã VietQR"


@dataclass(frozen=True)
class Account:
    """The unit's bank account that receives fees by transfer ([payment] in counter.toml)."""

    bank_bin: str
    account_number: str
    account_name: str


def account_problem(account: Account) -> str | None:
    """Why this account cannot go into a VietQR (one sentence), or None."""
    if not re.fullmatch(r"\d{6}", account.bank_bin):
        return "Mã BIN ngân hàng phải gồm đúng 6 chữ số."
    if not ACCOUNT_PATTERN.fullmatch(account.account_number):
        return f"Số tài khoản phải gồm 1–{MAX_ACCOUNT} chữ hoặc số, không dấu cách."
    return None


def purpose_problem(purpose: str) -> str | None:
    """Why a transfer purpose cannot be shown by every bank app (one sentence), or None."""
    if len(purpose) > MAX_PURPOSE:
        return f"Nội dung chuyển khoản dài quá {MAX_PURPOSE} ký tự."
    if not PURPOSE_PATTERN.fullmatch(purpose):
        return "Nội dung chuyển khoản chỉ được gồm chữ không dấu, số, dấu cách và . , _ / -."
    return None


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) as 4 upper-case hex digits."""
    crc = 0xFFFF
    for byte in text.encode("utf-8"):
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return f"{crc:04X}"


def field(tag: str, value: str) -> str:
    """One TLV field: the tag, the value's length in two digits, the value."""
    if len(value) > 99:
        raise ValueError(f"field {tag} longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def payload(account: Account, amount: int | None = None, bill: str = "", purpose: str = "") -> str:
    """The VietQR text for a transfer to `account`; dynamic (12) with an amount, static (11) without."""
    problem = account_problem(account) or purpose_problem(purpose)
    if problem is None and bill and (len(bill) > MAX_PURPOSE or not PURPOSE_PATTERN.fullmatch(bill)):
        problem = "Số hóa đơn (mã hồ sơ) chỉ được gồm tối đa 25 chữ không dấu, số và . , _ / -."
    if problem is None and amount is not None and not 0 < amount < 10**13:
        problem = "Số tiền chuyển khoản phải lớn hơn 0 đồng."
    if problem:
        raise VietQRRefused(problem)
    beneficiary = field("00", account.bank_bin) + field("01", account.account_number)
    merchant = field("00", NAPAS_GUID) + field("01", beneficiary) + field("02", TO_ACCOUNT)
    text = field("00", "01") + field("01", "11" if amount is None else "12") + field("38", merchant)
    text += field("53", CURRENCY_VND) + (field("54", str(amount)) if amount is not None else "") + field("58", COUNTRY)
    extra = (field("01", bill) if bill else "") + (field("08", purpose) if purpose else "")
    text += (field("62", extra) if extra else "") + "6304"
    return text + crc16(text)


def bill_purpose(prefix: str, code: str) -> str:
    """The transfer purpose for a dossier: the configured words, then the code's day and number."""
    return f"{prefix} {code[-11:]}"
