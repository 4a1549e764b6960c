"""The audit log as a hash chain: `counter audit verify` finds an edited, deleted or inserted entry."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from counter.context import CounterContext
from counter.custody import audit
from counter.store import open_store
from counter.store.auditchain import GENESIS, content_digest, link
from counter.store.migrations import migrate
from tests.conftest import Cli


def _fill(ctx: CounterContext, n: int = 6) -> dict[str, int]:
    """Add `n` entries D-0… and return their ids by subject (the accounts' own entries come before)."""
    with ctx.store.write() as session:
        for i in range(n):
            audit.record(session, "An", "view", "dossier", f"D-{i}", "chi tiết", at=datetime(2026, 3, 9, 8, i))
    with ctx.store.read() as session:
        return {e.subject_ref: int(e.id or 0) for e in audit.entries(session, subject="D-")}


def _tamper(ctx: CounterContext, *statements: str) -> None:
    """What someone with the database key and a SQL shell could do: drop the guard and rewrite rows."""
    raw = ctx.store.connect()
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("DROP TRIGGER audit_log_no_delete")
    for statement in statements:
        raw.execute(statement)
    raw.close()


def _verify(cli: Cli) -> tuple[int, dict[str, object], str]:
    result = cli("audit", "verify", "--json")
    return result.returncode, json.loads(result.stdout), result.stderr


def test_intact_chain_verifies_with_count_and_head(ctx: CounterContext, supervisor_cli: Cli) -> None:
    """Every entry links to the one before; verify exits 0 with the count and the head hash."""
    _fill(ctx)
    with ctx.store.read() as session:
        report = audit.verify(session)
        total = len(audit.entries(session, limit=10_000))
    assert report.ok and report.count == total >= 6
    code, data, _ = _verify(supervisor_cli)
    assert code == 0 and data == {"ok": True, "entries": total, "head": report.head}
    text = supervisor_cli("audit", "verify")
    assert text.returncode == 0 and f"{total} mục" in text.stdout and report.head in text.stdout


def test_edited_field_is_named_by_id_and_time(ctx: CounterContext, supervisor_cli: Cli) -> None:
    """Changing one word of an entry makes verify exit 1 naming that entry and its time."""
    ids = _fill(ctx)
    _tamper(ctx, f"UPDATE audit_log SET detail = 'khác' WHERE id = {ids['D-2']}")
    code, data, _ = _verify(supervisor_cli)
    assert code == 1 and data["first_bad_id"] == ids["D-2"] and data["first_bad_at"] == "2026-03-09T08:02:00"
    assert data["entries"] == ids["D-2"] - 1
    text = supervisor_cli("audit", "verify")
    assert text.returncode == 1 and f"mục {ids['D-2']}" in text.stderr
    assert len(text.stderr.strip().splitlines()) == 1


def test_deleted_entry_is_found(ctx: CounterContext, supervisor_cli: Cli) -> None:
    """Deleting an entry breaks the link of the next one."""
    ids = _fill(ctx)
    _tamper(ctx, f"DELETE FROM audit_log WHERE id = {ids['D-3']}")
    code, data, _ = _verify(supervisor_cli)
    assert code == 1 and data["first_bad_id"] == ids["D-4"]


def test_inserted_entry_is_found(ctx: CounterContext, supervisor_cli: Cli) -> None:
    """A forged entry slipped in before D-3 with a correct hash: the entry that held its id no longer fits."""
    ids = _fill(ctx)
    at, after = ids["D-3"], ids["D-3"] + 1
    with ctx.store.read() as session:
        prev = next(e.entry_hash for e in audit.entries(session, subject="D-2"))
    forged = link(prev, content_digest(at, datetime(2026, 3, 9, 8, 2, 30), "Kẻ gian", "view", "dossier", "X", ""))
    _tamper(ctx, f"UPDATE audit_log SET id = id + 1000 WHERE id >= {at}",
            f"UPDATE audit_log SET id = id - 999 WHERE id >= {at + 1000}",
            "INSERT INTO audit_log (id, at, clerk, action, subject_kind, subject_ref, detail, prev_hash, "
            f"entry_hash) VALUES ({at}, '2026-03-09 08:02:30.000000', 'Kẻ gian', 'view', 'dossier', 'X', '', "
            f"'{prev}', '{forged}')")
    code, data, _ = _verify(supervisor_cli)
    assert code == 1 and data["first_bad_id"] == after


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
