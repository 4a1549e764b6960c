"""Helpers for the fee tests: dossiers of the charged procedures, made through the real write path."""

from __future__ import annotations

from datetime import datetime

from counter.citizens import identity
from counter.context import CounterContext
from counter.records.dossiers import DossierDraft
from counter.services.dossiers import create_dossier
from counter.store.models import Dossier
from tests.conftest import VALID_PAYLOAD

CLERK = "Nguyễn Thị Lan"


def copy_dossier(ctx: CounterContext, pages: int | str = 1, copies: int | str = 3, exemption: str = "",
                 at: datetime | None = None) -> Dossier:
    """A certified-copy request (chứng thực bản sao) of `pages` pages × `copies` copies."""
    person = identity.parse(VALID_PAYLOAD)
    values = {"document_name": "Bằng tốt nghiệp", "pages": str(pages), "copies": str(copies)}
    draft = DossierDraft("chung-thuc-ban-sao", {"requester": person}, values, exemption=exemption)
    return create_dossier(ctx, draft, CLERK, received_at=at)


def marital_dossier(ctx: CounterContext, exemption: str = "", at: datetime | None = None) -> Dossier:
    """A request for a marital-status certificate, a civil-status fee the province sets."""
    person = identity.parse(VALID_PAYLOAD)
    values = {"subject_ethnicity": "Kinh", "subject_nationality": "Việt Nam",
              "marital_status": "Chưa đăng ký kết hôn", "purpose": "Đăng ký kết hôn"}
    draft = DossierDraft("xac-nhan-tinh-trang-hon-nhan", {"subject": person}, values, exemption=exemption)
    return create_dossier(ctx, draft, CLERK, received_at=at)
