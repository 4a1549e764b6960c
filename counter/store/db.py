"""Opening the local database: SQLCipher with the data directory's key, WAL + synchronous=FULL, migrate.

Every connection is keyed first (`PRAGMA key` with a raw 256-bit key: no key derivation per connection).
A plaintext database from an earlier version is encrypted in place on first start, atomically.
SQLAlchemy is imported only when an ORM session is first asked for: the reads and writes that must start
at once (`dossier show`, `report daily`) run on plain DB-API connections (`connection`, `transaction`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlcipher3

from counter import platform
from counter.errors import StoreError, os_reason
from counter.store.keys import KEY_ID_FILE, KeyStore, existing_key, key_store, new_key, read_key_id
from counter.store.migrations import MIGRATIONS, current_version, migrate

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

PLAINTEXT_HEADER = b"SQLite format 3\x00"
DatabaseError = sqlcipher3.dbapi2.DatabaseError


def connect(path: Path | str, key: bytes | None) -> Any:
    """A raw DB-API connection (autocommit), keyed before anything else when `key` is given."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA cipher_log_level = NONE")  # failures are reported once, as one sentence
    if key is not None:
        conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def configure(conn: Any) -> None:
    """WAL, synchronous=FULL, foreign keys and a generous busy timeout on one connection."""
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=10000"):
        conn.execute(f"PRAGMA {pragma}")


def _begin(connection: Any) -> None:
    immediate = connection.get_execution_options().get("immediate", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def ensure_private_dir(directory: Path) -> None:
    """Create `directory` if needed, private to the counter's accounts (counter.platform); one sentence when
    it cannot be (a file of that name, no permission, a read-only or system path)."""
    try:
        platform.make_private_dir(directory)
    except OSError as exc:
        raise StoreError(f"Không dùng được thư mục dữ liệu {directory}: {os_reason(exc)}; sửa [storage].data_dir "
                         "hoặc biến COUNTER_DATA_DIR.") from None


def is_plaintext(path: Path) -> bool:
    """True when `path` is an unencrypted SQLite file (asked of SQLite itself: opening the file with Python
    and closing it would drop this process's POSIX locks on it)."""
    conn = connect(path, None)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except DatabaseError:
        return False
    finally:
        conn.close()


def fsync_path(path: Path) -> None:
    """Flush a file (or, on POSIX, a directory entry) to disk."""
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """The counter's database: short read sessions and one-transaction writes, every connection keyed."""

    def __init__(self, path: Path, key: bytes | None = None) -> None:
        self.path = path
        self.key = key
        self._local = threading.local()
        self._idle: list[Any] = []
        self._raw_lock = threading.Lock()
        self._engine: Engine | None = None
        self._immediate: Engine | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (imported and built on first use), every connection keyed and configured."""
        with self._raw_lock:
            if self._engine is None:
                from sqlalchemy import event
                from sqlmodel import create_engine

                self._engine = create_engine(f"sqlite:///{self.path}", creator=self.connect,
                                             module=sqlcipher3.dbapi2)
                event.listen(self._engine, "begin", _begin)
            return self._engine

    def _writer(self) -> Engine:
        """The engine whose transactions begin with BEGIN IMMEDIATE (built with `engine`)."""
        if self._immediate is None:
            self._immediate = self.engine.execution_options(immediate=True)
        return self._immediate

    @property
    def encrypted(self) -> bool:
        """True when the file is encrypted with SQLCipher."""
        return self.key is not None

    def connect(self) -> Any:
        """A new configured raw connection to this database (keyed first)."""
        conn = connect(self.path, self.key)
        configure(conn)
        return conn

    def read(self) -> Session:
        """A session for reading; use as a context manager."""
        from sqlmodel import Session

        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction (BEGIN IMMEDIATE): committed on success, rolled back on any error.

        Inside another `write()` of the same thread it is a savepoint of that transaction, so a batch
        (the demo, a rebuild) can wrap many one-transaction operations in a single commit.
        """
        from sqlmodel import Session

        current: Session | None = getattr(self._local, "session", None)
        if current is not None:
            with current.begin_nested():
                yield current
            return
        with Session(self._writer(), expire_on_commit=False) as session, session.begin():
            self._local.session = session
            try:
                yield session
            finally:
                self._local.session = None

    def _current(self) -> Any:
        """The DB-API connection of this thread's open write transaction (ORM or plain), or None."""
        session = getattr(self._local, "session", None)
        if session is not None:
            return session.connection().connection.driver_connection
        return getattr(self._local, "plain", None)

    @contextmanager
    def _checked_out(self) -> Iterator[Any]:
        """An idle plain connection (a new one when none is idle), given back afterwards."""
        with self._raw_lock:
            conn = self._idle.pop() if self._idle else None
        conn = conn or self.connect()
        try:
            yield conn
        finally:
            with self._raw_lock:
                self._idle.append(conn)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """A plain DB-API connection for reads (autocommit: each statement sees the latest commit); inside a
        write transaction of the same thread, that transaction's connection."""
        current = self._current()
        if current is not None:
            yield current
            return
        with self._checked_out() as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """One write transaction (BEGIN IMMEDIATE) on a plain DB-API connection: committed on success,
        rolled back on any error; inside a write transaction of the same thread, part of that transaction."""
        current = self._current()
        if current is not None:
            yield current
            return
        with self._checked_out() as conn:
            conn.execute("BEGIN IMMEDIATE")
            self._local.plain = conn
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                self._local.plain = None

    def quick_check(self) -> str | None:
        """Run SQLite's `quick_check` over the whole file (seconds on a big one): None when sound, else why not."""
        conn = self.connect()
        try:
            rows = conn.execute("PRAGMA quick_check(3)").fetchall()
        finally:
            conn.close()
        findings = [line for row in rows for line in str(row[0]).splitlines() if line.strip()]
        return None if findings == ["ok"] else "; ".join(findings[:3])

    def close(self) -> None:
        """Release all connections."""
        if self._engine is not None:
            self._engine.dispose()
        with self._raw_lock:
            for conn in self._idle:
                conn.close()
            self._idle.clear()


def missing_key_message(path: Path) -> str:
    """The one sentence for a data directory whose key is not on this PC."""
    return (f"Không tìm thấy khoá giải mã của cơ sở dữ liệu {path} trên máy này; "
            "hãy khôi phục từ bản sao lưu (counter restore).")


def damaged_message(path: Path) -> str:
    """The one sentence for a database that cannot be read (truncated, bytes changed, wrong key)."""
    return (f"Cơ sở dữ liệu {path} bị hỏng (hoặc không khớp khoá) và được giữ nguyên; "
            "hãy khôi phục từ bản sao lưu (counter restore --force).")


def is_damage(exc: BaseException) -> bool:
    """True when SQLite (or SQLCipher) refused a page it read: a damaged file or a wrong key."""
    text = str(getattr(exc, "orig", exc)).lower()
    return type(exc).__name__ == "DatabaseError" and any(
        sign in text for sign in ("malformed", "not a database", "hmac", "corrupt"))


def encrypt_in_place(path: Path, key: bytes) -> None:
    """Convert the plaintext database at `path` to SQLCipher: export to a temporary file, fsync, rename.

    Any failure before the rename leaves the old file as it was (the temporary file is removed).
    """
    tmp = path.with_name(path.name + ".encrypting")
    tmp.unlink(missing_ok=True)
    try:
        source = connect(path, None)
        try:
            source.execute("PRAGMA busy_timeout=10000")
            version = int(source.execute("PRAGMA user_version").fetchone()[0])
            if version > MIGRATIONS[-1].version:
                raise StoreError(f"Không mở được cơ sở dữ liệu {path}: database schema version {version} "
                                 f"is newer than this app knows ({MIGRATIONS[-1].version}).")
            source.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(tmp),))
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute(f"PRAGMA encrypted.user_version = {version}")
            source.execute("DETACH DATABASE encrypted")
        finally:
            source.close()
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StoreError(f"Cơ sở dữ liệu {path} đang được một chương trình khác dùng; hãy đóng nó rồi thử lại.")
        fsync_path(tmp)
        wal.unlink(missing_ok=True)
        path.with_name(path.name + "-shm").unlink(missing_ok=True)
        os.replace(tmp, path)
        fsync_path(path.parent)
    except DatabaseError:
        raise StoreError(damaged_message(path)) from None
    finally:
        tmp.unlink(missing_ok=True)


def resolve_key(path: Path, encrypt: bool, keys: KeyStore) -> bytes | None:
    """The key to open `path` with (None: plaintext), converting or creating as needed; writes nothing
    when the key of an existing encrypted database is missing."""
    exists = path.exists() and path.stat().st_size > 0
    if exists and not is_plaintext(path):
        key = existing_key(path.parent, keys)
        if key is None:
            raise StoreError(missing_key_message(path))
        return key
    if path.exists() and not exists and read_key_id(path.parent):
        raise StoreError(damaged_message(path))
    if not encrypt:
        return None
    if not exists:
        return existing_key(path.parent, keys) or new_key(path.parent, keys)
    key = new_key(path.parent, keys)  # stored before the file depends on it
    try:
        encrypt_in_place(path, key)
    except BaseException:
        (path.parent / KEY_ID_FILE).unlink(missing_ok=True)
        raise
    return key


def _truncated(raw: Any, path: Path) -> bool:
    """True when the file is shorter than its header says (cheap: no page beyond the first is read)."""
    wal = path.with_name(path.name + "-wal")
    if not path.exists() or (wal.exists() and wal.stat().st_size > 0):
        return False
    pages = int(raw.execute("PRAGMA page_count").fetchone()[0])
    size = int(raw.execute("PRAGMA page_size").fetchone()[0])
    return path.stat().st_size < pages * size


STAGING_SUFFIX = ".khoi-phuc-dang-do"
"""A restore is built beside the data directory under this suffix, then swapped in by renaming."""
ASIDE_MARK = ".truoc-khoi-phuc-"


def interrupted_restore(path: Path) -> str | None:
    """Why a missing database must not be created afresh: a restore beside its directory was cut short."""
    if path.exists():
        return None
    data_dir = path.parent
    left = sorted(p.name for p in data_dir.parent.glob(f"{data_dir.name}{STAGING_SUFFIX}")) + sorted(
        p.name for p in data_dir.parent.glob(f"{data_dir.name}{ASIDE_MARK}*"))
    if not left:
        return None
    return (f"Thư mục dữ liệu {data_dir} trống nhưng bên cạnh có {', '.join(left)}: một lần khôi phục đã bị ngắt "
            "giữa chừng. Chạy lại counter restore, hoặc đổi tên thư mục dữ liệu cũ về như trước; quầy không tạo "
            "cơ sở dữ liệu mới (sẽ mất tài khoản và hồ sơ).")


def open_store(path: Path, encrypt: bool = True, keys: KeyStore | None = None,
               before_migrate: Callable[[Store, int], None] | None = None) -> Store:
    """Open (creating if needed) the database at `path`, checking its header, key and schema, and migrate it;
    `before_migrate(store, version)` runs first when an existing database is about to be migrated (an upgrade).

    The whole-file `quick_check` is not run here (it grows with the file): the app runs it in the
    background after start, `counter db check` on demand, and backups before copying.
    """
    cut_short = interrupted_restore(path)
    if cut_short:
        raise StoreError(cut_short)
    ensure_private_dir(path.parent)
    key = resolve_key(path, encrypt, keys or key_store())
    try:
        raw = connect(path, key)
    except DatabaseError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    try:
        raw.execute("SELECT count(*) FROM sqlite_master").fetchone()
        if _truncated(raw, path):
            raise StoreError(damaged_message(path))
        configure(raw)
        version = current_version(raw)
        if before_migrate is not None and 0 < version < MIGRATIONS[-1].version:
            old = Store(path, key)
            try:
                before_migrate(old, version)
            finally:
                old.close()
        migrate(raw)
    except DatabaseError:
        raise StoreError(damaged_message(path)) from None
    except RuntimeError as exc:
        raise StoreError(f"Không mở được cơ sở dữ liệu {path}: {exc}.") from None
    finally:
        raw.close()
    platform.make_private_file(path)
    return Store(path, key)
