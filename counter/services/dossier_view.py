"""What a clerk views of one dossier: read over a plain DB-API connection (no ORM is imported, so
`counter dossier show` starts at once), the view written to the audit log in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from counter.context import CounterContext
from counter.custody import audit
from counter.errors import NotFoundError
from counter.law import formpins
from counter.law.forms import FormDef
from counter.records.views import detail_json
from counter.store import plain

if TYPE_CHECKING:
    from counter.store.models import Dossier


@dataclass(frozen=True)
class DossierView:
    """One dossier as a clerk opens it: the row, its JSON detail and the form version it was taken on."""

    dossier: plain.DossierRow
    detail: dict[str, Any]
    form: FormDef | None
    """None when the form of this dossier is no longer known to this counter."""


def view(ctx: CounterContext, code: str, clerk: str, via: str = "") -> DossierView:
    """Open one dossier (details, people, history); the view is written to the audit log."""
    with ctx.store.transaction() as conn:
        dossier = plain.dossier_by_code(conn, code.strip())
        if dossier is None:
            raise NotFoundError(f"Không có hồ sơ mã “{code.strip()}”.")
        detail = detail_json(conn, dossier)
        audit.record_on(conn, clerk, "view", "dossier", dossier.code, via, at=ctx.now())
        try:
            form: FormDef | None = formpins.form_of(conn, ctx.forms, dossier)
        except NotFoundError:
            form = None
    return DossierView(dossier, detail, form)


def detail(ctx: CounterContext, dossier: Dossier) -> dict[str, Any]:
    """The JSON detail of a dossier the clerk has just written (shown back to them, so not a new view)."""
    with ctx.store.connection() as conn:
        return detail_json(conn, dossier)


def record_view(ctx: CounterContext, clerk: str, kind: str, ref: str, detail: str = "") -> None:
    """Record that a clerk looked at a citizen or dossier shown without a read (`ref` already masked)."""
    with ctx.store.transaction() as conn:
        audit.record_on(conn, clerk, "view", kind, ref, detail, at=ctx.now())
