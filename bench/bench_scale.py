"""A year (or ten) of a big ward: write rate, search, open time and reports at 20k and 200k dossiers.

How the data is made: `counter.services.demo.fill_demo` — the real write path (`create_dossier`, `change_status`,
`reschedule`: events, incremental projection, people index, audit), 500 dossiers to a transaction as
`counter demo` does — spread over `--days` working days. Baselines are measured in the same run:
- write rate: raw sqlite3 on a file with the same settings (WAL, synchronous=FULL), inserting the same
  three rows a dossier needs (event, dossier, person) — once with a commit per dossier (as a clerk saves),
  once 500 to a transaction (as the demo writes); the real path is timed the same two ways;
- search: the old way, a full scan of `people_json` / folded names (what `find` did before the index);
- open: opening an empty database.
Prints medians; figures only, never pass/fail. With `--cli` also the CLI start figures (`counter
qr parse`, `counter --help` minus `python -c pass`).

Run: .venv/bin/python bench/bench_scale.py [--dossiers 200000] [--checkpoint 20000] [--days 1200]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

CONFIG = """
[unit]
code = "000.00.36.H40"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"

[counter]
id = "Q1"
sequence_first = 1
sequence_last = 9999

[storage]
data_dir = "{data_dir}"
"""
PAYLOAD = ("036090000123|163000123|Trần Văn Bình|15041990|Nam|"
           "Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định|20052021")


def median_ms(action: Callable[[], Any], runs: int) -> float:
    """Median wall time of `action` in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def write_config(directory: Path) -> Path:
    """A counter.toml whose data lives under `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "counter.toml"
    path.write_text(CONFIG.format(data_dir=directory / "data"), encoding="utf-8")
    return path


def raw_rate(path: Path, count: int, batch: int) -> float:
    """Dossiers/s for raw sqlite3 writing an event, a dossier and a person row per dossier."""
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=FULL"):
        conn.execute(f"PRAGMA {pragma}")
    conn.executescript("""
        CREATE TABLE IF NOT EXISTS e (id TEXT PRIMARY KEY, uuid TEXT, payload TEXT, hlc TEXT);
        CREATE INDEX IF NOT EXISTS e_uuid ON e (uuid);
        CREATE TABLE IF NOT EXISTS d (id INTEGER PRIMARY KEY, uuid TEXT UNIQUE, code TEXT UNIQUE, body TEXT);
        CREATE TABLE IF NOT EXISTS p (id INTEGER PRIMARY KEY, d INTEGER, id_number TEXT, name TEXT);
        CREATE INDEX IF NOT EXISTS p_id ON p (id_number);
    """)
    body = "x" * 600
    started = time.perf_counter()
    for first in range(0, count, batch):
        conn.execute("BEGIN IMMEDIATE")
        for n in range(first, min(first + batch, count)):
            key = f"{path.stem}-{batch}-{n}"
            conn.execute("INSERT INTO e VALUES (?, ?, ?, ?)", (key, key, body, key))
            row = conn.execute("INSERT INTO d (uuid, code, body) VALUES (?, ?, ?)", (key, key, body)).lastrowid
            conn.execute("INSERT INTO p (d, id_number, name) VALUES (?, ?, ?)", (row, key[-12:], "nguyen van an"))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return count / elapsed


def real_rate(directory: Path, count: int, batch: int) -> float:
    """Dossiers/s for `create_dossier` (the real write path), committing every `batch` dossiers."""
    from counter.context import open_context
    from counter.services.demo import demo_draft

    ctx = open_context(write_config(directory))
    rng = random.Random(7)
    forms = list(ctx.forms.values())
    start = datetime(2026, 11, 2, 8, 0)
    drafts = [demo_draft(rng.choice(forms), rng, start.date()) for _ in range(count)]
    from counter.services.dossiers import create_dossier

    started = time.perf_counter()
    for first in range(0, count, batch):
        with ctx.store.write():
            for n in range(first, min(first + batch, count)):
                create_dossier(ctx, drafts[n], "Lan", received_at=start + timedelta(seconds=n))
    elapsed = time.perf_counter() - started
    ctx.close()
    return count / elapsed


def write_rates(root: Path, count: int) -> None:
    """Real write path against raw SQLite, one commit per dossier and 500 per commit."""
    print(f"write rate ({count} dossiers each; the real path also validates, numbers and audits):")
    root.mkdir(parents=True, exist_ok=True)
    for batch in (1, 500):
        raw = raw_rate(root / f"raw{batch}.db", count, batch)
        real = real_rate(root / f"real{batch}", count, batch)
        print(f"  {batch:>3} per commit: counter {real:8.0f} dossiers/s   raw SQLite {raw:8.0f}/s   "
              f"raw/counter {raw / real:5.1f}×")


def measure(config_path: Path, label: str, runs: int) -> dict[str, float]:
    """Find, open and report medians on the database as it is now."""
    from counter.context import open_context
    from counter.records.dossiers import find
    from counter.reporting import figures as periods
    from counter.store import open_store
    from counter.text.textfold import fold

    ctx = open_context(config_path)
    raw = ctx.store.connect()  # keyed like every connection to the store
    total = raw.execute("SELECT count(*) FROM dossier").fetchone()[0]
    sample = raw.execute(
        "SELECT d.code, p.id_number, p.name_folded FROM dossier d JOIN dossier_person p ON p.dossier_id = d.id"
        " ORDER BY random() LIMIT ?", (runs,)).fetchall()
    first_day, last_day = (date.fromisoformat(v) for v in raw.execute(
        "SELECT min(received_day), max(received_day) FROM dossier").fetchone())
    figures: dict[str, float] = {}

    def timed(name: str, queries: list[str]) -> None:
        values = []
        with ctx.store.read() as session:
            for query in queries:
                started = time.perf_counter()
                find(session, query, limit=20)
                values.append((time.perf_counter() - started) * 1000)
        figures[name] = statistics.median(values)

    timed("find by name (full name)", [name for _, _, name in sample])
    timed("find by name (family + middle)", [" ".join(name.split()[:2]) for _, _, name in sample])
    timed("find by ID number", [idn for _, idn, _ in sample])
    timed("find by code", [code for code, _, _ in sample])
    timed("find by code tail (-XXXX)", [code[-5:] for code, _, _ in sample])
    ids = iter([idn for _, idn, _ in sample] * 3)
    figures["baseline: old scan by ID (people_json LIKE)"] = median_ms(lambda: raw.execute(
        "SELECT id FROM dossier WHERE people_json LIKE ? ORDER BY received_at DESC",
        (f'%"{next(ids)}"%',)).fetchall(), runs)
    names = iter([fold(name) for _, _, name in sample] * 3)
    figures["baseline: old scan by name (LIKE %name%)"] = median_ms(lambda: raw.execute(
        "SELECT id_number FROM citizen WHERE name_folded LIKE ?", (f"%{next(names)}%",)).fetchall(), runs)
    figures["open (header + schema, migrations)"] = median_ms(
        lambda: open_store(ctx.config.database_path).close(), runs)
    figures["quick_check (db check, background)"] = median_ms(lambda: ctx.store.quick_check(), 3)
    now = ctx.now()
    with ctx.store.connection() as conn:
        figures["daily report, oldest day"] = median_ms(
            lambda: periods.daily(conn, first_day, now), runs)
        figures["daily report, newest day"] = median_ms(
            lambda: periods.daily(conn, last_day, now), runs)
        figures["monthly report, oldest month"] = median_ms(
            lambda: periods.monthly(conn, first_day.year, first_day.month, now), runs)
        figures["monthly report, newest month"] = median_ms(
            lambda: periods.monthly(conn, last_day.year, last_day.month, now), runs)
    raw.close()
    ctx.close()
    print(f"\nat {total:,} dossiers ({label}; received {first_day} to {last_day}), medians of {runs}:")
    for name, value in figures.items():
        print(f"  {name:<48} {value:9.2f} ms")
    return figures


def empty_open(root: Path, runs: int) -> float:
    """Median open time of an empty, migrated database (the floor of the open figure)."""
    from counter.store import open_store

    path = root / "empty" / "counter.db"
    open_store(path).close()
    return median_ms(lambda: open_store(path).close(), runs)


def cli_starts(runs: int) -> None:
    """`counter qr parse` and `counter --help` minus a bare interpreter, medians of fresh processes."""
    counter_bin = Path(sys.executable).parent / "counter"

    def run(*args: str) -> Callable[[], Any]:
        return lambda: subprocess.run(args, capture_output=True, check=False)

    bare = median_ms(run(sys.executable, "-c", "pass"), runs)
    print(f"\nCLI start, medians of {runs} fresh processes (python -c pass: {bare:.0f} ms):")
    for label, args in (("counter qr parse", ("qr", "parse", PAYLOAD)), ("counter --help", ("--help",)),
                        ("counter forms list", ("forms", "list"))):
        value = median_ms(run(str(counter_bin), *args), runs)
        print(f"  {label:<20} {value:7.0f} ms   minus python -c pass: {value - bare:6.0f} ms (goal ≤ 200)")


def main() -> None:
    """Build, measure at the checkpoint and at the end, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=200_000)
    parser.add_argument("--checkpoint", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=1200, help="working days the dossiers are spread over")
    parser.add_argument("--rate-sample", type=int, default=400, help="dossiers per write-rate measurement")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--cli", action="store_true", help="also time CLI starts")
    args = parser.parse_args()
    from counter.context import open_context
    from counter.services.demo import fill_demo

    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        root = Path(tmp)
        if args.cli:
            cli_starts(args.runs)
        write_rates(root / "rates", args.rate_sample)
        print(f"\nopen an empty database: {empty_open(root, args.runs):.2f} ms")
        config_path = write_config(root / "big")
        built = 0
        results = {}
        for target in sorted({min(args.checkpoint, args.dossiers), args.dossiers}):
            ctx = open_context(config_path)
            started = time.perf_counter()
            # Each step gets its own seed and its own stretch of days, so codes never collide.
            fill_demo(ctx, target - built, max(1, args.days * (target - built) // args.dossiers), seed=target)
            elapsed = time.perf_counter() - started
            print(f"\nbuilt {target - built:,} more dossiers through the real write path (demo, with status "
                  f"changes) in {elapsed:.0f} s: {(target - built) / elapsed:.0f} dossiers/s")
            ctx.close()
            built = target
            results[target] = measure(config_path, f"{target:,}", args.runs)
        if len(results) == 2:
            small, big = (results[k] for k in sorted(results))
            print("\ngrowth from the checkpoint to the end (goal for find ≤ 2× for 10× data):")
            for name in small:
                print(f"  {name:<48} {big[name] / max(small[name], 1e-6):6.2f}×")


if __name__ == "__main__":
    main()
