"""Printing for real: a fake `lp` on PATH records what the spooler gets; ESC/POS raster bytes in a file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter.context import CounterContext, open_context
from counter.documents.escpos import BAND_ROWS
from counter.documents.fonts import FontMissing, find_font
from counter.documents.printing import PrintError, print_document, save_pdf
from counter.store.models import AuditEntry
from tests.conftest import MOTHER_PAYLOAD, signed_in, write_config
from tests.documents_helpers import CLERK, birth_dossier, pdf_pages_text, qr_codes


def open_counter(tmp_path: Path, printer: str) -> CounterContext:
    return open_context(write_config(tmp_path / "counter", extra=f"\n[printer]\n{printer}\n"))


@pytest.fixture
def system_ctx(tmp_path: Path) -> Iterator[CounterContext]:
    context = open_counter(tmp_path, 'kind = "system"\nname = "HP_LaserJet"\npaper = "A5"')
    yield context
    context.close()


def audit_actions(ctx: CounterContext) -> list[tuple[str, str, str]]:
    with ctx.store.read() as session:
        rows = session.exec(select(AuditEntry).where(col(AuditEntry.action).in_(
            ["print", "print-failed", "pdf"])).order_by(col(AuditEntry.id))).all()
    return [(r.action, r.subject_ref, r.detail) for r in rows]


def test_print_goes_to_lp_with_printer_title_paper_and_the_pdf(system_ctx: CounterContext, fake_lp: Path) -> None:
    dossier = birth_dossier(system_ctx, MOTHER_PAYLOAD)
    done = print_document(system_ctx, "receipt", dossier.code, CLERK)
    assert done.target == "HP_LaserJet"
    assert done.message == "Đã gửi giấy tiếp nhận hồ sơ và hẹn trả kết quả tới máy in HP_LaserJet."
    args = (fake_lp / "args").read_text(encoding="utf-8").splitlines()
    assert args == ["-t", f"Giấy tiếp nhận {dossier.code}", "-d", "HP_LaserJet", "-o", "media=A5"]
    sent = (fake_lp / "input").read_bytes()
    assert sent.startswith(b"%PDF-")
    pages = pdf_pages_text(sent)
    assert len(pages) == 2 and "Nguyễn Thị Mai Anh" in pages[1]
    assert audit_actions(system_ctx) == [("print", dossier.code, "receipt system A5 HP_LaserJet")]


def test_a_refused_print_says_why_and_can_be_retried(system_ctx: CounterContext, fake_lp: Path) -> None:
    dossier = birth_dossier(system_ctx, MOTHER_PAYLOAD)
    (fake_lp / "refuse").write_text("lp: The printer or class does not exist.\n", encoding="utf-8")
    with pytest.raises(PrintError) as caught:
        print_document(system_ctx, "form", dossier.code, CLERK)
    assert caught.value.message == "Máy in từ chối lệnh in: The printer or class does not exist."
    (fake_lp / "refuse").unlink()
    print_document(system_ctx, "form", dossier.code, CLERK)
    assert [a for a, _, _ in audit_actions(system_ctx)] == ["print-failed", "print"]


def test_without_lp_the_clerk_is_told_what_to_install(system_ctx: CounterContext, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    dossier = birth_dossier(system_ctx, MOTHER_PAYLOAD)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PrintError, match="Không tìm thấy lệnh in lp"):
        print_document(system_ctx, "receipt", dossier.code, CLERK)


def read_raster(job: bytes) -> tuple[int, int, bytes]:
    """Parse INIT + GS v 0 bands + feed/cut: (width in bytes, total rows, raster data)."""
    assert job.startswith(b"\x1b@")
    position, width, rows, data = 2, 0, 0, bytearray()
    while job[position:position + 4] == b"\x1dv0\x00":
        band_width = int.from_bytes(job[position + 4:position + 6], "little")
        band_rows = int.from_bytes(job[position + 6:position + 8], "little")
        assert band_rows <= BAND_ROWS and (width in (0, band_width))
        width, rows = band_width, rows + band_rows
        start = position + 8
        data += job[start:start + band_width * band_rows]
        position = start + band_width * band_rows
    assert job[position:] == b"\x1b\x64\x04\x1dV\x42\x00"
    return width, rows, bytes(data)


def test_escpos_receipt_is_a_raster_image_with_a_readable_qr(tmp_path: Path) -> None:
    from PIL import Image

    device = tmp_path / "thermal.bin"
    ctx = open_counter(tmp_path, f'kind = "escpos"\ndevice = "{device}"')
    try:
        dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
        done = print_document(ctx, "receipt", dossier.code, CLERK)
        assert done.target == str(device)
        width, rows, data = read_raster(device.read_bytes())
        assert width == 72 and rows > 600
        assert any(data) and not all(b == 0xFF for b in data)
        # Black = 1 bits; invert back to a picture and read the dossier code from it.
        picture = Image.frombytes("1", (width * 8, rows), bytes(b ^ 0xFF for b in data))
        assert qr_codes(picture.convert("L")) == [dossier.code]
        assert audit_actions(ctx) == [("print", dossier.code, f"receipt escpos 80mm {device}")]
    finally:
        ctx.close()


def test_escpos_missing_device_fails_in_one_sentence(tmp_path: Path) -> None:
    device = tmp_path / "no" / "lp0"
    ctx = open_counter(tmp_path, f'kind = "escpos"\ndevice = "{device}"')
    try:
        dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
        with pytest.raises(PrintError) as caught:
            print_document(ctx, "receipt", dossier.code, CLERK)
        assert caught.value.message == (f"Không tìm thấy máy in nhiệt {device}; kiểm tra cáp, nguồn và "
                                        "[printer].device.")
        assert [a for a, _, _ in audit_actions(ctx)] == ["print-failed"]
    finally:
        ctx.close()


def test_pdf_kind_saves_into_the_data_directory_and_is_audited(ctx: CounterContext) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    done = print_document(ctx, "form", dossier.code, CLERK)
    saved = ctx.config.storage.data_dir / "prints" / f"{dossier.code}-form.pdf"
    assert done.target == str(saved) and saved.read_bytes().startswith(b"%PDF-")
    chosen = save_pdf(ctx, "receipt", dossier.code, CLERK, ctx.config.storage.data_dir / "r.pdf", "80mm")
    assert len(pdf_pages_text(Path(chosen.target).read_bytes())) == 1
    assert [a for a, _, _ in audit_actions(ctx)] == ["pdf", "pdf"]


def test_cli_print_saves_a_pdf_and_refuses_unknown_dossiers(ctx: CounterContext, config_path: Path,
                                                            tmp_path: Path) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    ctx.close()
    target = tmp_path / "biên nhận.pdf"
    cli = signed_in(config_path)
    result = cli("print", "receipt", dossier.code, "--pdf", str(target))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Đã lưu giấy tiếp nhận hồ sơ và hẹn trả kết quả vào {target}."
    assert f"Mã hồ sơ: {dossier.code}" in pdf_pages_text(target.read_bytes())[0]
    missing = cli("print", "refusal", dossier.code, "--pdf", str(tmp_path / "x.pdf"))
    assert missing.returncode == 1
    assert missing.stderr.strip() == f"counter: Hồ sơ {dossier.code} không bị từ chối."
    unknown = cli("print", "receipt", "000.00.36.H40-990101-0001")
    assert unknown.returncode == 1 and unknown.stderr.count("\n") == 1


def test_printer_font_and_pdf_dir_settings(tmp_path: Path) -> None:
    ctx = open_counter(tmp_path, f'pdf_dir = "{tmp_path / "giấy tờ"}"\nfont = "{tmp_path / "none.ttf"}"')
    try:
        dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
        with pytest.raises(FontMissing, match=r"\[printer\]\.font"):
            print_document(ctx, "receipt", dossier.code, CLERK)
        assert audit_actions(ctx) == []
    finally:
        ctx.close()
    family = find_font()
    ctx = open_counter(tmp_path / "second", f'pdf_dir = "{tmp_path / "giấy tờ"}"\nfont = "{family.regular}"')
    try:
        dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
        done = print_document(ctx, "receipt", dossier.code, CLERK)
        assert done.target == str(tmp_path / "giấy tờ" / f"{dossier.code}-receipt.pdf")
    finally:
        ctx.close()
