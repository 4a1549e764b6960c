"""`counter ticket …`, `counter dossier new --ticket` and `counter report waiting` through the installed command."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import CLERK_NAME, MOTHER_PAYLOAD, SUPERVISOR_NAME, signed_in, write_config
from tests.documents_helpers import pdf_pages_text
from tests.test_printing import read_raster


def test_take_call_and_a_dossier_with_its_ticket(tmp_path: Path) -> None:
    cli = signed_in(write_config(tmp_path / "c1"))
    pdf = tmp_path / "so.pdf"
    taken = cli("ticket", "take", "--json", "--pdf", str(pdf))
    assert taken.returncode == 0, taken.stderr
    data = json.loads(taken.stdout)
    assert (data["ticket"], data["group"], data["state"], data["ahead"]) == ("A-001", "A", "waiting", 0)
    assert "A-001" in pdf_pages_text(pdf.read_bytes())[0]
    assert cli("ticket", "take", "--no-print").stdout.startswith("Số A-002 — Hộ tịch — ")
    refused = cli("ticket", "take", "--group", "X", "--no-print")
    assert refused.returncode == 1 and refused.stdout == ""
    assert refused.stderr.strip().startswith("counter: Không có nhóm “X”; các nhóm: A (Hộ tịch)")
    called = json.loads(cli("ticket", "call", "--json").stdout)
    assert (called["ticket"], called["state"], called["counter"], called["clerk"]) == ("A-001", "called", "Q1",
                                                                                      CLERK_NAME)
    made = cli("dossier", "new", "--form", "chung-thuc-chu-ky", "--qr", MOTHER_PAYLOAD, "--ticket", "A-001",
               "--set", "document_name=Giấy uỷ quyền", "--set", "copies=1", "--json")
    assert made.returncode == 0, made.stderr
    wrong = cli("dossier", "new", "--form", "chung-thuc-chu-ky", "--qr", MOTHER_PAYLOAD, "--ticket", "A-002",
                "--set", "document_name=Giấy uỷ quyền", "--set", "copies=1")
    assert wrong.returncode == 1 and wrong.stderr.strip() == "counter: Số A-002 chưa được gọi tới quầy này."
    listed = json.loads(cli("dossier", "list", "--json").stdout)
    assert len(listed) == 1
    assert cli("ticket", "skip").stderr.strip() == ("counter: Số A-001 đang phục vụ; chỉ bỏ qua được số "
                                                    "đang gọi.")
    assert cli("ticket", "call").stdout.strip() == "Mời số A-002 (Hộ tịch) tới quầy Q1."
    assert cli("ticket", "skip").stdout.strip() == "Đã bỏ qua số A-002."
    assert cli("ticket", "recall", "A-002").returncode == 0
    cli.login(SUPERVISOR_NAME)
    report = json.loads(cli("report", "waiting", "--json").stdout)
    assert report["total"]["taken"] == 2 and report["total"]["served"] == 1
    assert report["by_clerk"][CLERK_NAME]["taken"] == 2
    csv_text = cli("report", "waiting", "--csv").stdout
    assert csv_text.startswith("\ufeffscope,key,taken,served") and "\ngroup,A,2," in csv_text
    text = cli("report", "waiting").stdout
    assert "Người đến theo giờ:" in text and "█ 2" in text


def test_a_ticket_goes_to_the_thermal_printer(tmp_path: Path) -> None:
    device = tmp_path / "thermal.bin"
    cli = signed_in(write_config(tmp_path / "c1", extra=f'\n[printer]\nkind = "escpos"\ndevice = "{device}"\n'))
    assert cli("ticket", "take").returncode == 0
    width, rows, data = read_raster(device.read_bytes())
    assert width == 72 and rows > 100 and any(data)
    device.unlink()
    device.mkdir()
    failed = cli("ticket", "take")
    assert failed.returncode == 1 and failed.stdout.startswith("Số A-002")
    assert failed.stderr.startswith("counter: Đã cấp số A-002 nhưng chưa in được phiếu: Máy in nhiệt")
