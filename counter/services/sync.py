"""What a clerk or technician views of the sync with the province: held and refused events."""

from __future__ import annotations

from typing import Any

from counter.context import CounterContext
from counter.store.models import DossierEvent, HeldEvent


def held(ctx: CounterContext) -> list[HeldEvent]:
    """Pulled events kept aside (not applied), in the hub's order."""
    from sync import pulled

    with ctx.store.read() as session:
        return pulled.held(session)


def quarantined(ctx: CounterContext) -> list[dict[str, Any]]:
    """The events the hub refused, oldest first, as JSON."""
    from sync import state

    with ctx.store.read() as session:
        rows: list[DossierEvent] = state.quarantined(session)
        return [{"id": e.id, "dossier": e.dossier_code, "type": e.type, "reason": e.quarantine_reason} for e in rows]
