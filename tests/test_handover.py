"""The receipt lists the documents actually handed in and the phone; hand-over records the receiver's ID."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FATHER_PAYLOAD, VALID_PAYLOAD, Cli
from tests.documents_helpers import pdf_pages_text

STATUS_SETS = ["--set", "marital_status=Chưa đăng ký kết hôn", "--set", "purpose=Để đăng ký kết hôn",
               "--set", "subject_ethnicity=Kinh", "--set", "subject_nationality=Việt Nam"]


def _new(cli: Cli, *extra: str) -> str:
    result = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                 *STATUS_SETS, *extra, "--json")
    assert result.returncode == 0, result.stderr
    return str(json.loads(result.stdout)["code"])


def _pdf_text(cli: Cli, kind: str, code: str, tmp_path: Path) -> str:
    target = tmp_path / f"{kind}.pdf"
    result = cli("print", kind, code, "--pdf", str(target))
    assert result.returncode == 0, result.stderr
    return " ".join(pdf_pages_text(target.read_bytes()))


def test_receipt_lists_the_ticked_documents_and_the_phone(cli: Cli, tmp_path: Path) -> None:
    """By default the required documents (not the optional ones); with --document only those named; the phone."""
    form = json.loads(cli("forms", "show", "xac-nhan-tinh-trang-hon-nhan", "--json").stdout)
    [required], [optional] = form["documents"], form["optional_documents"]
    default = _pdf_text(cli, "receipt", _new(cli), tmp_path)
    assert required in default and optional not in default and "Số điện thoại" not in default
    code = _new(cli, "--document", optional, "--phone", "0912 345 678")
    receipt = _pdf_text(cli, "receipt", code, tmp_path)
    assert optional in receipt and required not in receipt and "0912345678" in receipt
    unknown = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                  *STATUS_SETS, "--document", "Sổ hộ khẩu", "--phone", "12345")
    assert unknown.returncode == 1
    assert "mẫu tờ khai không có giấy tờ “Sổ hộ khẩu”" in unknown.stderr and "số điện thoại phải gồm" in unknown.stderr


def test_hand_over_records_the_receivers_id_and_prints_a_slip(cli: Cli, tmp_path: Path) -> None:
    """Returning needs the receiver's ID (typed, or from their card's QR); the slip names them and their ID."""
    code = _new(cli)
    assert cli("dossier", "status", code, "done").returncode == 0
    missing = cli("dossier", "return", code, "--receiver", "Phạm Quốc Huy")
    assert missing.returncode == 1 and "--receiver-id" in missing.stderr
    bad = cli("dossier", "return", code, "--receiver", "Phạm Quốc Huy", "--receiver-id", "0480")
    assert bad.returncode == 1 and "số định danh (12 chữ số)" in bad.stderr
    stranger = cli("dossier", "return", code, "--receiver-id", "048088000321")
    assert stranger.returncode == 1
    assert f"Số 048******321 không phải của người có tên trong hồ sơ {code}" in stranger.stderr
    given = cli("dossier", "return", code, "--receiver-qr", FATHER_PAYLOAD, "--json")
    assert given.returncode == 0, given.stderr
    detail = json.loads(given.stdout)
    assert detail["returned_to"] == "Phạm Quốc Huy" and detail["returned_to_id"] == "048******321"
    slip = _pdf_text(cli, "handover", code, tmp_path)
    assert "PHIẾU BÀN GIAO KẾT QUẢ" in slip and "Phạm Quốc Huy" in slip and "048088000321" in slip
