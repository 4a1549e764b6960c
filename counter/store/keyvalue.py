"""The counter's small key-value table (`sync_state`): sync progress, the last backup, the restore mark."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from counter.store.models import RESTORED_KEY, SyncState

LAST_BACKUP = "last_backup_at"
"""When the last backup of this counter was written (ISO time)."""
RESTORED = RESTORED_KEY
"""Set by `counter restore`: the next sync pass pulls this counter's own events before pushing."""


def get_value(session: Session, key: str, default: str = "") -> str:
    """One stored value."""
    row = session.get(SyncState, key)
    return row.value if row is not None else default


def set_values(session: Session, **values: str) -> None:
    """Store values inside the caller's transaction."""
    for key, value in values.items():
        row = session.get(SyncState, key)
        if row is None:
            session.add(SyncState(key=key, value=value))
        else:
            row.value = value
            session.add(row)


def set_raw(conn: Any, key: str, value: str) -> None:
    """Store one value through a bare DB-API connection (a database being restored, before any session)."""
    conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)", (key, value))
