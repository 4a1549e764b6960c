"""Hub schema migrations (Alembic, SQLite and PostgreSQL): new databases are made by them, and a database
made by `metadata.create_all` before migrations existed is adopted (brought to the baseline, then stamped)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, text
from sqlalchemy.engine import Engine

BASELINE = "0001"
LATE_COLUMNS = (("hub_counter_token", "sequence_first", "INTEGER"),
                ("hub_counter_token", "sequence_last", "INTEGER"))
"""Nullable columns added to the hub schema before migrations existed, which an older database may lack."""


def _config(connection: Connection | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    config.attributes["connection"] = connection
    return config


def head() -> str:
    """The newest revision the code knows."""
    return str(ScriptDirectory.from_config(_config(None)).get_current_head())


def revision_of(connection: Connection) -> str | None:
    """The revision a database is at (None before any migration)."""
    return MigrationContext.configure(connection).get_current_revision()


def _adopt(connection: Connection) -> None:
    """Bring a create_all database to the baseline by adding the late nullable columns it lacks."""
    inspector = inspect(connection)
    for table, column, kind in LATE_COLUMNS:
        if column not in {c["name"] for c in inspector.get_columns(table)}:
            connection.exec_driver_sql(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def upgrade(engine: Engine) -> None:
    """Bring the hub database to the newest revision, in one transaction, one hub process at a time."""
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(424243)"))
        config = _config(connection)
        tables = set(inspect(connection).get_table_names())
        if "alembic_version" not in tables and "hub_event" in tables:
            _adopt(connection)
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")
