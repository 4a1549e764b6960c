"""What the papers of a dossier are built from, read for the screen that shows or prints them."""

from __future__ import annotations

from counter.context import CounterContext
from counter.documents.sources import Sources, load_sources


def sources(ctx: CounterContext, code: str, with_payment: bool = False) -> Sources:
    """The dossier `code` with its form, people and events (and, `with_payment`, how its fee is paid by
    transfer), detached from the database session."""
    with ctx.store.read() as session:
        return load_sources(session, ctx.config.unit, ctx.forms, code, ctx.config.payment if with_payment else None)
