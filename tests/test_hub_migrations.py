"""Hub schema migrations (Alembic): a new hub and one made by create_all before protocol 2 both end at head,
with the tables sync/hub/schema.py declares (no drift) and their rows kept. PostgreSQL too when
$SYNC_TEST_POSTGRES names a server (see tests/synchelpers.hub_database)."""

from __future__ import annotations

import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Boolean, Column, DateTime, MetaData, String, Table, create_engine, insert, inspect, select

from sync.hub.migrate import head, revision_of
from sync.hub.schema import counter_token, database_url, make_engine, metadata
from tests.synchelpers import hub_database

PROTOCOL_1_TOKEN = Table(
    "hub_counter_token", MetaData(),
    Column("token_hash", String(64), primary_key=True),
    Column("unit_code", String(32), nullable=False),
    Column("counter_id", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)
"""hub_counter_token as create_all made it before protocol 2 added the sequence block."""


LATER_COLUMNS = {"hub_dossier": ("form_id", "received_at"), "hub_enrolment_code": ("counter_id",)}
"""Columns of revisions 0003 and 0004, which a create_all hub never had."""


def assert_at_head_without_drift(db: str) -> None:
    """The database is at the newest revision and its tables are exactly what schema.py declares."""
    engine = make_engine(db)
    with engine.connect() as conn:
        assert revision_of(conn) == head()
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


def test_new_hub_is_made_by_the_migrations(tmp_path: Path) -> None:
    """A fresh database gets every table through the revisions, and a second start changes nothing."""
    db = hub_database(tmp_path / "hub.db")
    assert_at_head_without_drift(db)
    assert_at_head_without_drift(db)


def test_create_all_hub_of_protocol_1_is_adopted(tmp_path: Path) -> None:
    """A hub made by create_all with the protocol-1 token table is brought to the baseline, stamped and
    upgraded; its token row survives with an empty sequence block."""
    db = hub_database(tmp_path / "old.db")
    old = MetaData()
    for table in metadata.sorted_tables:
        if table.name in ("hub_audit_head", "hub_blob", "hub_blob_chunk", "hub_notice"):  # revisions 0002, 0005
            continue  # and 0006, newer than any create_all hub
        if table.name in LATER_COLUMNS:  # without the columns of later revisions
            Table(table.name, old, *[c._copy() for c in table.columns if c.name not in LATER_COLUMNS[table.name]])
            continue
        (PROTOCOL_1_TOKEN if table.name == "hub_counter_token" else table).to_metadata(old)
    engine = create_engine(database_url(db))
    old.create_all(engine)
    with engine.begin() as conn:
        conn.execute(insert(old.tables["hub_counter_token"]).values(
            token_hash="a" * 64, unit_code="000.00.36.H40", counter_id="Q1", created_at=datetime(2026, 1, 5),
            revoked=False))
        assert "alembic_version" not in inspect(conn).get_table_names()
    engine.dispose()
    assert_at_head_without_drift(db)
    engine = create_engine(database_url(db))
    with engine.connect() as conn:
        row = conn.execute(select(counter_token)).one()
    engine.dispose()
    assert (row.counter_id, row.sequence_first, row.sequence_last) == ("Q1", None, None)


def test_downgrade_to_base_and_up_again(tmp_path: Path) -> None:
    """Every revision can be undone and redone (the scripts stay runnable, not only the newest state)."""
    from alembic import command

    from sync.hub.migrate import _config

    db = hub_database(tmp_path / "hub.db")
    make_engine(db).dispose()
    engine = create_engine(database_url(db))
    with engine.begin() as conn:
        command.downgrade(_config(conn), "base")
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    assert_at_head_without_drift(db)


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_the_hub_database_file_is_owner_only(tmp_path: Path) -> None:
    """A new SQLite hub is created 0600 (its WAL too); an older one made 0644 is tightened when opened."""
    new = tmp_path / "hub.db"
    engine = make_engine(str(new))
    with engine.begin() as conn:
        conn.execute(counter_token.delete())
    assert stat.S_IMODE(new.stat().st_mode) == 0o600
    assert stat.S_IMODE(Path(f"{new}-wal").stat().st_mode) == 0o600
    engine.dispose()
    old = tmp_path / "old.db"
    old.touch(mode=0o644)
    old.chmod(0o644)
    make_engine(str(old)).dispose()
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
