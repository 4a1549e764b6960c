"""Helpers for sync tests: the real hub in a subprocess, enrolled test counters, delivery checks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select, text

from counter.context import CounterContext, open_context
from counter.store.models import Dossier, DossierEvent
from sync.credentials import enrol
from sync.hub.schema import hub_event
from sync.hub.store import HubStore
from tests.conftest import COUNTER_BIN, write_config

UNIT_A = "000.00.36.H40"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.create_server(("127.0.0.1", 0)) as sock:
        return int(sock.getsockname()[1])


def hub_database(path: Path) -> str:
    """The hub's --db: a SQLite file, or a fresh PostgreSQL database when $SYNC_TEST_POSTGRES names a server.

    `SYNC_TEST_POSTGRES=postgresql+psycopg://user@/?host=/tmp&port=5432 pytest tests/test_sync_*.py`
    runs the same tests against PostgreSQL.
    """
    server = os.environ.get("SYNC_TEST_POSTGRES", "")
    if not server:
        return str(path)
    name = f"hub_{uuid.uuid4().hex[:12]}"
    engine = create_engine(server.replace("/?", "/postgres?"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server.replace("/?", f"/{name}?")


class HubProcess:
    """`counter hub serve` in a subprocess on 127.0.0.1, which can be killed and restarted."""

    def __init__(self, db: Path, config: Path | None = None, args: tuple[str, ...] = ()) -> None:
        self.args = args
        """Further `counter hub serve` options (e.g. --max-blob-mb)."""
        self.db = hub_database(db)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.store = HubStore(self.db)
        self.config = config
        """A counter.toml whose [hub] section the server reads (default: the shipped one)."""

    @property
    def url(self) -> str:
        """Base URL of the hub."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HubProcess:
        """Start the server and wait until it answers."""
        self.process = subprocess.Popen(
            [
                str(COUNTER_BIN),
                *(["--config", str(self.config)] if self.config else []),
                "hub",
                "serve",
                "--db",
                str(self.db),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                *self.args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.url}/v1/time", timeout=1).raise_for_status()
                return self
            except requests.RequestException:
                if self.process.poll() is not None:
                    raise RuntimeError("the hub exited on start") from None
                time.sleep(0.05)
        raise RuntimeError("the hub did not start")

    def kill(self) -> None:
        """SIGKILL the server (no shutdown of any kind)."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        """Stop the server and release the admin connection."""
        self.kill()
        self.store.close()

    def event_count(self) -> int:
        """Events stored at the hub."""
        with self.store.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(hub_event)).scalar_one())

    def event_ids(self, unit_code: str, counter_id: str) -> list[str]:
        """Ids of the events the hub holds from one counter (duplicates would show twice)."""
        with self.store.engine.connect() as conn:
            return list(
                conn.execute(
                    select(hub_event.c.id).where(
                        hub_event.c.unit_code == unit_code, hub_event.c.counter_id == counter_id
                    )
                ).scalars()
            )


def counter_config(
    directory: Path,
    counter_id: str = "Q1",
    unit: str = UNIT_A,
    first: int = 1,
    last: int = 4999,
    batch_size: int = 100,
) -> Path:
    """A test counter's counter.toml for `unit` with a small sync batch."""
    path = write_config(directory, counter_id, first, last, extra=f"\n[sync]\nbatch_size = {batch_size}\n")
    path.write_text(path.read_text(encoding="utf-8").replace(UNIT_A, unit), encoding="utf-8")
    return path


def enrolled_counter(
    directory: Path, hub: HubProcess, url: str | None = None, **options: object
) -> CounterContext:
    """Open a fresh counter and enrol it with the hub (through `url`, e.g. a proxy, when given)."""
    ctx = open_context(counter_config(directory, **options))  # type: ignore[arg-type]
    code = hub.store.new_enrolment_code(ctx.config.unit.code, ctx.config.counter.id)
    enrol(ctx, url or hub.url, code)
    return ctx


def assert_delivered(ctx: CounterContext, hub: HubProcess) -> None:
    """Every dossier created at this counter is at the hub exactly once, with all its events."""
    with ctx.store.read() as session:
        own = {
            d.code: d.event_count
            for d in session.exec(
                select(Dossier).where(Dossier.counter_id == ctx.config.counter.id)
            ).scalars()
        }
        own_events = set(
            session.exec(
                select(DossierEvent.id).where(DossierEvent.counter_id == ctx.config.counter.id)
            ).scalars()
        )
        unsent = session.exec(
            select(func.count()).select_from(DossierEvent).where(DossierEvent.synced_at.is_(None))
        ).scalar_one()  # type: ignore[union-attr]
    assert own, "the test counter created dossiers"
    assert unsent == 0
    at_hub = hub.store.dossiers(ctx.config.unit.code)
    codes = [row["code"] for row in at_hub if row["counter"] == ctx.config.counter.id]
    assert sorted(codes) == sorted(own)
    assert {row["code"]: row["events"] for row in at_hub if row["code"] in own} == own
    hub_ids = hub.event_ids(ctx.config.unit.code, ctx.config.counter.id)
    assert len(hub_ids) == len(set(hub_ids)) == len(own_events)
    assert set(hub_ids) == own_events


def open_dossier(ctx: CounterContext) -> Dossier:
    """A new dossier received now at this counter (still open), with the form the dossier tests use."""
    from counter.services.dossiers import create_dossier
    from tests.test_dossiers import marital_draft

    return create_dossier(ctx, marital_draft(), "Nguyễn Thị Lan")
