"""Append-only audit log: who looked at or changed which citizen or dossier, and when."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from counter.store import rows
from counter.store.auditchain import GENESIS, ChainReport, content_digest, link, ordered_rows, verify_rows
from counter.store.models import AuditEntry


def record(session: Session, clerk: str, action: str, subject_kind: str, subject_ref: str,
           detail: str = "", at: datetime | None = None) -> None:
    """Add one audit entry, chained to the one before, inside the caller's write transaction
    (ID numbers must already be masked)."""
    last = session.exec(select(AuditEntry.id, AuditEntry.entry_hash).order_by(col(AuditEntry.id).desc())
                        .limit(1)).first()
    entry_id, prev = (int(last[0] or 0) + 1, last[1]) if last else (1, GENESIS)
    moment = at or datetime.now()
    entry_hash = link(prev, content_digest(entry_id, moment, clerk, action, subject_kind, subject_ref, detail))
    session.add(AuditEntry(id=entry_id, at=moment, clerk=clerk, action=action, subject_kind=subject_kind,
                           subject_ref=subject_ref, detail=detail, prev_hash=prev, entry_hash=entry_hash))


def verify(session: Session) -> ChainReport:
    """Check the whole chain in id order (counter audit verify)."""
    return verify_rows(tuple(row) for row in ordered_rows(rows.driver(session)))


def entries(session: Session, clerk: str | None = None, since: datetime | None = None,
            until: datetime | None = None, action: str | None = None, subject: str | None = None,
            limit: int = 500) -> list[AuditEntry]:
    """Audit entries newest first, filtered by clerk, time range, action prefix and subject reference."""
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
