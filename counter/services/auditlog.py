"""Reading the append-only audit log (the supervisor's tab and `counter audit`), and checking its chain."""

from __future__ import annotations

from datetime import datetime

from counter.context import CounterContext
from counter.custody import audit
from counter.store.auditchain import ChainReport
from counter.store.models import AuditEntry


def entries(ctx: CounterContext, clerk: str | None = None, since: datetime | None = None,
            until: datetime | None = None, action: str | None = None, subject: str | None = None,
            limit: int = 500) -> list[AuditEntry]:
    """Matching entries, newest first."""
    with ctx.store.read() as session:
        return audit.entries(session, clerk=clerk, since=since, until=until, action=action, subject=subject,
                             limit=limit)


def verify(ctx: CounterContext) -> ChainReport:
    """Check the whole hash chain in id order."""
    with ctx.store.read() as session:
        return audit.verify(session)
