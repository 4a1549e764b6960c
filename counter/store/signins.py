"""The SQL of `counter login` sessions and the account check every command makes (plain DB-API, no ORM)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from counter.store.rows import to_sql


def open_session(conn: Any, token_hash: str) -> tuple[str, str, datetime] | None:
    """(account, OS user, expiry) of the session with this token hash that has not ended, or None."""
    found = conn.execute("SELECT clerk, os_user, expires_at FROM cli_session WHERE token_hash = ? AND ended_at IS NULL",
                         (token_hash,)).fetchone()
    return None if found is None else (str(found[0]), str(found[1]), datetime.fromisoformat(str(found[2])))


def account(conn: Any, name: str) -> tuple[str, bool] | None:
    """(role, active) of the account with this name, or None."""
    found = conn.execute("SELECT role, active FROM clerk WHERE name = ?", (name,)).fetchone()
    return None if found is None else (str(found[0]), bool(found[1]))


def add_session(conn: Any, token_hash: str, clerk: str, os_user: str, created_at: datetime,
                expires_at: datetime) -> None:
    """Record a new session (only its token's hash)."""
    conn.execute("INSERT INTO cli_session (token_hash, clerk, os_user, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                 (token_hash, clerk, os_user, to_sql(created_at), to_sql(expires_at)))


def end_session(conn: Any, token_hash: str, at: datetime) -> str | None:
    """Mark the open session with this token hash ended; its account, or None when none was open."""
    found = conn.execute("SELECT id, clerk FROM cli_session WHERE token_hash = ? AND ended_at IS NULL",
                         (token_hash,)).fetchone()
    if found is None:
        return None
    conn.execute("UPDATE cli_session SET ended_at = ? WHERE id = ?", (to_sql(at), found[0]))
    return str(found[1])
