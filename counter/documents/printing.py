"""Send documents to the configured printer or save them as PDF; every print and save is audited.

Printers: `system` hands a PDF to the spooler (CUPS `lp` on Linux/macOS; on Windows the pages are
rasterised with pypdfium2 and sent to the named or default printer through pywin32, counter.platform);
`escpos` writes a raster image with ESC/POS commands to a thermal printer device or file; `pdf` only
saves. A failure raises PrintError with one Vietnamese sentence; nothing is lost, so the same call can
simply be retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from counter import platform
from counter.config import PrinterConfig
from counter.context import CounterContext
from counter.custody import audit
from counter.documents.catalog import LABELS, available, build
from counter.documents.escpos import job_bytes
from counter.documents.fonts import find_font
from counter.documents.model import Document
from counter.documents.pdf import render_pdf
from counter.documents.raster import render_image
from counter.documents.sources import load_sources
from counter.platform import PrintError


@dataclass(frozen=True)
class Printed:
    """What happened: where the document went, and a sentence for the clerk."""

    target: str
    message: str


def paper_of(printer: PrinterConfig) -> str:
    """The paper a document is laid out for with this printer (thermal printers are always 80 mm)."""
    return "80mm" if printer.kind == "escpos" else printer.paper


def prepare(ctx: CounterContext, kind: str, code: str, paper: str) -> Document:
    """Build document `kind` of dossier `code` from the store."""
    with ctx.store.read() as session:
        src = load_sources(session, ctx.config.unit, ctx.forms, code, ctx.config.payment)
    return build(kind, src, paper)


def available_documents(ctx: CounterContext, code: str) -> list[str]:
    """Which documents dossier `code` can print now (receipt, form, and the slips its events allow)."""
    with ctx.store.read() as session:
        return available(load_sources(session, ctx.config.unit, ctx.forms, code))


def pdf_bytes(ctx: CounterContext, doc: Document, paper: str) -> bytes:
    """The PDF of `doc`, with the configured (or discovered) Vietnamese font embedded."""
    return render_pdf(doc, find_font(ctx.config.printer.font), paper)


def default_pdf_path(ctx: CounterContext, kind: str, code: str) -> Path:
    """Where a PDF is saved when no file is named: [printer].pdf_dir, else <data_dir>/prints."""
    folder = ctx.config.printer.pdf_dir or ctx.config.storage.data_dir / "prints"
    return Path(folder) / f"{code}-{kind}.pdf"


def _audit(ctx: CounterContext, clerk: str, action: str, code: str, detail: str) -> None:
    with ctx.store.write() as session:
        audit.record(session, clerk, action, "dossier", code, detail, at=ctx.now())


def save_pdf(ctx: CounterContext, kind: str, code: str, clerk: str, path: Path | None = None,
             paper: str | None = None) -> Printed:
    """Write document `kind` of dossier `code` to a PDF file (A4 unless told) and audit it."""
    paper = paper or (ctx.config.printer.paper if ctx.config.printer.kind != "escpos" else "A4")
    doc = prepare(ctx, kind, code, paper)
    target = path or default_pdf_path(ctx, kind, code)
    data = pdf_bytes(ctx, doc, paper)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise PrintError(f"Không lưu được tệp PDF {target} ({exc.strerror or exc}).") from None
    _audit(ctx, clerk, "pdf", doc.dossier_code, f"{kind} {paper} {target}")
    return Printed(str(target), f"Đã lưu {LABELS[kind].lower()} vào {target}.")


def print_document(ctx: CounterContext, kind: str, code: str, clerk: str) -> Printed:
    """Print document `kind` of dossier `code` on the configured printer; PrintError says why not."""
    printer = ctx.config.printer
    if printer.kind == "pdf":
        return save_pdf(ctx, kind, code, clerk)
    paper = paper_of(printer)
    doc = prepare(ctx, kind, code, paper)
    try:
        if printer.kind == "escpos":
            target = send_escpos(job_bytes(render_image(doc, find_font(printer.font))), printer.device)
        else:
            target = send_to_spooler(pdf_bytes(ctx, doc, paper), doc.title, printer)
    except PrintError as exc:
        _audit(ctx, clerk, "print-failed", doc.dossier_code, f"{kind} {printer.kind}: {exc.message}")
        raise
    _audit(ctx, clerk, "print", doc.dossier_code, f"{kind} {printer.kind} {paper} {target}")
    return Printed(target, f"Đã gửi {LABELS[kind].lower()} tới máy in {target}.")


def send_escpos(data: bytes, device: str) -> str:
    """Write an ESC/POS job to a printer device (or file, or Windows printer share)."""
    if not device:
        raise PrintError("Chưa khai báo máy in nhiệt: đặt [printer].device trong counter.toml (ví dụ /dev/usb/lp0).")
    try:
        with open(device, "wb") as port:
            port.write(data)
    except FileNotFoundError:
        raise PrintError(f"Không tìm thấy máy in nhiệt {device}; kiểm tra cáp, nguồn và [printer].device.") from None
    except PermissionError:
        raise PrintError(f"Không có quyền ghi vào máy in {device}; thêm tài khoản vào nhóm lp.") from None
    except OSError as exc:
        raise PrintError(f"Máy in nhiệt {device} không nhận lệnh in ({exc.strerror or exc}).") from None
    return device


def send_to_spooler(data: bytes, title: str, printer: PrinterConfig) -> str:
    """Hand a PDF to the system print spooler (counter.platform: CUPS lp, or the Windows print system)."""
    return platform.print_pdf(data, title, printer.name, printer.paper)
