"""Sync over a poor link: N dossiers through a proxy shaped to 100 kbit/s each way with 500 ms round trips.

Prints seconds and bytes on the wire per dossier for the real sync pass (gzip batches, one keep-alive
connection), for a baseline of one uncompressed request per dossier measured in the same run (on a
subset, scaled), and the lower bound: the compressed request bytes divided by the bandwidth.
Bytes on the wire are TCP payload bytes through the proxy, both directions (IP/TCP headers excluded).
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from sqlmodel import col, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from counter.context import CounterContext, open_context  # noqa: E402
from counter.services.demo import fill_demo  # noqa: E402
from counter.store.models import DossierEvent  # noqa: E402
from sync.client import event_message, run_pass  # noqa: E402
from sync.credentials import enrol, load_credentials  # noqa: E402
from sync.hub.store import HubStore  # noqa: E402
from sync.protocol import encode_body  # noqa: E402
from sync.testing.faultproxy import FaultProxy  # noqa: E402

RATE = 100_000 / 8
"""100 kbit/s in bytes per second, each direction."""
ONE_WAY = 0.25
"""Half of a 500 ms round trip."""
CONFIG = """
[unit]
code = "{unit}"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"
[storage]
data_dir = "{data}"
"""


def start_hub(db: Path, port: int) -> subprocess.Popen[bytes]:
    """The reference hub in a subprocess, once it answers."""
    counter = Path(sys.executable).parent / "counter"
    process = subprocess.Popen(
        [str(counter), "hub", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(400):
        try:
            requests.get(f"http://127.0.0.1:{port}/v1/time", timeout=1)
            return process
        except requests.RequestException:
            time.sleep(0.05)
    raise RuntimeError("hub did not start")


def make_counter(directory: Path, unit: str, dossiers: int, hub: HubStore, url: str) -> CounterContext:
    """A counter of `unit` with demo dossiers, enrolled with the hub at `url`."""
    directory.mkdir(parents=True)
    path = directory / "counter.toml"
    path.write_text(CONFIG.format(unit=unit, data=directory / "data"), encoding="utf-8")
    ctx = open_context(path)
    fill_demo(ctx, dossiers, days=max(1, dossiers // 100), seed=2026)
    enrol(ctx, url, hub.new_enrolment_code(unit, ctx.config.counter.id))
    return ctx


def outbox(ctx: CounterContext) -> list[DossierEvent]:
    """Every event of the counter in the order the client sends them."""
    with ctx.store.read() as session:
        return list(session.exec(select(DossierEvent).order_by(col(DossierEvent.hlc))))


def compressed_request_bytes(ctx: CounterContext, events: list[DossierEvent]) -> int:
    """The gzip body bytes of the batches the client sends for these events."""
    size = ctx.config.sync.batch_size
    total = 0
    for start in range(0, len(events), size):
        body = {
            "protocol": 1,
            "unit_code": ctx.config.unit.code,
            "events": [event_message(e) for e in events[start : start + size]],
        }
        total += len(encode_body(body))
    return total


def baseline(ctx: CounterContext, proxy: FaultProxy, subset: int) -> tuple[float, int, int]:
    """One uncompressed request per dossier for `subset` dossiers: (seconds, wire bytes, dossiers)."""
    by_dossier: dict[str, list[DossierEvent]] = {}
    for event in outbox(ctx):
        by_dossier.setdefault(event.dossier_uuid, []).append(event)
    chosen = list(by_dossier.values())[:subset]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {load_credentials(ctx).token}"
    before = proxy.bytes_up + proxy.bytes_down
    started = time.perf_counter()
    for events in chosen:
        body = {
            "protocol": 1,
            "unit_code": ctx.config.unit.code,
            "events": [event_message(e) for e in events],
        }
        answer = session.post(
            f"{proxy.url}/v1/events",
            data=encode_body(body, compress=False),
            timeout=(10, 60),
            headers={"Content-Type": "application/json"},
        )
        answer.raise_for_status()
    seconds = time.perf_counter() - started
    session.close()
    return seconds, proxy.bytes_up + proxy.bytes_down - before, len(chosen)


def main() -> None:
    """Run both measurements in one go and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument(
        "--baseline-dossiers",
        type=int,
        default=100,
        help="dossiers sent one request each for the baseline (scaled to --dossiers)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        hub_store = HubStore(str(root / "hub.db"))
        with socket.create_server(("127.0.0.1", 0)) as probe:
            port = probe.getsockname()[1]
        hub = start_hub(root / "hub.db", port)
        proxy = FaultProxy(port, up_rate=RATE, down_rate=RATE, delay=ONE_WAY).start()
        try:
            setup = time.perf_counter()
            ours = make_counter(root / "ours", "000.00.36.B01", args.dossiers, hub_store, proxy.url)
            base = make_counter(root / "base", "000.00.36.B02", args.baseline_dossiers, hub_store, proxy.url)
            events = outbox(ours)
            print(
                f"setup: {args.dossiers} + {args.baseline_dossiers} demo dossiers in "
                f"{time.perf_counter() - setup:.1f} s; {len(events)} events to send"
            )
            compressed = compressed_request_bytes(ours, events)
            wire_before = proxy.bytes_up + proxy.bytes_down
            started = time.perf_counter()
            report = run_pass(ours)
            seconds = time.perf_counter() - started
            wire = proxy.bytes_up + proxy.bytes_down - wire_before
            assert report.link == "online" and report.pending == 0, report
            b_seconds, b_wire, b_count = baseline(base, proxy, args.baseline_dossiers)
        finally:
            proxy.close()
            hub.kill()
            hub.wait()
            hub_store.close()
    n = args.dossiers
    lower = compressed / RATE
    scaled = b_seconds / b_count * n
    print(json.dumps({"dossiers": n, "events": len(events), "batch_size": ours.config.sync.batch_size}))
    print("link: 100 kbit/s each way, 500 ms round trip (userspace proxy; no loss)")
    print(
        f"sync pass (gzip batches, keep-alive): {seconds:8.1f} s  {seconds / n * 1000:6.1f} ms/dossier  "
        f"{wire / n:7.0f} B/dossier on the wire"
    )
    print(
        f"baseline (1 raw request per dossier, measured on {b_count}, scaled to {n}): {scaled:8.1f} s  "
        f"{b_seconds / b_count * 1000:6.1f} ms/dossier  {b_wire / b_count:7.0f} B/dossier on the wire"
    )
    print(
        f"lower bound (compressed request bytes {compressed} ÷ {RATE:.0f} B/s): {lower:8.1f} s  "
        f"{compressed / n:7.0f} B/dossier"
    )
    print(
        f"sync pass ÷ lower bound: {seconds / lower:.2f}× (target ≤ 1.3×); "
        f"baseline ÷ sync pass: {scaled / seconds:.1f}×"
    )


if __name__ == "__main__":
    main()
