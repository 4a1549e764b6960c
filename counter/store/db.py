"""Opening the local database: private data directory, WAL + synchronous=FULL, check, migrate."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from counter import platform
from counter.errors import StoreError
from counter.store.migrations import migrate


def _configure_connection(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` if needed, private to the counter's accounts (counter.platform)."""
    platform.make_private_dir(directory)


class Store:
    """The counter's SQLite database: short read sessions and one-transaction writes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine: Engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
        event.listen(self.engine, "connect", _configure_connection)
        event.listen(self.engine, "begin", _begin)
        self._writer = self.engine.execution_options(immediate=True)

    def read(self) -> Session:
        """A session for reading; use as a context manager."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on any error."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    def close(self) -> None:
        """Release all connections."""
        self.engine.dispose()


def open_store(path: Path, check: bool = True) -> Store:
    """Open (creating if needed) the database at `path`, check its integrity and apply migrations."""
    ensure_private_dir(path.parent)
    new_file = not path.exists()
    try:
        raw = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    try:
        _configure_connection(raw, None)
        if check and not new_file:
            result = raw.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise StoreError(f"Cơ sở dữ liệu {path} bị hỏng ({result}); hãy khôi phục từ bản sao lưu.")
        migrate(raw)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    except RuntimeError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    finally:
        raw.close()
    platform.make_private_file(path)
    return Store(path)
