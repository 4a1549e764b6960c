"""A broken link, a killed hub or a killed client never loses nor duplicates a dossier event."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from counter.context import CounterContext
from counter.services.demo import fill_demo
from sync.client import SyncReport, run_pass
from sync.testing.faultproxy import FaultProxy
from tests.conftest import COUNTER_BIN, signed_in
from tests.synchelpers import HubProcess, assert_delivered, enrolled_counter

QUICK = (2.0, 2.0)
"""(connect, read) timeouts short enough for the stall fault to time out."""


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """One real hub for the module; each test uses its own unit so their dossiers never mix."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


@pytest.fixture
def proxy(hub: HubProcess) -> Iterator[FaultProxy]:
    """A fault-injecting proxy in front of the hub."""
    faulty = FaultProxy(hub.port).start()
    yield faulty
    faulty.close()


def counter_with_dossiers(
    tmp_path: Path, hub: HubProcess, proxy: FaultProxy, unit: str, dossiers: int = 25
) -> CounterContext:
    """An enrolled counter (through the proxy) holding demo dossiers, sent in batches of 10."""
    ctx = enrolled_counter(tmp_path / "counter", hub, proxy.url, unit=unit, batch_size=10)
    fill_demo(ctx, dossiers, days=3, seed=len(unit))
    return ctx


def sync_until_done(ctx: CounterContext, passes: int = 12) -> list[SyncReport]:
    """Run passes until one finishes online with nothing pending (as the background worker would)."""
    reports = []
    for _ in range(passes):
        report = run_pass(ctx, timeout=QUICK)
        reports.append(report)
        if report.link == "online" and report.pending == 0:
            return reports
    raise AssertionError(f"sync did not finish: {reports[-1]}")


FAULTS = {
    "dropped-connections": [("drop", 0, 3)],
    "responses-cut": [("cut_response", 40, 2), ("cut_response", 300, 1)],
    "requests-cut": [("cut_request", 200, 1), ("cut_request", 1000, 1)],
    "hub-500s": [("fail", 500, 3)],
    "response-delayed-past-timeout": [("stall", 3.0, 1)],
    "mixed": [("cut_response", 0, 1), ("fail", 503, 1), ("drop", 0, 1), ("cut_response", 120, 1)],
}


@pytest.mark.parametrize("case", list(FAULTS))
def test_faults_lose_nothing_and_duplicate_nothing(
    case: str, tmp_path: Path, hub: HubProcess, proxy: FaultProxy
) -> None:
    unit = f"000.00.36.F{list(FAULTS).index(case):02d}"
    ctx = counter_with_dossiers(tmp_path, hub, proxy, unit)
    for kind, amount, times in FAULTS[case]:
        proxy.arm(kind, amount, times, match=b"POST /v1/events")
    reports = sync_until_done(ctx)
    assert proxy.pending_faults() == 0, "every armed fault hit a push"
    assert reports[0].link == "offline" and reports[0].errors
    assert_delivered(ctx, hub)
    if case in ("responses-cut", "response-delayed-past-timeout"):
        assert sum(r.duplicates for r in reports) > 0, "the lost answers were resent and recognised"
    ctx.close()


def test_hub_killed_mid_batch_and_restarted(tmp_path: Path, hub: HubProcess) -> None:
    slow = FaultProxy(hub.port, up_rate=20_000).start()
    try:
        ctx = counter_with_dossiers(tmp_path, hub, slow, "000.00.36.K01", dossiers=40)
        done: list[SyncReport] = []
        worker = threading.Thread(target=lambda: done.append(run_pass(ctx, timeout=QUICK)))
        worker.start()
        started = slow.bytes_up
        while slow.bytes_up < started + 4000 and worker.is_alive():
            time.sleep(0.01)
        hub.kill()
        worker.join()
        assert done[0].link == "offline"
        hub.start()
        slow.arm("stall", 1.0, 1, match=b"POST /v1/events")
        worker = threading.Thread(target=lambda: done.append(run_pass(ctx, timeout=(2.0, 10.0))))
        worker.start()
        while slow.pending_faults() and worker.is_alive():
            time.sleep(0.01)
        time.sleep(0.3)
        hub.kill()
        slow.kill_connections()
        worker.join()
        hub.start()
        sync_until_done(ctx)
        assert_delivered(ctx, hub)
        ctx.close()
    finally:
        slow.close()
        if hub.process is None or hub.process.poll() is not None:
            hub.start()


@pytest.mark.parametrize("kill_after_requests", [2, 5])
def test_client_killed_mid_pass(kill_after_requests: int, tmp_path: Path, hub: HubProcess) -> None:
    slow = FaultProxy(hub.port, up_rate=40_000).start()
    try:
        ctx = counter_with_dossiers(tmp_path, hub, slow, f"000.00.36.C{kill_after_requests:02d}", dossiers=40)
        env = {**os.environ, "COUNTER_CONFIG": str(tmp_path / "counter" / "counter.toml")}
        signed_in(tmp_path / "counter" / "counter.toml")
        client = subprocess.Popen(
            [str(COUNTER_BIN), "sync", "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while slow.requests < kill_after_requests and client.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        os.kill(client.pid, signal.SIGKILL)
        client.wait()
        assert client.returncode == -signal.SIGKILL, "the client was killed before it finished"
        sync_until_done(ctx)
        assert_delivered(ctx, hub)
        ctx.close()
    finally:
        slow.close()
