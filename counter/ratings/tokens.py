"""One rating per dossier through a one-time token bound to it; a `rated` event, synced like every other.

Levels: 3 = Rất hài lòng, 2 = Hài lòng, 1 = Không hài lòng. Only the token's SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from counter.errors import CounterError
from counter.ratings.levels import LEVELS, RATED
from counter.store.models import DossierEvent, RatingToken


class RatingRefused(CounterError):
    """A rating that is not taken; `status` is the HTTP status the display answers with."""

    title = "Không nhận đánh giá"

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(session: Session, dossier_code: str, now: datetime, minutes: int) -> str:
    """A new token for rating `dossier_code`, valid for `minutes`; only its hash is stored."""
    token = secrets.token_urlsafe(18)
    session.add(RatingToken(token_hash=_digest(token), dossier_code=dossier_code, issued_at=now,
                            expires_at=now + timedelta(minutes=minutes)))
    return token


def is_rated(session: Session, dossier_uuid: str) -> bool:
    """True when the dossier already has its rating."""
    return bool(session.exec(select(func.count()).select_from(DossierEvent).where(
        DossierEvent.dossier_uuid == dossier_uuid, DossierEvent.type == RATED)).one())


def check_level(level: object, reasons: object, allowed: tuple[str, ...]) -> tuple[int, list[str]]:
    """The level (1–3) and reasons (from the configured list) of a rating, or RatingRefused (400)."""
    if type(level) is str and level.strip().isdigit():
        level = int(level.strip())
    if type(level) is not int or level not in LEVELS:
        raise RatingRefused("Mức đánh giá phải là 3 (Rất hài lòng), 2 (Hài lòng) hoặc 1 (Không hài lòng).", 400)
    chosen = [] if reasons is None else reasons
    if not isinstance(chosen, list) or any(r not in allowed for r in chosen):
        raise RatingRefused("Lý do đánh giá phải chọn trong danh sách có sẵn.", 400)
    return level, list(dict.fromkeys(chosen))


def redeem(session: Session, dossier_code: str, token: str, now: datetime) -> RatingToken:
    """Use the token to rate `dossier_code`: refused when unknown, of another dossier, used or expired."""
    row = session.get(RatingToken, _digest(token))
    if row is None:
        raise RatingRefused("Mã đánh giá không hợp lệ.", 403)
    if row.dossier_code != dossier_code:
        raise RatingRefused("Mã đánh giá này không dành cho hồ sơ này.", 403)
    if row.used_at is not None:
        raise RatingRefused("Mã đánh giá đã được dùng; mỗi hồ sơ chỉ đánh giá một lần.", 409)
    if now > row.expires_at:
        raise RatingRefused("Mã đánh giá đã hết hạn.", 410)
    row.used_at = now
    session.add(row)
    return row
