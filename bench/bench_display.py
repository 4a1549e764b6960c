"""Print figures: the citizen display's update latency after a clerk's action (call a number, save a dossier).

The display server runs in-process on 127.0.0.1 (uvicorn in a thread); a server-sent-events client waits
for each change. Baseline, measured in the same run: one GET /state round trip.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import uvicorn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter.context import open_context
from counter.services import tickets
from counter.web.server import create_display_app
from tests.conftest import write_config
from tests.synchelpers import free_port

ACTIONS = 30


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def main() -> None:
    """Call ACTIONS numbers and time each until the display's event stream shows it."""
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(write_config(Path(folder)))
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(create_display_app(ctx, "bench", None), host="127.0.0.1", port=port,
                                               log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        while not server.started:
            time.sleep(0.01)
        seen: dict[str, float] = {}
        arrived = threading.Condition()

        def listen() -> None:
            import json

            with requests.get(base + "/events", stream=True, timeout=60) as stream:
                for line in stream.iter_lines(decode_unicode=True):
                    if line.startswith("data: "):
                        called = json.loads(line[6:]).get("called")
                        with arrived:
                            if called:
                                seen.setdefault(called["ticket"], time.perf_counter())
                            arrived.notify_all()

        threading.Thread(target=listen, daemon=True).start()
        for _ in range(ACTIONS):
            tickets.take(ctx, "bench")
        latencies = []
        for _ in range(ACTIONS):
            start = time.perf_counter()
            label = tickets.call_next(ctx, "bench").label
            with arrived:
                arrived.wait_for(lambda wanted=label: wanted in seen, timeout=30)
            latencies.append((seen[label] - start) * 1000)
        rounds = []
        for _ in range(ACTIONS):
            start = time.perf_counter()
            requests.get(base + "/state", timeout=10)
            rounds.append((time.perf_counter() - start) * 1000)
        server.should_exit = True
        ctx.close()
    p50, p95, baseline = percentile(latencies, 0.5), percentile(latencies, 0.95), statistics.median(rounds)
    print(f"display update after a call (SSE, {ACTIONS} calls): p50 {p50:.0f} ms, p95 {p95:.0f} ms")
    print(f"baseline GET /state round trip: median {baseline:.1f} ms; p50 latency / baseline = {p50 / baseline:.1f}×")


if __name__ == "__main__":
    main()
