"""`counter print fee-receipt`: the amount in figures and words, the lines, method and basis; the VietQR
on the receipt read back from the PDF with the real decoder."""

from __future__ import annotations

from pathlib import Path

from counter.context import open_context
from counter.fees.vietqr import Account, payload
from tests.conftest import signed_in, write_config
from tests.documents_helpers import pdf_page_images, pdf_pages_text, qr_codes
from tests.fee_helpers import copy_dossier

PAYMENT = '\n[payment]\nbank_bin = "970415"\naccount_number = "0011001932418"\naccount_name = "UBND XA HAI MINH"\n'


def test_fee_receipt_after_payment(tmp_path: Path) -> None:
    """Unpaid: refused in one sentence; paid: unit, payer, procedure, each line, 14.000 đ and "Mười bốn
    nghìn đồng", method, clerk, basis and the receipt number; on A5 and 80 mm paper alike."""
    config = write_config(tmp_path / "c")
    ctx = open_context(config)
    code = copy_dossier(ctx, pages=5, copies=2).code
    ctx.close()
    cli = signed_in(config)
    unpaid = cli("print", "fee-receipt", code, "--pdf", str(tmp_path / "none.pdf"))
    assert unpaid.returncode == 1 and unpaid.stderr.count("\n") == 1 and "chưa nộp" in unpaid.stderr
    assert cli("dossier", "pay", code, "--method", "cash").returncode == 0
    for paper in ("a5", "80mm"):
        target = tmp_path / f"fee-{paper}.pdf"
        result = cli("print", "fee-receipt", code, "--pdf", str(target), "--paper", paper)
        assert result.returncode == 0, result.stderr
        text = " ".join(pdf_pages_text(target.read_bytes()))
        for expected in ("BIÊN LAI THU PHÍ, LỆ PHÍ", "Số: 00000001/", "UBND xã Hải Minh", "Trần Văn Bình",
                         "Chứng thực bản sao từ bản chính", "Trang 1–2: 4 trang × 2.000 đ = 8.000 đ",
                         "Trang 3–5: 6 trang × 1.000 đ = 6.000 đ", "14.000 đ", "Mười bốn nghìn đồng",
                         "Tiền mặt", "Nguyễn Thị Lan", "Thông tư 226/2016/TT-BTC, Điều 4"):
            assert expected in text, (paper, expected)


def test_receipt_carries_the_transfer_qr(tmp_path: Path) -> None:
    """With [payment] set, the dossier receipt shows the fee and a VietQR for it that a decoder reads back
    as the payload `counter dossier vietqr` prints; once paid, the QR is gone."""
    config = write_config(tmp_path / "c", extra=PAYMENT)
    ctx = open_context(config)
    code = copy_dossier(ctx, pages=1, copies=1).code
    ctx.close()
    cli = signed_in(config)
    target = tmp_path / "receipt.pdf"
    assert cli("print", "receipt", code, "--pdf", str(target), "--paper", "A4").returncode == 0
    assert "Phí, lệ phí: 2.000 đ (Hai nghìn đồng; chưa nộp)" in " ".join(pdf_pages_text(target.read_bytes()))
    expected = payload(Account("970415", "0011001932418", ""), 2_000, bill=code,
                       purpose=f"LE PHI {code[-11:]}")
    found = [p for image in pdf_page_images(target.read_bytes()) for p in qr_codes(image)]
    assert expected in found and code in found
    assert cli("dossier", "pay", code, "--method", "transfer").returncode == 0
    assert cli("print", "receipt", code, "--pdf", str(target), "--paper", "A4").returncode == 0
    assert expected not in [p for image in pdf_page_images(target.read_bytes()) for p in qr_codes(image)]


def test_the_citizen_display_shows_the_transfer_qr_while_the_fee_is_owed(tmp_path: Path) -> None:
    """The display's dossier carries the fee with a PNG VietQR a decoder reads back as the payload of
    `dossier vietqr`; once paid, `paid` and no QR."""
    import base64
    import io

    from PIL import Image

    from counter.display.state import dossier_json
    from counter.records.dossiers import get_dossier
    from counter.services.fees import pay, transfer_qr

    ctx = open_context(write_config(tmp_path / "c", extra=PAYMENT))
    try:
        code = copy_dossier(ctx, pages=1, copies=1).code
        with ctx.store.read() as session:
            fee = dossier_json(session, get_dossier(session, code), ctx.config.payment)["fee"]
        assert (fee["amount"], fee["paid"]) == (2_000, False)
        png = base64.b64decode(fee["qr_image"].removeprefix("data:image/png;base64,"))
        assert qr_codes(Image.open(io.BytesIO(png))) == [transfer_qr(ctx, code)["payload"]]
        pay(ctx, code, "transfer", "Nguyễn Thị Lan")
        with ctx.store.read() as session:
            fee = dossier_json(session, get_dossier(session, code), ctx.config.payment)["fee"]
        assert fee["paid"] is True and "qr_image" not in fee
    finally:
        ctx.close()
