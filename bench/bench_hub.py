"""The hub at province scale: 50 counters pushing and pulling at once against the hub on PostgreSQL.

Starts a private PostgreSQL cluster (installing the server with apt-get when it is missing and we are
root, else it stops with a sentence), installs the `postgres` extra (psycopg) when missing, starts
`counter hub serve` on it, makes `--counters` real counters (one unit each, `--dossiers` demo dossiers
each, enrolled with one-time codes) and runs the real sync client (`sync.client.run_pass`) of all of
them at once, each in its own thread, until every outbox is empty and one more pass has pulled.
Prints events/s, p50/p99 of a push request and of a pull request, the hub's memory (peak RSS) and the
errors; then loads `--preload` events (default 5,000,000) straight into the hub's tables and runs the
same again with fresh counters. Figures only, never pass/fail.

Run: .venv/bin/python bench/bench_hub.py [--counters 50] [--dossiers 40] [--preload 5000000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
CONFIG = """
[unit]
code = "{unit}"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"
[storage]
data_dir = "{data}"
"""


def pg_bin() -> Path | None:
    """The directory of PostgreSQL's server programs, installing them when missing and root."""
    for found in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (found / "initdb").exists():
            return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench_hub: installing PostgreSQL with apt-get (postgresql)")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=False, env=env, capture_output=True)
        return pg_bin() if any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) else None
    return None


def ensure_psycopg() -> bool:
    """psycopg is the project's `postgres` extra; install it into this interpreter when missing."""
    if importlib.util.find_spec("psycopg") is None:
        print("bench_hub: installing the postgres extra (psycopg[binary])")
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "psycopg[binary]>=3.2"], check=False)
    return importlib.util.find_spec("psycopg") is not None


class Postgres:
    """A throw-away PostgreSQL cluster listening on a Unix socket in its own directory."""

    def __init__(self, bindir: Path, root: Path) -> None:
        self.bindir, self.dir = bindir, root / "pg"
        self.dir.mkdir()
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(root, 0o755)
        self.port = 54329

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True)

    def start(self) -> Postgres:
        self.run(str(self.bindir / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust",
                 "-E", "UTF8")
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-w", "-l", str(self.dir / "log"),
                 "-o", f"-k {self.dir} -p {self.port} -c listen_addresses='' -c max_connections=200", "start")
        return self

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.dir}&port={self.port}"

    def create(self, database: str) -> str:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {database}"))
        engine.dispose()
        return self.url(database)

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data"), "-m", "fast",
                        "stop"], check=False, capture_output=True)


def start_hub(db: str, port: int) -> subprocess.Popen[bytes]:
    """`counter hub serve` in a subprocess, once it answers."""
    process = subprocess.Popen([str(Path(sys.executable).parent / "counter"), "hub", "serve", "--db", db,
                                "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            requests.get(f"http://127.0.0.1:{port}/v1/time", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.1)
    raise RuntimeError("the hub did not start")


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Timings:
    """Durations of every push and pull request the clients send, recorded by patching requests."""

    def __init__(self) -> None:
        self.push: list[float] = []
        self.pull: list[float] = []
        self.http_errors = 0
        self.lock = threading.Lock()
        original = requests.Session.send

        def timed_send(session: requests.Session, request: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            response = original(session, request, **kwargs)
            elapsed = (time.perf_counter() - started) * 1000
            if request.url and "/v1/events" in request.url:
                with self.lock:
                    (self.push if request.method == "POST" else self.pull).append(elapsed)
                    self.http_errors += response.status_code >= 400
            return response

        requests.Session.send = timed_send  # type: ignore[method-assign]


def make_counters(root: Path, count: int, dossiers: int, hub_db: str, url: str, prefix: str) -> list[Any]:
    """`count` counters, one unit each, with demo dossiers, enrolled with the hub."""
    from counter.context import open_context
    from counter.services.demo import fill_demo
    from sync.credentials import enrol
    from sync.hub.store import HubStore

    hub = HubStore(hub_db)
    counters = []
    for n in range(count):
        unit = f"000.00.{prefix}.B{n:02d}"
        directory = root / f"{prefix}-{n}"
        directory.mkdir()
        path = directory / "counter.toml"
        path.write_text(CONFIG.format(unit=unit, data=directory / "data"), encoding="utf-8")
        ctx = open_context(path)
        fill_demo(ctx, dossiers, days=max(1, dossiers // 20), seed=n)
        enrol(ctx, url, hub.new_enrolment_code(unit, ctx.config.counter.id))
        counters.append(ctx)
    hub.close()
    return counters


def pending(ctx: Any) -> int:
    from counter.records.dossiers import pending_event_count

    with ctx.store.read() as session:
        return pending_event_count(session)


def round_of_sync(counters: list[Any], timings: Timings, hub_pid: int, label: str) -> None:
    """Every counter syncs in its own thread until its outbox is empty; print the figures."""
    from sync.client import run_pass

    events = sum(pending(ctx) for ctx in counters)
    errors: list[str] = []
    timings.push.clear()
    timings.pull.clear()
    timings.http_errors = 0

    def work(ctx: Any) -> None:
        for _ in range(200):
            report = run_pass(ctx)
            errors.extend(report.errors)
            if report.pending == 0 and report.pushed == 0:
                return

    threads = [threading.Thread(target=work, args=(ctx,)) for ctx in counters]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    left = sum(pending(ctx) for ctx in counters)

    def pct(values: list[float], q: float) -> float:
        return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else float("nan")

    print(f"\n{label}: {len(counters)} counters, {events:,} events pushed in {elapsed:.1f} s "
          f"= {events / elapsed:,.0f} events/s (left unsent: {left})")
    print(f"  push requests: {len(timings.push):5d}  p50 {pct(timings.push, 50):7.0f} ms  "
          f"p99 {pct(timings.push, 99):7.0f} ms")
    print(f"  pull requests: {len(timings.pull):5d}  p50 {pct(timings.pull, 50):7.0f} ms  "
          f"p99 {pct(timings.pull, 99):7.0f} ms")
    print(f"  hub peak memory (RSS) {peak_rss_mb(hub_pid):.0f} MB; errors: {len(errors)} in sync reports, "
          f"{timings.http_errors} HTTP ≥ 400" + (f" — first: {errors[0]}" if errors else ""))


def preload(db: str, events: int) -> float:
    """Insert `events` synthetic events (10 per dossier, other units) straight into the hub; seconds taken."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(text("""
            INSERT INTO hub_event (id, dossier_uuid, dossier_code, unit_code, type, payload_json, hlc,
                                   occurred_at, clerk, counter_id, content_hash, stored_at)
            SELECT md5('e' || g), md5('d' || (g / 10)), 'P' || (g / 10), '000.00.99.P' || (g % 500),
                   'status_changed', '{"from": "received", "to": "processing", "reason": ""}',
                   lpad(g::text, 15, '0') || '-00000-Q1', '2025-01-01T08:00:00', 'Nguyễn Thị Lan', 'Q1',
                   md5('h' || g), now()
            FROM generate_series(1, :n) AS g
        """), {"n": events})
        conn.execute(text("""
            INSERT INTO hub_dossier (uuid, code, unit_code, status, counter_id, events_count, last_hlc, updated_at)
            SELECT md5('d' || d), 'P' || d, '000.00.99.P' || (d % 500), 'processing', 'Q1', 10, '0', now()
            FROM generate_series(0, :n / 10) AS d
        """), {"n": events})
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=50)
    parser.add_argument("--dossiers", type=int, default=40, help="demo dossiers per counter")
    parser.add_argument("--preload", type=int, default=5_000_000, help="events already in the hub (second round)")
    args = parser.parse_args()
    bindir = pg_bin()
    if bindir is None or (shutil.which("runuser") is None and os.geteuid() == 0):
        print("bench_hub: skipped — PostgreSQL is not installed and cannot be installed here "
              "(install the `postgresql` package, or run as root with apt-get).")
        return
    if not ensure_psycopg():
        print("bench_hub: skipped — psycopg (the `postgres` extra) could not be installed.")
        return
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        root = Path(tmp)
        pg = Postgres(bindir, root).start()
        hub = None
        try:
            db = pg.create("hub")
            with socket.create_server(("127.0.0.1", 0)) as probe:
                port = probe.getsockname()[1]
            setup = time.perf_counter()
            from sync.hub.store import HubStore

            HubStore(db).close()  # creates the schema through the migrations
            hub = start_hub(db, port)
            url = f"http://127.0.0.1:{port}"
            timings = Timings()
            counters = make_counters(root, args.counters, args.dossiers, db, url, "36")
            print(f"setup: PostgreSQL {bindir.parent.name}, hub, {args.counters} counters × {args.dossiers} demo "
                  f"dossiers in {time.perf_counter() - setup:.0f} s (load average {os.getloadavg()[0]:.1f})")
            round_of_sync(counters, timings, hub.pid, "empty hub")
            seconds = preload(db, args.preload)
            print(f"\npreloaded {args.preload:,} events into the hub in {seconds:.0f} s")
            more = make_counters(root, args.counters, args.dossiers, db, url, "37")
            round_of_sync(more, timings, hub.pid, f"hub holding {args.preload:,} events more")
        finally:
            if hub is not None:
                hub.kill()
                hub.wait()
            pg.stop()


if __name__ == "__main__":
    main()
