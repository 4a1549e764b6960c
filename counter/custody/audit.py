"""Append-only audit log: who looked at or changed which citizen or dossier, and when."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from counter.store import rows
from counter.store.auditchain import ChainReport, append, ordered_rows, verify_rows

if TYPE_CHECKING:
    from sqlmodel import Session

    from counter.store.models import AuditEntry


def record(session: Session, clerk: str, action: str, subject_kind: str, subject_ref: str,
           detail: str = "", at: datetime | None = None) -> None:
    """Add one audit entry, chained to the one before, inside the caller's write transaction
    (ID numbers must already be masked)."""
    record_on(rows.driver(session), clerk, action, subject_kind, subject_ref, detail, at)


def record_on(conn: Any, clerk: str, action: str, subject_kind: str, subject_ref: str,
              detail: str = "", at: datetime | None = None) -> None:
    """`record` inside a plain DB-API write transaction (counter.store.db.Store.transaction)."""
    append(conn, clerk, action, subject_kind, subject_ref, detail, at or datetime.now())


def verify(session: Session) -> ChainReport:
    """Check the whole chain in id order (counter audit verify)."""
    return verify_rows(tuple(row) for row in ordered_rows(rows.driver(session)))


def entries(session: Session, clerk: str | None = None, since: datetime | None = None,
            until: datetime | None = None, action: str | None = None, subject: str | None = None,
            limit: int = 500) -> list[AuditEntry]:
    """Audit entries newest first, filtered by clerk, time range, action prefix and subject reference."""
    from sqlmodel import col, select

    from counter.store.models import AuditEntry

    query = select(AuditEntry).order_by(col(AuditEntry.at).desc(), col(AuditEntry.id).desc()).limit(limit)
    if clerk:
        query = query.where(AuditEntry.clerk == clerk)
    if since is not None:
        query = query.where(col(AuditEntry.at) >= since)
    if until is not None:
        query = query.where(col(AuditEntry.at) < until)
    if action:
        query = query.where(col(AuditEntry.action).startswith(action))
    if subject:
        query = query.where(col(AuditEntry.subject_ref).contains(subject))
    return list(session.exec(query))
