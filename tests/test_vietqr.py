"""VietQR payloads against the examples published with other encoders, and amounts in Vietnamese words."""

from __future__ import annotations

import pytest

from counter.fees.vietqr import Account, VietQRRefused, crc16, payload
from counter.fees.words import figures, in_words

ACB = Account("970416", "257678859", "")


def test_static_example_of_vietnam_qr_pay() -> None:
    """README of the npm package vietnam-qr-pay (github.com/xuannghia/vietnam-qr-pay), "VietQR Tĩnh"."""
    assert payload(ACB) == (
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F")


@pytest.mark.parametrize(("amount", "purpose", "expected"), [
    # vietnam-qr-pay README, "VietQR Động".
    (10_000, "Chuyen tien", "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
                            "5405100005802VN62150811Chuyen tien630453E6"),
    # vietnam-qr-pay README, "Decode mã QR".
    (1_000, "Chuyen tien", "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
                           "540410005802VN62150811Chuyen tien6304BBB8"),
    # vietnam-qr-pay README, `build()` after changing amount and purpose.
    (999_999, "Cam on nhe", "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
                            "54069999995802VN62140810Cam on nhe6304E786"),
])
def test_dynamic_examples_of_vietnam_qr_pay(amount: int, purpose: str, expected: str) -> None:
    """Dynamic QRs with an amount and a purpose, as published by vietnam-qr-pay."""
    assert payload(ACB, amount, purpose=purpose) == expected


def test_example_of_subiz_vietqr() -> None:
    """README of github.com/subiz/vietqr: 120.000 đ to 0011001932418 at BIN 970415, "ung ho lu lut"."""
    account = Account("970415", "0011001932418", "")
    assert payload(account, 120_000, purpose="ung ho lu lut") == (
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA530370454061200005802VN"
        "62170813ung ho lu lut6304C15C")


def test_bill_number_and_crc() -> None:
    """The dossier code goes in 62/01 before the purpose in 62/08; the CRC covers everything up to "6304"."""
    text = payload(ACB, 14_000, bill="000.00.36.H40-261203-0001", purpose="LE PHI 261203-0001")
    assert "62510125000.00.36.H40-261203-00010818LE PHI 261203-0001" in text
    assert text[-4:] == crc16(text[:-4])
    assert crc16("123456789") == "29B1"  # the CRC-16/CCITT-FALSE check value


@pytest.mark.parametrize(("account", "purpose", "problem"), [
    (Account("97041", "1", ""), "", "BIN ngân hàng phải gồm đúng 6 chữ số"),
    (Account("970416", "12 34", ""), "", "Số tài khoản"),
    (ACB, "Lệ phí hộ tịch", "chỉ được gồm chữ không dấu"),
    (ACB, "A" * 26, "dài quá 25 ký tự"),
])
def test_refused_accounts_and_purposes(account: Account, purpose: str, problem: str) -> None:
    """A BIN that is not 6 digits, a bad account, a purpose a bank app cannot show: one sentence each."""
    with pytest.raises(VietQRRefused, match=problem):
        payload(account, 1000, purpose=purpose)


@pytest.mark.parametrize(("amount", "words"), [
    (0, "Không đồng"), (5_000, "Năm nghìn đồng"), (8_000, "Tám nghìn đồng"), (14_000, "Mười bốn nghìn đồng"),
    (15_000, "Mười lăm nghìn đồng"), (21_000, "Hai mươi mốt nghìn đồng"), (25_000, "Hai mươi lăm nghìn đồng"),
    (105_000, "Một trăm linh năm nghìn đồng"), (200_000, "Hai trăm nghìn đồng"),
    (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"), (1_000_005, "Một triệu không trăm linh năm đồng"),
    (2_000_000_000, "Hai tỷ đồng"),
])
def test_amounts_in_words(amount: int, words: str) -> None:
    """Amounts as Vietnamese receipts write them: mốt, lăm, linh, không trăm."""
    assert in_words(amount) == words


def test_amounts_in_figures() -> None:
    """Dots between thousands and "đ"."""
    assert [figures(n) for n in (0, 2_000, 14_000, 1_234_567)] == ["0 đ", "2.000 đ", "14.000 đ", "1.234.567 đ"]
