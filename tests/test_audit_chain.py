"""The audit log as a hash chain: `counter audit verify` finds an edited, deleted or inserted entry."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from counter import audit
from counter.auditchain import GENESIS, content_digest, link
from counter.context import CounterContext
from counter.store import open_store
from counter.store.migrations import migrate
from tests.conftest import run_cli


def _fill(ctx: CounterContext, n: int = 6) -> None:
    with ctx.store.write() as session:
        for i in range(n):
            audit.record(session, "An", "view", "dossier", f"D-{i}", "chi tiết", at=datetime(2026, 3, 9, 8, i))


def _tamper(ctx: CounterContext, *statements: str) -> None:
    """What someone with the database key and a SQL shell could do: drop the guard and rewrite rows."""
    raw = ctx.store.connect()
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("DROP TRIGGER audit_log_no_delete")
    for statement in statements:
        raw.execute(statement)
    raw.close()


def _verify(ctx: CounterContext) -> tuple[int, dict[str, object], str]:
    result = run_cli("audit", "verify", "--json", config=Path(ctx.config.source))
    return result.returncode, json.loads(result.stdout), result.stderr


def test_intact_chain_verifies_with_count_and_head(ctx: CounterContext) -> None:
    """Every entry links to the one before; verify exits 0 with the count and the head hash."""
    _fill(ctx)
    with ctx.store.read() as session:
        report = audit.verify(session)
    assert report.ok and report.count == 6
    code, data, _ = _verify(ctx)
    assert code == 0 and data == {"ok": True, "entries": 6, "head": report.head}
    text = run_cli("audit", "verify", config=Path(ctx.config.source))
    assert text.returncode == 0 and "6 mục" in text.stdout and report.head in text.stdout


def test_edited_field_is_named_by_id_and_time(ctx: CounterContext) -> None:
    """Changing one word of entry 3 makes verify exit 1 naming entry 3 and its time."""
    _fill(ctx)
    _tamper(ctx, "UPDATE audit_log SET detail = 'khác' WHERE id = 3")
    code, data, _ = _verify(ctx)
    assert code == 1 and data["first_bad_id"] == 3 and data["first_bad_at"] == "2026-03-09T08:02:00"
    assert data["entries"] == 2
    text = run_cli("audit", "verify", config=Path(ctx.config.source))
    assert text.returncode == 1 and "mục 3" in text.stderr and len(text.stderr.strip().splitlines()) == 1


def test_deleted_entry_is_found(ctx: CounterContext) -> None:
    """Deleting entry 4 breaks the link of entry 5."""
    _fill(ctx)
    _tamper(ctx, "DELETE FROM audit_log WHERE id = 4")
    code, data, _ = _verify(ctx)
    assert code == 1 and data["first_bad_id"] == 5


def test_inserted_entry_is_found(ctx: CounterContext) -> None:
    """A forged entry slipped in at id 4 with a correct hash: the entry that was 4 no longer fits."""
    _fill(ctx)
    with ctx.store.read() as session:
        prev = audit.entries(session, limit=100)[-3].entry_hash  # entry 3
    forged = link(prev, content_digest(4, datetime(2026, 3, 9, 8, 2, 30), "Kẻ gian", "view", "dossier", "X", ""))
    _tamper(ctx, "UPDATE audit_log SET id = id + 100 WHERE id >= 4",
            "UPDATE audit_log SET id = id - 99 WHERE id >= 104",
            "INSERT INTO audit_log (id, at, clerk, action, subject_kind, subject_ref, detail, prev_hash, "
            f"entry_hash) VALUES (4, '2026-03-09 08:02:30.000000', 'Kẻ gian', 'view', 'dossier', 'X', '', "
            f"'{prev}', '{forged}')")
    code, data, _ = _verify(ctx)
    assert code == 1 and data["first_bad_id"] == 5


def test_migration_chains_existing_entries_in_order(tmp_path: Path) -> None:
    """A version-5 database with audit entries is chained on upgrade, oldest first."""
    path = tmp_path / "counter.db"
    old = sqlite3.connect(path, isolation_level=None)
    migrate(old, target=5)
    for i in range(3):
        old.execute("INSERT INTO audit_log (at, clerk, action, subject_kind, subject_ref) "
                    "VALUES (?, 'An', 'view', 'dossier', ?)", (f"2026-03-0{i + 1} 08:00:00.000000", f"D-{i}"))
    old.close()
    store = open_store(path)
    with store.read() as session:
        report = audit.verify(session)
        first = audit.entries(session)[-1]
    assert report.ok and report.count == 3
    assert first.prev_hash == GENESIS
    store.close()
