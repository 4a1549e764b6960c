"""Plain DB-API statements for the hot write path, inside the session's transaction, in SQLAlchemy's formats.

The ORM's unit of work costs more than SQLite itself for one small row; saving a dossier writes a handful
of rows, so these helpers skip it. Values are stored exactly as SQLAlchemy stores them on SQLite
(datetimes as `YYYY-MM-DD HH:MM:SS.ffffff`), so ORM reads and SQL comparisons see the same text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlmodel import Session


def driver(session: Session) -> Any:
    """The DB-API connection of the session's current transaction (sqlite3 or a compatible driver)."""
    return session.connection().connection.driver_connection


def to_sql(value: Any) -> Any:
    """One Python value in the text form SQLAlchemy's SQLite dialect stores."""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def insert(session: Session, table: str, values: Mapping[str, Any]) -> int:
    """INSERT one row; returns its rowid."""
    columns = ", ".join(values)
    marks = ", ".join("?" * len(values))
    cursor = driver(session).execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                                     [to_sql(v) for v in values.values()])
    return int(cursor.lastrowid)


def update(session: Session, table: str, row_id: int, values: Mapping[str, Any], obj: Any = None) -> None:
    """UPDATE one row by id; `obj`, the ORM object of that row if loaded, gets the same values as committed."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    driver(session).execute(f"UPDATE {table} SET {assignments} WHERE id = ?",
                            [*(to_sql(v) for v in values.values()), row_id])
    if obj is not None:
        from sqlalchemy.orm.attributes import set_committed_value

        for key, value in values.items():
            set_committed_value(obj, key, value)
