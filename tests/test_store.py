"""The local database: WAL + FULL, private files, integrity check, migrations from older versions."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import SQLModel

from counter.errors import StoreError
from counter.store import open_store
from counter.store.migrations import MIGRATIONS, migrate
from counter.text.textfold import fold


def test_pragmas_and_private_files(tmp_path: Path) -> None:
    """Connections use WAL with synchronous=FULL; directory 0700 and file 0600."""
    store = open_store(tmp_path / "data" / "counter.db")
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "data" / "counter.db").stat().st_mode) == 0o600


def test_schema_matches_the_models(tmp_path: Path) -> None:
    """The migrated schema has exactly the columns the SQLModel tables declare."""
    path = tmp_path / "counter.db"
    connection = open_store(path).connect()
    for table in SQLModel.metadata.sorted_tables:
        columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table.name})")}
        assert columns == {c.name for c in table.columns}, table.name


def test_old_database_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    """A version-1 file with a citizen opens, is migrated to the latest version and keeps the row."""
    path = tmp_path / "counter.db"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, target=1)
    now = datetime(2025, 1, 2, 9, 0).isoformat(" ")
    connection.execute(
        "INSERT INTO citizen (id_number, full_name, birth_date, sex, address, issue_date, card_kind, "
        "first_seen_at, last_seen_at) VALUES ('036090000123', 'Trần Văn Bình', '1990-04-15', 'Nam', 'Xóm 3', "
        "'2021-05-20', 'cccd_2021', ?, ?)", (now, now))
    connection.close()
    connection = open_store(path).connect()
    assert connection.execute("PRAGMA user_version").fetchone()[0] == MIGRATIONS[-1].version
    assert connection.execute("SELECT name_folded FROM citizen").fetchone()[0] == fold("Trần Văn Bình")


def test_newer_database_is_refused(tmp_path: Path) -> None:
    """A file from a newer app version is not touched."""
    path = tmp_path / "counter.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 999")
    with pytest.raises(StoreError, match="999"):
        open_store(path)


def test_corrupt_file_is_refused(tmp_path: Path) -> None:
    """A file that is not a database gives a clear error, not a traceback."""
    path = tmp_path / "counter.db"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match=r"counter\.db"):
        open_store(path)
