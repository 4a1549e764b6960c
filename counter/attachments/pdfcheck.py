"""PDF checks at intake: readable, not encrypted, no JavaScript, no embedded files or launch actions."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf

from counter.errors import CounterError

ACTIVE_KEYS = ("/JS", "/JavaScript", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia")
"""Dictionary keys and types that carry scripts or files; a scanned paper never needs them."""


class AttachmentRefused(CounterError):
    """A file offered as an attachment cannot be taken; one sentence says why, nothing is stored."""

    title = "Không nhận tệp"


@dataclass(frozen=True)
class PdfFacts:
    """What intake learns of a valid PDF."""

    pages: int


def _active_content(pdf: pikepdf.Pdf) -> str | None:
    """The first script- or file-carrying key or type found in any object of the document, or None."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        for key in ACTIVE_KEYS:
            if key in obj:
                return key
        kind = obj.get("/Type") if isinstance(obj, pikepdf.Dictionary) else obj.stream_dict.get("/Type")
        subtype = obj.get("/S") if isinstance(obj, pikepdf.Dictionary) else None
        for value in (kind, subtype):
            if value is not None and str(value) in ACTIVE_KEYS:
                return str(value)
    return None


def check_pdf(data: bytes, name: str) -> PdfFacts:
    """Open `data` strictly (no repair of a damaged file) and refuse anything a scan should not carry."""
    if b"%%EOF" not in data[-1024:]:
        raise AttachmentRefused(f"Tệp {name} là PDF bị cắt cụt (thiếu phần cuối); hãy quét hoặc sao chép lại.")
    try:
        pdf = pikepdf.open(io.BytesIO(data), attempt_recovery=False)
    except pikepdf.PasswordError:
        raise AttachmentRefused(f"Tệp {name} là PDF có mật khẩu; hãy dùng bản không mã hóa.") from None
    except pikepdf.PdfError:
        raise AttachmentRefused(f"Tệp {name} là PDF hỏng, không đọc được; hãy quét hoặc sao chép lại.") from None
    with pdf:
        if pdf.is_encrypted:
            raise AttachmentRefused(f"Tệp {name} là PDF được mã hóa; hãy dùng bản không mã hóa.")
        found = _active_content(pdf)
        if found in ("/EmbeddedFile", "/EmbeddedFiles", "/RichMedia"):
            raise AttachmentRefused(f"Tệp {name} là PDF có tệp đính kèm bên trong; chỉ nhận bản quét.")
        if found is not None:
            raise AttachmentRefused(f"Tệp {name} là PDF có mã lệnh (JavaScript hoặc lệnh chạy chương trình); "
                                    "chỉ nhận bản quét.")
        pages = len(pdf.pages)
    if pages == 0:
        raise AttachmentRefused(f"Tệp {name} là PDF không có trang nào.")
    return PdfFacts(pages=pages)
