"""Hand a dossier over to another counter of the unit: one `handed_over` event, written by its owner only."""

from __future__ import annotations

import re
from datetime import datetime

from counter.context import CounterContext
from counter.custody import audit
from counter.law import lifecycle
from counter.records.dossiers import TransitionRefused, append_event, get_dossier
from counter.records.projection import HANDED_OVER
from counter.store.models import Dossier

COUNTER_ID = re.compile(r"[A-Za-z0-9_-]{1,16}")


def hand_over(ctx: CounterContext, code: str, to: str, clerk: str, at: datetime | None = None) -> Dossier:
    """Pass a dossier that is not closed to counter `to`; from then on only that counter writes to it."""
    at = at or ctx.now()
    to = to.strip()
    if not COUNTER_ID.fullmatch(to):
        raise TransitionRefused("Mã quầy nhận chỉ gồm chữ, số, - hoặc _ (tối đa 16 ký tự).")
    if to == ctx.config.counter.id:
        raise TransitionRefused(f"Hồ sơ {code} đã thuộc quầy {to}.")
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        if dossier.status in lifecycle.CLOSED:
            raise TransitionRefused(
                f"Hồ sơ ở trạng thái “{lifecycle.label(dossier.status)}” đã kết thúc; không cần bàn giao.")
        dossier = append_event(session, ctx, dossier, HANDED_OVER, {"to": to}, clerk, at)
        audit.record(session, clerk, "hand_over", "dossier", code, f"→ {to}", at=at)
    return dossier
