"""The whole database as a stream of items (schema, rows, other schema objects) and back: what backups carry.

Items are JSON-ready: a table is `{"table": name, "sql": ...}` followed by its rows as lists (bytes as
`{"$b": base64}`), a virtual table `{"virtual": name, "sql": ...}`, an index, trigger or view
`{"schema": sql}`. Only these statements are accepted back, so a crafted backup cannot run anything else.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

from counter.store.auditchain import ChainReport, ordered_rows, verify_rows

ALLOWED = ("CREATE TABLE", "CREATE INDEX", "CREATE UNIQUE INDEX", "CREATE TRIGGER", "CREATE VIEW")
VIRTUAL = "CREATE VIRTUAL TABLE"
BATCH = 2000


class DumpRefused(ValueError):
    """An item that a dump of this store never contains (a statement outside ALLOWED)."""


def jsonable(value: Any) -> Any:
    """`json.dumps` default: bytes as {"$b": base64}."""
    if isinstance(value, bytes):
        return {"$b": base64.b64encode(value).decode("ascii")}
    raise TypeError(type(value).__name__)


def _value(value: Any) -> Any:
    return base64.b64decode(value["$b"]) if isinstance(value, dict) else value


def facts(conn: Any) -> tuple[int, int]:
    """The schema version and the number of dossiers, inside the caller's read transaction."""
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    return version, int(conn.execute("SELECT count(*) FROM dossier").fetchone()[0])


def dump(conn: Any) -> Iterator[dict[str, Any] | list[Any]]:
    """Every table's schema and rows, then indexes, triggers and views, inside the caller's read transaction."""
    objects = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
    for kind, name, sql in objects:
        if kind != "table" or name.startswith("sqlite_stat"):
            continue
        if sql.upper().startswith(VIRTUAL):
            yield {"virtual": name, "sql": sql}
            continue
        yield {"table": name, "sql": sql}
        for row in conn.execute(f'SELECT * FROM "{name}"'):
            yield list(row)
    for kind, _name, sql in objects:
        if kind in ("index", "trigger", "view"):
            yield {"schema": sql}


def _statement(sql: str) -> str:
    if not sql.upper().startswith(ALLOWED):
        raise DumpRefused("Bản sao lưu chứa câu lệnh không được phép.")
    return sql


def _virtual(conn: Any, name: str, sql: str) -> None:
    if not sql.upper().startswith(VIRTUAL):
        raise DumpRefused("Bản sao lưu chứa câu lệnh không được phép.")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master (type, name, tbl_name, rootpage, sql) VALUES ('table', ?, ?, 0, ?)",
                 (name, name, sql))
    conn.execute("PRAGMA writable_schema = OFF")


def load(conn: Any, items: list[Any], schema_version: int) -> None:
    """Rebuild a database from dumped items into an empty connection, in one transaction."""
    conn.execute("BEGIN")
    insert = ""
    batch: list[list[Any]] = []

    def flush() -> None:
        if batch:
            conn.executemany(insert, [[_value(v) for v in row] for row in batch])
            batch.clear()

    for item in items:
        if isinstance(item, list):
            batch.append(item)
            if len(batch) >= BATCH:
                flush()
            continue
        flush()
        if "table" in item:
            table = item["table"]
            if table != "sqlite_sequence":
                conn.execute(_statement(item["sql"]))
            columns = len(conn.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
            insert = f'INSERT INTO "{table}" VALUES ({", ".join("?" * columns)})'
        elif "virtual" in item:
            _virtual(conn, item["virtual"], item["sql"])
        elif "schema" in item:
            conn.execute(_statement(item["schema"]))
    flush()
    conn.execute(f"PRAGMA user_version = {int(schema_version)}")
    conn.execute("COMMIT")


def quick_check(conn: Any) -> str:
    """SQLite's quick_check of a loaded database ("ok" when sound)."""
    return str(conn.execute("PRAGMA quick_check").fetchone()[0])


def counts(conn: Any) -> dict[str, Any]:
    """Dossiers, events, audit entries and the newest dossier of a loaded database; the audit chain checked."""
    chain: ChainReport = verify_rows(ordered_rows(conn))
    newest = conn.execute("SELECT code, received_at FROM dossier ORDER BY received_at DESC, id DESC LIMIT 1").fetchone()
    return {
        "dossiers": conn.execute("SELECT count(*) FROM dossier").fetchone()[0],
        "events": conn.execute("SELECT count(*) FROM dossier_event").fetchone()[0],
        "audit_entries": chain.count if chain.ok else conn.execute("SELECT count(*) FROM audit_log").fetchone()[0],
        "newest_dossier": {"code": newest[0], "received_at": str(newest[1])} if newest else None,
        "audit_chain": chain.to_json(),
    }
