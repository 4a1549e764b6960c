"""Citizen ratings: issue a dossier's one-time rating token, take the rating, read the month's figures."""

from __future__ import annotations

from counter.context import CounterContext
from counter.custody import audit
from counter.errors import NotFoundError
from counter.ratings import tokens
from counter.ratings.satisfaction import SatisfactionReport, month_bounds, satisfaction
from counter.ratings.tokens import LEVELS, RATED, RatingRefused
from counter.records.dossiers import append_event, get_dossier
from counter.store.models import Dossier

VIA = {"display": "màn hình công dân", "keypad": "bàn phím tại quầy"}


def issue(ctx: CounterContext, code: str, viewer: str) -> str:
    """A new one-time token for rating dossier `code` (refused when it is rated already)."""
    now = ctx.now()
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        if tokens.is_rated(session, dossier.uuid):
            raise RatingRefused("Hồ sơ này đã được đánh giá.", 409)
        token = tokens.issue(session, dossier.code, now, ctx.config.ratings.token_minutes)
        audit.record(session, viewer, "rating:link", "dossier", dossier.code, "", at=now)
    return token


def rate(ctx: CounterContext, code: str, token: str, level: object, reasons: object, via: str,
         viewer: str) -> Dossier:
    """Take the citizen's rating of dossier `code`: one `rated` event, the token used, audited; or RatingRefused."""
    chosen, why = tokens.check_level(level, reasons, ctx.config.ratings.reasons)
    now = ctx.now()
    with ctx.store.write() as session:
        try:
            dossier = get_dossier(session, code)
        except NotFoundError as exc:
            raise RatingRefused(exc.message, 404) from None
        tokens.redeem(session, dossier.code, token, now)
        if tokens.is_rated(session, dossier.uuid):
            raise RatingRefused("Hồ sơ này đã được đánh giá.", 409)
        payload = {"level": chosen, "reasons": why, "via": via, "served_by": dossier.clerk}
        dossier = append_event(session, ctx, dossier, RATED, payload, viewer, now)
        audit.record(session, viewer, "rated", "dossier", dossier.code, f"{LEVELS[chosen]} qua {VIA[via]}", at=now)
    return dossier


def report(ctx: CounterContext, year: int, month: int, viewer: str, form: str) -> SatisfactionReport:
    """The month's satisfaction figures; viewing or exporting them is audited."""
    start, end = month_bounds(year, month)
    with ctx.store.write() as session:
        found = satisfaction(session, start, end, f"{year:04d}-{month:02d}")
        audit.record(session, viewer, "view" if form in ("text", "tui") else "export", "report",
                     f"satisfaction {found.label}", form, at=ctx.now())
    return found
