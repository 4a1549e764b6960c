"""The reference hub's tables (SQLAlchemy Core) and engine setup for SQLite or PostgreSQL.

Every change here needs a revision in sync/hub/migrations/versions (tests/test_hub_migrations.py checks for drift).
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine, make_url

from sync.hub.migrate import upgrade

metadata = MetaData()

enrolment_code = Table(
    "hub_enrolment_code",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("unit_code", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("used_at", DateTime),
    Column("used_by", String(32)),
    Column("counter_id", String(32)),  # the only counter id the code enrols (NULL: codes issued before 0004)
)

counter_token = Table(
    "hub_counter_token",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("unit_code", String(32), nullable=False),
    Column("counter_id", String(32), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
    # The counter's block of daily sequence numbers (protocol 2); NULL for a counter enrolled with v1.
    Column("sequence_first", Integer),
    Column("sequence_last", Integer),
    # When it was revoked, and the requests refused since because of that (each one is also logged).
    Column("revoked_at", DateTime),
    Column("refused_uses", Integer, nullable=False, server_default="0"),
    Column("last_refused_at", DateTime),
)

hub_event = Table(
    "hub_event",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("dossier_uuid", String(36), nullable=False, index=True),
    Column("dossier_code", String(64), nullable=False),
    Column("unit_code", String(32), nullable=False),
    Column("type", String(40), nullable=False),
    Column("payload_json", Text, nullable=False),
    Column("hlc", String(64), nullable=False),
    Column("occurred_at", String(32), nullable=False),
    Column("clerk", String(200), nullable=False),
    Column("counter_id", String(32), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("stored_at", DateTime, nullable=False),
    Index("ix_hub_event_unit_seq", "unit_code", "seq"),
)

hub_dossier = Table(
    "hub_dossier",
    metadata,
    Column("uuid", String(36), primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("unit_code", String(32), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("counter_id", String(32), nullable=False),
    Column("events_count", Integer, nullable=False),
    Column("last_hlc", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # The form the hub checks the dossier's values against ("" when the hub lacks that form version).
    Column("form_id", String(64), nullable=False, server_default=""),
    Column("received_at", String(32), nullable=False, server_default=""),
)


audit_head = Table(
    "hub_audit_head",
    metadata,
    Column("unit_code", String(32), primary_key=True),
    Column("counter_id", String(32), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("head", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("broken_at", DateTime),
    Column("broken_count", Integer),
)
"""Each counter's newest audit-log head (sync/hub/auditheads.py); broken_at marks a rewritten history."""

hub_blob = Table(
    "hub_blob",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("received", BigInteger, nullable=False),
    Column("complete", Boolean, nullable=False),
    Column("units", Text, nullable=False),
)
"""Attachment blobs kept in the database (`--blobs db`, sync/hub/blobsql.py); `units` is a JSON list."""

hub_blob_chunk = Table(
    "hub_blob_chunk",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("byte_offset", BigInteger, primary_key=True, autoincrement=False),
    Column("data", LargeBinary, nullable=False),
)


hub_notice = Table(
    "hub_notice",
    metadata,
    Column("notice_id", String(36), primary_key=True),
    Column("event_seq", BigInteger().with_variant(Integer, "sqlite"), nullable=False, unique=True),
    Column("dossier_uuid", String(36), nullable=False),
    Column("dossier_code", String(64), nullable=False),
    Column("phone", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Index("ix_hub_notice_due", "state", "next_attempt_at"),
)
"""Status notices to citizens (sync/hub/notices.py): pending, sent or failed, with attempts."""


def database_url(db: str) -> str:
    """A SQLAlchemy URL from `--db`: a URL as given, or a plain path meaning a SQLite file."""
    return db if "://" in db else f"sqlite:///{db}"


def _sqlite_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "busy_timeout=30000"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _private_sqlite_file(url: str) -> None:
    """Create the hub's SQLite file owner-only (0600) before SQLite does, and tighten an older one; its -wal
    and -shm files take the same mode. (PostgreSQL: see sync/PROTOCOL.md on its roles and encryption.)"""
    path = make_url(url).database
    if not path or path == ":memory:" or os.name == "nt":  # Windows: the folder's ACL applies
        return
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def make_engine(db: str) -> Engine:
    """An engine for the hub database, migrated to the newest revision (sync.hub.migrate, Alembic);
    SQLite gets WAL, synchronous=FULL and write-locking BEGIN."""
    url = database_url(db)
    if url.startswith("sqlite"):
        _private_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    upgrade(engine)
    return engine
