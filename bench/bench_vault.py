"""Encryption at rest and backups: what they cost.

Two counters in the same run, one with `[storage] encrypt = true` (SQLCipher, raw 256-bit key) and one
with `encrypt = false`, each filled with N demo dossiers (`counter.services.demo.fill_demo`, the real write path).
Prints medians of dossier creation (one dossier, one transaction with fsync) and of the monthly report,
the ratio encrypted / plaintext (goal ≤ 1.3×), and the time and size of one `counter backup create`
(snapshot, gzip, age) and of its `verify` on the encrypted counter.

Run: .venv/bin/python bench/bench_vault.py [--dossiers N] [--runs R]   (the issue's figure: --dossiers 50000)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CONFIG = """
[unit]
code = "000.00.36.H40"
[counter]
id = "Q1"
[storage]
data_dir = "{data}"
encrypt = {encrypt}
"""


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `action` in milliseconds."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def counter(folder: Path, encrypt: bool, dossiers: int) -> Path:
    """A counter with `dossiers` demo dossiers; returns its config path."""
    from counter.context import open_context
    from counter.services.demo import fill_demo

    folder.mkdir(parents=True)
    config = folder / "counter.toml"
    config.write_text(CONFIG.format(data=folder / "data", encrypt=str(encrypt).lower()), encoding="utf-8")
    ctx = open_context(config)
    fill_demo(ctx, dossiers, days=max(5, dossiers // 200), seed=11)
    ctx.close()
    return config


def measure(config: Path, runs: int) -> dict[str, float]:
    """Median dossier creation and monthly report on one counter."""
    from counter.context import open_context
    from counter.reporting import figures as periods
    from counter.services.demo import demo_draft
    from counter.services.dossiers import create_dossier

    ctx = open_context(config)
    rng = random.Random(3)
    forms = list(ctx.forms.values())
    today = ctx.now().date()

    def create() -> None:
        create_dossier(ctx, demo_draft(rng.choice(forms), rng, today), "Nguyễn Thị Lan")

    def monthly() -> None:
        with ctx.store.connection() as conn:
            periods.monthly(conn, today.year, today.month, ctx.now())

    figures = {"create dossier (ms)": median_ms(create, runs), "monthly report (ms)": median_ms(monthly, runs)}
    ctx.close()
    return figures


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("COUNTER_KEY_BACKEND", "file")
        os.environ.setdefault("COUNTER_KEY_DIR", str(Path(tmp) / "keys"))
        started = time.perf_counter()
        plain = counter(Path(tmp) / "plain", False, args.dossiers)
        sealed = counter(Path(tmp) / "sealed", True, args.dossiers)
        print(f"{args.dossiers} dossiers per counter, filled in {time.perf_counter() - started:.1f} s")
        off, on = measure(plain, args.runs), measure(sealed, args.runs)
        for name in off:
            print(f"  {name:<22} plaintext {off[name]:8.2f}   encrypted {on[name]:8.2f}   "
                  f"ratio {on[name] / off[name]:.2f}×")
        from counter.context import open_context
        from counter.custody import backup

        keyfile = Path(tmp) / "id.txt"
        recipient = backup.keygen(keyfile)
        ctx = open_context(sealed)
        started = time.perf_counter()
        result = backup.create(ctx, str(Path(tmp) / "usb"), recipient)
        took = time.perf_counter() - started
        db_size = sum(p.stat().st_size for p in ctx.config.storage.data_dir.iterdir() if p.is_file())
        ctx.close()
        started = time.perf_counter()
        backup.verify(result.path, keyfile)
        verified = time.perf_counter() - started
        print(f"  backup create          {took:8.2f} s   {result.size / 1e6:.1f} MB "
              f"(data directory {db_size / 1e6:.1f} MB, {result.dossiers} dossiers)")
        print(f"  backup verify          {verified:8.2f} s")


if __name__ == "__main__":
    main()
