"""The reference hub keeps the provincial-system contract (tests/adapter_contract.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

import pytest

from sync.adapter import REFERENCE, SystemSettings, UnknownSystem, open_system, system_names
from sync.hub.store import HubStore
from tests.adapter_contract import ProvincialSystemContract, Subject
from tests.conftest import run_cli
from tests.synchelpers import hub_database


def reference(db: str) -> Subject:
    """The reference hub over `db`, started through its entry point as `counter hub serve` starts it."""
    system = cast(HubStore, open_system(REFERENCE, SystemSettings(db)))
    return Subject(system, system.new_enrolment_code)


class TestReferenceHubOnSQLite(ProvincialSystemContract):
    """The reference hub on a SQLite file."""

    def make_subject(self, tmp_path: Path) -> Subject:
        """A fresh hub database file."""
        return reference(str(tmp_path / "hub.db"))


@pytest.mark.skipif(not os.environ.get("SYNC_TEST_POSTGRES"), reason="set SYNC_TEST_POSTGRES to a PostgreSQL server")
class TestReferenceHubOnPostgreSQL(ProvincialSystemContract):
    """The reference hub on a fresh PostgreSQL database of $SYNC_TEST_POSTGRES."""

    def make_subject(self, tmp_path: Path) -> Subject:
        """A fresh database on the server."""
        return reference(hub_database(tmp_path / "unused"))


def test_the_reference_hub_is_registered_and_unknown_names_are_refused(tmp_path: Path) -> None:
    """The entry point group lists the reference hub; a name nobody registered is one sentence."""
    assert REFERENCE in system_names()
    with pytest.raises(UnknownSystem, match=r"“igate”.*reference"):
        open_system("igate", SystemSettings(str(tmp_path / "hub.db")))


def test_hub_serve_names_a_system_nobody_installed(tmp_path: Path) -> None:
    """`counter hub serve --system NAME` for an unknown name: one sentence, exit 1, nothing served."""
    result = run_cli("hub", "serve", "--db", str(tmp_path / "hub.db"), "--port", "0", "--system", "igate")
    assert result.returncode == 1
    assert "“igate”" in result.stderr and "reference" in result.stderr and "Traceback" not in result.stderr
    config = tmp_path / "counter.toml"
    config.write_text('[hub]\nsystem = "igate"\n', encoding="utf-8")
    chosen = run_cli("--config", str(config), "hub", "serve", "--db", str(tmp_path / "hub.db"), "--port", "0")
    assert chosen.returncode == 1 and "“igate”" in chosen.stderr
