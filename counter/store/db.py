"""Opening the local database: private data directory, WAL + synchronous=FULL, header check, migrate."""

from __future__ import annotations

import sqlite3
import threading
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
        self._local = threading.local()

    def read(self) -> Session:
        """A session for reading; use as a context manager."""
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on any error.

        Inside another `write()` of the same thread it is a savepoint of that transaction, so a batch
        (the demo, a rebuild) can wrap many one-transaction operations in a single commit.
        """
        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            with current.begin_nested():
                yield current
            return
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    def quick_check(self) -> str | None:
        """Run SQLite's `quick_check` over the whole file (seconds on a big one): None when sound, else why not."""
        with self.engine.connect() as connection:
            rows = connection.exec_driver_sql("PRAGMA quick_check(3)").fetchall()
        findings = [line for row in rows for line in str(row[0]).splitlines() if line.strip()]
        return None if findings == ["ok"] else "; ".join(findings[:3])

    def close(self) -> None:
        """Release all connections."""
        self.engine.dispose()


SQLITE_HEADER = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    """Refuse a file that does not start like an SQLite database (cheap; the whole file is not read)."""
    with path.open("rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise StoreError(f"Tệp {path} không phải cơ sở dữ liệu của quầy (đầu tệp không đúng).")


def open_store(path: Path) -> Store:
    """Open (creating if needed) the database at `path`, checking its header and schema, and migrate it.

    The whole-file `quick_check` is not run here (it grows with the file): the app runs it in the
    background after start, `counter db check` on demand, and backups before copying.
    """
    ensure_private_dir(path.parent)
    if path.exists():
        _check_header(path)
    try:
        raw = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    try:
        _configure_connection(raw, None)
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        migrate(raw)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    except RuntimeError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    finally:
        raw.close()
    platform.make_private_file(path)
    return Store(path)
