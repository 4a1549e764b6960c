"""Append-only audit log: who looked at or changed which citizen or dossier, and when."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from counter.store.models import AuditEntry


def record(session: Session, clerk: str, action: str, subject_kind: str, subject_ref: str,
           detail: str = "", at: datetime | None = None) -> None:
    """Add one audit entry inside the caller's transaction (ID numbers must already be masked)."""
    session.add(AuditEntry(at=at or datetime.now(), clerk=clerk, action=action, subject_kind=subject_kind,
                           subject_ref=subject_ref, detail=detail))
