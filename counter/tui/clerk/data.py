"""Record the name of a clerk given when the app starts (PIN accounts come from counter.users)."""

from __future__ import annotations

from sqlmodel import select

from counter.context import CounterContext
from counter.store.models import Clerk


def ensure_clerk(ctx: CounterContext, name: str) -> None:
    """Record a clerk by name the first time it is used."""
    with ctx.store.write() as session:
        if session.exec(select(Clerk).where(Clerk.name == name)).first() is None:
            session.add(Clerk(name=name, created_at=ctx.now()))
