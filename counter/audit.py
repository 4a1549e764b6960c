"""Append-only audit log: who looked at or changed which citizen or dossier, and when."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from counter.store.models import AuditEntry


def record(session: Session, clerk: str, action: str, subject_kind: str, subject_ref: str,
           detail: str = "", at: datetime | None = None) -> None:
    """Add one audit entry inside the caller's transaction (ID numbers must already be masked)."""
    session.add(AuditEntry(at=at or datetime.now(), clerk=clerk, action=action, subject_kind=subject_kind,
                           subject_ref=subject_ref, detail=detail))


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
