"""`counter db check|rebuild`: opening reads only the header; the whole-file check and rebuild on demand."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import text

from counter.context import CounterContext, open_context
from counter.errors import StoreError
from counter.records.dossiers import find
from counter.services.demo import fill_demo
from counter.store import open_store
from tests.conftest import run_cli, signed_in


def test_damaged_page_opens_and_db_check_finds_it(ctx: CounterContext, config_path: Path) -> None:
    """A file with a damaged data page still opens quickly; `counter db check` reads it all and says so."""
    fill_demo(ctx, 120, 5)
    path = ctx.config.database_path
    ctx.close()
    assert run_cli("db", "check", config=config_path).returncode == 0
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 12 * page
    data[10 * page + 100: 10 * page + 900] = b"\xa5" * 800
    path.write_bytes(bytes(data))
    open_store(path).close()
    result = run_cli("db", "check", config=config_path)
    assert result.returncode == 1 and "bị hỏng" in result.stderr and result.stderr.count("\n") == 1


def test_not_a_database_is_refused_by_its_header(tmp_path: Path) -> None:
    """A file with a foreign header is refused at open with the file named."""
    path = tmp_path / "counter.db"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 8000)
    with pytest.raises(StoreError, match=r"counter\.db"):
        open_store(path)


def test_rebuild_restores_rows_from_events(ctx: CounterContext, config_path: Path) -> None:
    """Dossier rows and the people index damaged by hand come back from the events, and search works again."""
    fill_demo(ctx, 30, 3)
    with ctx.store.read() as session:
        before = session.exec(text("SELECT code, status, due_at, people_json FROM dossier ORDER BY code")).all()
        name = session.exec(text("SELECT name_folded FROM dossier_person LIMIT 1")).one()[0]
    with ctx.store.write() as session:
        session.exec(text("UPDATE dossier SET status = 'x', due_at = '2000-01-01 00:00:00.000000'"))
        session.exec(text("DELETE FROM dossier_person"))
        assert find(session, name) == []
    result = signed_in(config_path, supervisor=True)("db", "rebuild")
    assert result.returncode == 0 and "30" in result.stdout
    again = open_context(config_path)
    with again.store.read() as session:
        after = session.exec(text("SELECT code, status, due_at, people_json FROM dossier ORDER BY code")).all()
        assert after == before
        assert find(session, name)
