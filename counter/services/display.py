"""What the citizen display shows now (read-only, no personal data beyond a masked ID number)."""

from __future__ import annotations

from typing import Any

from counter.context import CounterContext
from counter.display.state import display_state


def state(ctx: CounterContext) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(called, dossier) for this counter: the number called here and the dossier just saved, if any."""
    with ctx.store.read() as session:
        return display_state(session, ctx.config.queue, ctx.config.counter.id, ctx.now(),
                             ctx.config.ratings.token_minutes, ctx.config.payment)
