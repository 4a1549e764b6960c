"""Print TUI speed figures: scan → prefilled form on screen, and process start → first frame.

Scan latency runs the real app headless in this process: a payload is delivered as a terminal
delivers a keyboard-wedge burst (every key queued at once), with and without the scanner's Enter,
and the clock stops after the screen refresh that shows the prefilled field. Start-up runs fresh
subprocesses. Targets: scan ≤ 50 ms, first frame ≤ 0.5 s. Figures only, never pass/fail.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import counter.tui  # noqa: F401  (first: it sets the app's frame rate before textual is imported)

PAYLOADS = [
    "036090000123|163000123|Trần Văn Bình|15041990|Nam|"
    "Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định|20052021",
    "048088000321||Phạm Quốc Huy|09091988|Nam|Tổ 5, Phường Hải Châu, Thành phố Đà Nẵng|05092025||||",
]
CONFIG = """
[unit]
code = "000.00.36.H40"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"

[counter]
id = "Q1"

[storage]
data_dir = "{data_dir}"
"""
SCAN_RUNS = 40
START_RUNS = 7


def write_config(directory: Path) -> Path:
    """A private counter configuration in `directory`."""
    path = directory / "counter.toml"
    path.write_text(CONFIG.format(data_dir=directory / "data"), encoding="utf-8")
    return path


async def scan_latencies(config_path: Path, payload: str, enter: bool, spacing: float = 0.0) -> list[float]:
    """Milliseconds from the last key of a scan to the refresh showing the prefilled form.

    `spacing` 0 queues every key at once (a terminal handing over a whole burst: the app still has
    to work through the queue); 0.002 sends one key every 2 ms, as a fast USB scanner types.
    """
    from textual import events
    from textual.keys import _character_to_key

    from counter.config import load_config
    from counter.tui.app import CounterApp
    from counter.tui.form.field import FieldRow
    from counter.tui.form.screen import FormScreen

    app = CounterApp(load_config(config_path), clerk="Bench")
    results = []
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.ready:
            await pilot.pause(0.01)
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.start_form("khai-sinh")
        while not isinstance(app.screen, FormScreen) or not app.screen.query("#row-father_residence"):
            await pilot.pause(0.01)
        screen = app.screen
        row = screen.query_one("#row-requester_name", FieldRow)
        name = payload.split("|")[2]
        for _ in range(SCAN_RUNS):
            screen.draft.remove_person("requester")
            screen._refresh()
            await pilot.pause(0.05)
            shown = asyncio.get_running_loop().create_future()
            keys = [events.Key(c if c.isalnum() else _character_to_key(c), c) for c in payload]
            if enter:
                keys.append(events.Key("enter", "\r"))
            for key in keys:
                if spacing:
                    key.time = time.monotonic()
                app.post_message(key)
                if spacing:
                    await asyncio.sleep(spacing)
            last_key = keys[-1].time
            while row.value != name:
                await asyncio.sleep(0.0005)
            app.call_after_refresh(lambda f=shown: f.done() or f.set_result(time.monotonic()))
            results.append((await shown - last_key) * 1000)
            await app.workers.wait_for_complete()
    return results


MINIMAL_CHILD = """
import sys, time
from textual.app import App
from textual.widgets import Footer, Label
class Minimal(App):
    def compose(self):
        yield Label("x")
        yield Footer()
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        print(time.time(), flush=True)
        self.exit()
Minimal().run(headless=True)
"""
FIRST_FRAME_CHILD = """
import sys, time
from counter.config import load_config
from counter.tui.app import CounterApp, ContextReady
until = sys.argv[2]
class Timed(CounterApp):
    def on_mount(self):
        super().on_mount()
        if until == "frame":
            self.call_after_refresh(self.done)
    def on_context_ready(self, message):
        super().on_context_ready(message)
        if until == "ready":
            self.call_after_refresh(self.done)
    def done(self):
        print(time.time(), flush=True)
        self.exit()
Timed(load_config(sys.argv[1]), clerk="Bench").run(headless=True)
"""


def start_times(config_path: Path, until: str, child: str = FIRST_FRAME_CHILD) -> list[float]:
    """Milliseconds from launching a fresh interpreter to the first frame (or to the database being open)."""
    times = []
    for _ in range(START_RUNS):
        started = time.time()
        out = subprocess.run([sys.executable, "-c", child, str(config_path), until],
                             capture_output=True, text=True, check=True, timeout=60)
        times.append((float(out.stdout.strip().splitlines()[-1]) - started) * 1000)
    return times


def show(label: str, values: list[float], target: str) -> None:
    """Print one figure."""
    print(f"{label:<64} median {statistics.median(values):7.1f} ms  "
          f"(min {min(values):.1f}, max {max(values):.1f}, n={len(values)}; target {target})")


def main() -> None:
    """Run every measurement and print the figures."""
    with tempfile.TemporaryDirectory() as tmp:
        config_path = write_config(Path(tmp))
        baseline = start_times_python()
        show("python -c pass (baseline)", baseline, "—")
        minimal = start_times(config_path, "frame", MINIMAL_CHILD)
        show("minimal Textual app: process start → first frame", minimal, "—")
        first = start_times(config_path, "frame")
        show("counter app: process start → first frame", first, "≤ 500 ms")
        ratio = statistics.median(first) / statistics.median(minimal)
        print(f"{'  ratio counter app / minimal Textual app':<64} {ratio:.2f}")
        show("process start → database open, counter ready", start_times(config_path, "ready"), "—")
        for spacing, how in ((0.002, "keys 2 ms apart"), (0.0, "whole burst queued")):
            for payload, name in zip(PAYLOADS, ("2021 card", "2024 card"), strict=True):
                for enter in (True, False):
                    values = asyncio.run(scan_latencies(config_path, payload, enter, spacing))
                    suffix = "+Enter" if enter else "no Enter"
                    show(f"last scan key → form shown, {name}, {suffix}, {how}", values, "≤ 50 ms")


def start_times_python() -> list[float]:
    """Milliseconds to start and end a bare interpreter (the floor of every start-up figure)."""
    times = []
    for _ in range(START_RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - started) * 1000)
    return times


if __name__ == "__main__":
    main()
