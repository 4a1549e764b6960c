"""Each sync sends the audit head; the real hub keeps the newest per counter and flags a rewritten history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.custody import audit
from counter.reporting import reports
from counter.store import auditchain
from sync import state
from sync.client import run_pass
from tests.conftest import run_cli
from tests.synchelpers import HubProcess, enrolled_counter, open_dossier


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path / "hub.db").start()
    yield process
    process.stop()


def _heads(hub: HubProcess) -> list[dict[str, object]]:
    result = run_cli("hub", "audit-heads", "--db", str(hub.db), "--json")
    assert result.returncode == 0, result.stderr
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_hub_keeps_the_head_and_flags_a_rewritten_history(tmp_path: Path, hub: HubProcess) -> None:
    """Heads that extend are kept quietly; a chain rebuilt after an edit (hashes recomputed) is flagged."""
    ctx = enrolled_counter(tmp_path / "q1", hub)
    open_dossier(ctx)
    assert run_pass(ctx).link == "online"
    with ctx.store.read() as session:
        first = audit.verify(session)
    (row,) = _heads(hub)
    assert row["entries"] == first.count and row["head"] == first.head and row["broken_at"] is None
    open_dossier(ctx)
    assert run_pass(ctx).link == "online"
    (row,) = _heads(hub)
    assert row["entries"] > first.count and row["broken_at"] is None
    # someone with the key rewrites an early entry and recomputes every hash after it: verify passes locally
    raw = ctx.store.connect()
    raw.execute("DROP TRIGGER audit_log_no_update")
    raw.execute("UPDATE audit_log SET detail = 'đã sửa' WHERE id = 1")
    prev = auditchain.GENESIS
    for entry in raw.execute(f"SELECT {auditchain.ROW_COLUMNS} FROM audit_log ORDER BY id").fetchall():
        entry_hash = auditchain.link(prev, auditchain.content_digest(*entry[:7]))
        raw.execute("UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE id = ?", (prev, entry_hash, entry[0]))
        prev = entry_hash
    raw.close()
    with ctx.store.read() as session:
        assert audit.verify(session).ok
    assert run_pass(ctx).link == "online"
    (row,) = _heads(hub)
    assert row["broken_at"] is not None
    with ctx.store.read() as session:
        assert json.loads(state.get_value(session, state.AUDIT_FLAGGED, "[]")) == [ctx.config.counter.id]
        assert state.get_value(session, state.AUDIT_BROKEN, "")
    text = run_cli("hub", "audit-heads", "--db", str(hub.db))
    assert "BỊ VIẾT LẠI" in text.stdout
    with ctx.store.read() as session:
        work = reports.stuck_work(session, ctx.now(), ctx.calendar)
    assert work.audit_flagged == [ctx.config.counter.id] and work.to_json()["audit_flagged"] == ["Q1"]
    ctx.close()
