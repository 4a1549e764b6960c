"""Files offered as one attachment: each checked (kind by content, whole image decoded, PDF strictly opened),
then made one PDF — images without re-encoding where img2pdf can, a single PDF kept byte for byte."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import pikepdf
from PIL import Image

from counter.attachments.pdfcheck import AttachmentRefused, check_pdf
from counter.attachments.records import MIN_DPI

SIGNATURES = ((b"%PDF-", "pdf"), (b"\xff\xd8\xff", "image"), (b"\x89PNG\r\n\x1a\n", "image"),
              (b"II*\x00", "image"), (b"MM\x00*", "image"))
IMAGE_FORMATS = ("JPEG", "PNG", "TIFF", "MPO")


@dataclass(frozen=True)
class Part:
    """One checked input file."""

    name: str
    data: bytes
    kind: str
    """pdf or image."""
    pages: int
    dpi: int | None


@dataclass(frozen=True)
class Prepared:
    """The attachment's bytes (one PDF) and what is recorded about it."""

    data: bytes
    sha256: str
    pages: int
    dpi: int | None
    """The lowest resolution among the images, None when unknown (a PDF, an image without it)."""
    warnings: tuple[str, ...]


def _read(path: Path, max_bytes: int, limit_mb: int) -> bytes:
    """The file's bytes, refusing a missing file, a directory, an empty file or one over the limit."""
    if path.is_dir():
        raise AttachmentRefused(f"{path} là một thư mục, không phải tệp; hãy chọn tệp ảnh quét hoặc PDF.")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise AttachmentRefused(f"Tệp {path.name} nặng {size / 1_048_576:.1f} MB, quá giới hạn {limit_mb} MB.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise AttachmentRefused(f"Không tìm thấy tệp {path}.") from None
    except OSError as exc:
        raise AttachmentRefused(f"Không đọc được tệp {path}: {exc.strerror or exc}.") from None
    if not data:
        raise AttachmentRefused(f"Tệp {path.name} rỗng (0 byte); hãy quét lại.")
    return data


def _image_facts(data: bytes, name: str) -> tuple[int, int | None]:
    """Frames and lowest known dpi of an image, every frame fully decoded (a truncated file is refused)."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in IMAGE_FORMATS:
                raise AttachmentRefused(f"Tệp {name} là ảnh {image.format}; chỉ nhận JPEG, PNG, TIFF hoặc PDF.")
            frames, dpis = 0, []
            for index in range(getattr(image, "n_frames", 1)):
                image.seek(index)
                image.load()
                frames += 1
                dpi = image.info.get("dpi")
                if dpi and min(dpi) > 1:
                    dpis.append(round(min(float(dpi[0]), float(dpi[1]))))
    except AttachmentRefused:
        raise
    except Exception:  # Pillow's decoders raise many kinds (OSError, SyntaxError, TypeError…) on a bad file
        raise AttachmentRefused(f"Tệp ảnh {name} bị hỏng hoặc bị cắt cụt; hãy quét lại.") from None
    return frames, (min(dpis) if dpis else None)


def check_file(path: Path, max_bytes: int, limit_mb: int) -> Part:
    """One input file checked by its content (whatever its name says)."""
    data = _read(path, max_bytes, limit_mb)
    kind = next((k for magic, k in SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        raise AttachmentRefused(f"Tệp {path.name} không phải PDF hay ảnh JPEG, PNG, TIFF; không nhận.")
    if kind == "pdf":
        return Part(path.name, data, kind, check_pdf(data, path.name).pages, None)
    frames, dpi = _image_facts(data, path.name)
    return Part(path.name, data, kind, frames, dpi)


def _lossless_copy(data: bytes) -> list[bytes]:
    """Each frame re-encoded as RGB/greyscale PNG: for images img2pdf cannot embed as they are (alpha)."""
    out = []
    with Image.open(io.BytesIO(data)) as image:
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            frame = image.convert("L" if image.mode in ("1", "L", "LA") else "RGB")
            buffer = io.BytesIO()
            frame.save(buffer, format="PNG", dpi=image.info.get("dpi", (0, 0)))
            out.append(buffer.getvalue())
    return out


def _convert(images: list[bytes] | bytes) -> bytes:
    """img2pdf without dates in the PDF: the same scan always makes the same bytes (one blob, one hash)."""
    return bytes(img2pdf.convert(images, nodate=True))


def _images_to_pdf(parts: Sequence[Part]) -> bytes:
    """One PDF of these images in order, embedding JPEG and CCITT/PNG data unchanged where img2pdf can."""
    try:
        return _convert([part.data for part in parts])
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError):
        pass
    sources: list[bytes] = []
    for part in parts:
        try:
            _convert(part.data)
            sources.append(part.data)
        except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError):
            sources.extend(_lossless_copy(part.data))
    return _convert(sources)


def _merge(pdfs: Sequence[bytes]) -> bytes:
    """Pages of several PDFs, in order, as one PDF (page content copied, never re-rendered)."""
    merged = pikepdf.new()
    for data in pdfs:
        with pikepdf.open(io.BytesIO(data)) as source:
            merged.pages.extend(source.pages)
    buffer = io.BytesIO()
    merged.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _runs(parts: Sequence[Part]) -> list[bytes]:
    """PDFs in order: each PDF as given, each run of consecutive images as one converted PDF."""
    out: list[bytes] = []
    images: list[Part] = []
    for part in [*parts, None]:
        if part is not None and part.kind == "image":
            images.append(part)
            continue
        if images:
            out.append(_images_to_pdf(images))
            images = []
        if part is not None:
            out.append(part.data)
    return out


def prepare(paths: Sequence[Path], max_mb: int) -> Prepared:
    """Check every file, then make the one PDF the attachment stores; nothing is written anywhere."""
    if not paths:
        raise AttachmentRefused("Chưa chọn tệp nào để đính kèm.")
    max_bytes = max_mb * 1_048_576
    parts = [check_file(Path(p), max_bytes, max_mb) for p in paths]
    pdfs = _runs(parts)
    data = pdfs[0] if len(pdfs) == 1 else _merge(pdfs)
    if len(data) > max_bytes:
        raise AttachmentRefused(f"Tệp đính kèm gộp lại nặng {len(data) / 1_048_576:.1f} MB, "
                                f"quá giới hạn {max_mb} MB.")
    known = [p.dpi for p in parts if p.dpi is not None]
    warnings = tuple(f"Ảnh {p.name} có độ phân giải {p.dpi} dpi, dưới {MIN_DPI} dpi theo quy định số hóa."
                     for p in parts if p.dpi is not None and p.dpi < MIN_DPI)
    return Prepared(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=sum(p.pages for p in parts),
                    dpi=min(known) if known else None, warnings=warnings)
