"""The notices written for citizens and where each one is (the list is a view of personal data: audited)."""

from __future__ import annotations

from counter.context import CounterContext
from counter.custody import audit
from counter.records.notices import NoticeView, list_notices


def notices(ctx: CounterContext, viewer: str) -> list[NoticeView]:
    """Every notice, newest first, with its delivery state."""
    with ctx.store.write() as session:
        found = list_notices(session)
        audit.record(session, viewer, "view", "notices", f"{len(found)} thông báo", "", at=ctx.now())
    return found
