"""Helpers for the document tests: a dossier with every kind of event, PDF text and PDF pictures."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import datetime, timedelta
from typing import Any

from counter.citizens import identity
from counter.context import CounterContext
from counter.law import lifecycle
from counter.qr.qrimage import decode_image
from counter.records.dossiers import DossierDraft
from counter.services.dossiers import change_status, create_dossier, reschedule
from counter.store.models import Dossier

CLERK = "Nguyễn Thị Lan"
REFUSAL = "Người yêu cầu không có quyền đăng ký khai sinh cho trẻ"
MISSING = ("Giấy chứng sinh (bản chính)", "Giấy chứng nhận kết hôn của cha mẹ")
RESCHEDULE_REASON = "Phải xác minh nơi sinh với Trạm y tế xã"


def birth_values(today: datetime) -> dict[str, str]:
    """Typed values of a birth registration (the child is never scanned)."""
    return {"requester_relationship": "Mẹ", "child_name": "Trần Minh Khôi",
            "child_birth_date": (today - timedelta(days=20)).date().isoformat(), "child_sex": "Nam",
            "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_birthplace": "Trạm y tế xã Hải Minh",
            "child_hometown": "Tỉnh Nam Định"}


def birth_dossier(ctx: CounterContext, mother_payload: str) -> Dossier:
    """A birth dossier received three days ago at 09:15 by CLERK, the mother scanned as requester."""
    received = (ctx.now() - timedelta(days=3)).replace(hour=9, minute=15, second=0)
    mother = identity.parse(mother_payload)
    draft = DossierDraft("khai-sinh", {"requester": mother, "mother": mother}, birth_values(received))
    return create_dossier(ctx, draft, CLERK, received_at=received)


def with_all_events(ctx: CounterContext, dossier: Dossier) -> Dossier:
    """Ask for a supplement, resume, reschedule once, then refuse: every slip has its event."""
    start = dossier.received_at
    change_status(ctx, dossier.code, lifecycle.NEED_SUPPLEMENT, CLERK, reason="; ".join(MISSING),
                  at=start + timedelta(minutes=20))
    change_status(ctx, dossier.code, lifecycle.PROCESSING, CLERK, at=start + timedelta(hours=1))
    reschedule(ctx, dossier.code, dossier.due_at + timedelta(days=2), RESCHEDULE_REASON, CLERK,
               at=start + timedelta(hours=2))
    return change_status(ctx, dossier.code, lifecycle.REFUSED, CLERK, reason=REFUSAL, at=start + timedelta(hours=3))


def pdf_pages_text(data: bytes) -> list[str]:
    """The text of every page, whitespace collapsed to single spaces (lines wrap anywhere)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def is_nfc(text: str) -> bool:
    """True when the extracted text is in precomposed (NFC) form."""
    return unicodedata.is_normalized("NFC", text)


def pdf_page_images(data: bytes, dpi: int = 200) -> list[Any]:
    """Every page rendered to a PIL image with PDFium."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [document[i].render(scale=dpi / 72).to_pil() for i in range(len(document))]
    finally:
        document.close()


def qr_codes(image: Any) -> list[str]:
    """Payloads of the QR codes in an image, read with the project's own decoder."""
    return [raw.decode("utf-8") for raw in decode_image(image)]
