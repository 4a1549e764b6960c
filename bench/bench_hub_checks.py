"""What the hub's trust checks cost on a 500-event push, against the same hub with them switched off.

Each round pushes the same 500 realistic events (demo dossiers of one counter: received, status changes,
corrections) into a fresh hub database twice, interleaved: once with every check (text, clock stamp,
sequence block, lifecycle, and for every event on a dossier its owner, stamp order and payload bounds by the
form's fields: sync/dossier_checks.py; the JSON limits walk of the request body) and once with `checks=False` and a
plain `json.loads` (what the hub did before). Prints the medians of each step and the ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counter.context import open_context  # noqa: E402
from counter.services.demo import fill_demo  # noqa: E402
from counter.store.models import DossierEvent  # noqa: E402
from sync.adapter import CounterIdentity  # noqa: E402
from sync.client import event_message  # noqa: E402
from sync.hub.app import _parse_json  # noqa: E402
from sync.hub.store import HubStore  # noqa: E402
from sync.protocol import MAX_BATCH_EVENTS, encode_body  # noqa: E402

UNIT = "000.00.36.H40"
CONFIG = f"""
[unit]
code = "{UNIT}"
[counter]
id = "Q1"
sequence_first = 1
sequence_last = 4999
[storage]
data_dir = "{{data}}"
"""


def sample_events(folder: Path, count: int) -> list[dict[str, Any]]:
    """`count` events of demo dossiers, in the order the counter sends them."""
    path = folder / "counter.toml"
    path.write_text(CONFIG.format(data=folder / "data"), encoding="utf-8")
    ctx = open_context(path)
    fill_demo(ctx, count, days=5, seed=2026)
    with ctx.store.read() as session:
        rows = session.exec(select(DossierEvent).order_by(col(DossierEvent.hlc)).limit(count))
        events = [event_message(row) for row in rows]
    ctx.close()
    return events


def push_once(folder: Path, events: list[dict[str, Any]], body: bytes, checks: bool) -> tuple[float, float]:
    """Seconds to parse the body and to store the batch into a fresh hub database."""
    store = HubStore(str(folder / f"hub-{time.perf_counter_ns()}.db"), checks=checks)
    counter = CounterIdentity(UNIT, "Q1", 1, 4999)
    started = time.perf_counter()
    document = _parse_json(body) if checks else json.loads(body)
    parsed = time.perf_counter()
    results = store.store_events(counter, document["events"])
    stored = time.perf_counter()
    store.close()
    accepted = sum(r.status == "accepted" for r in results)
    if accepted != len(events):
        codes = {r.code for r in results if r.code}
        raise SystemExit(f"only {accepted} of {len(events)} accepted (checks={checks}): {codes}")
    return parsed - started, stored - parsed


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=MAX_BATCH_EVENTS)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        events = sample_events(folder, args.events)
        body = encode_body({"protocol": 2, "unit_code": UNIT, "events": events}, compress=False)
        figures: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
        push_once(folder, events, body, True)  # warm imports and caches
        for _ in range(args.rounds):
            for checks in (False, True):
                figures[checks].append(push_once(folder, events, body, checks))
    print(f"Push of {len(events)} events ({len(body) / 1024:.0f} KiB JSON), median of {args.rounds} rounds:")
    medians = {}
    for checks, label in ((False, "before (checks off)"), (True, "with the hub checks")):
        parse = statistics.median(p for p, _ in figures[checks])
        store = statistics.median(s for _, s in figures[checks])
        total = statistics.median(p + s for p, s in figures[checks])
        medians[checks] = (parse, store, total)
        print(f"  {label:<22} parse {parse * 1000:7.1f} ms  store {store * 1000:7.1f} ms  total {total * 1000:7.1f} ms")
    for index, name in enumerate(("parse", "store", "total")):
        print(f"  ratio {name:<6} with/before: {medians[True][index] / medians[False][index]:.2f}")


if __name__ == "__main__":
    main()
