"""Clerk names from the local database (kept minimal until PIN login arrives)."""

from __future__ import annotations

from sqlmodel import col, select

from counter.context import CounterContext
from counter.store.models import Clerk, Dossier


def known_clerks(ctx: CounterContext) -> list[str]:
    """Active clerks, then names seen on this counter's dossiers, alphabetically."""
    with ctx.store.read() as session:
        names = set(session.exec(select(Clerk.name).where(col(Clerk.active).is_(True))))
        here = Dossier.counter_id == ctx.config.counter.id
        names |= set(session.exec(select(Dossier.clerk).where(here).distinct()))
    return sorted(n for n in names if n)


def ensure_clerk(ctx: CounterContext, name: str) -> None:
    """Record a clerk by name the first time it is used."""
    with ctx.store.write() as session:
        if session.exec(select(Clerk).where(Clerk.name == name)).first() is None:
            session.add(Clerk(name=name, created_at=ctx.now()))
