"""Attachment blobs: a 20 MB upload through a weak link that keeps dropping, and attaching a 10-page scan.

1. The real hub in a subprocess behind the fault proxy shaped to 1 Mbit/s each way with a 300 ms round trip;
   every blob upload request is cut after ~256 KB (a link that drops every ~256 KB). Prints bytes sent over
   the blob's size (goal ≤ 1.2) and time over the wire bound, the blob's bytes ÷ the link rate (goal ≤ 1.3×).
2. Attaching a 10-page 300 dpi A4 scan (JPEG pages → one PDF, checked, stored encrypted) next to copying
   the same files, measured in the same run: medians of several rounds and their ratio.
"""

from __future__ import annotations

import argparse
import random
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_sync import start_hub  # noqa: E402
from counter.context import CounterContext, open_context  # noqa: E402
from counter.services import attachments  # noqa: E402
from counter.services.demo import fill_demo  # noqa: E402
from sync.blobclient import waiting  # noqa: E402
from sync.client import run_pass  # noqa: E402
from sync.credentials import enrol  # noqa: E402
from sync.hub.store import HubStore  # noqa: E402
from sync.testing.faultproxy import FaultProxy  # noqa: E402

RATE = 1_000_000 / 8
"""1 Mbit/s in bytes per second, each direction."""
ONE_WAY = 0.15
"""Half of a 300 ms round trip."""
DROP_EVERY = 256 * 1024
CONFIG = """
[unit]
code = "000.00.36.B09"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"
[storage]
data_dir = "{data}"
[digitisation]
max_mb = 60
"""


def counter(directory: Path) -> CounterContext:
    """A counter with one demo dossier."""
    directory.mkdir(parents=True)
    path = directory / "counter.toml"
    path.write_text(CONFIG.format(data=directory / "data"), encoding="utf-8")
    ctx = open_context(path)
    fill_demo(ctx, 1, days=1, seed=2026)
    return ctx


def noise_pages(folder: Path, pages: int, size: tuple[int, int], seed: int) -> list[Path]:
    """JPEG pages of noise at 300 dpi (incompressible, like the worst colour scan)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in range(pages):
        path = folder / f"page-{page + 1:02d}.jpg"
        Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)).save(path, quality=90, dpi=(300, 300))
        paths.append(path)
    return paths


def text_pages(folder: Path, pages: int, seed: int) -> list[Path]:
    """A4 pages at 300 dpi (2480 × 3508) with lines of text-like strokes and light noise, as JPEG: what a
    document scanner writes for a typed paper (about 1 MB a page)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page in range(pages):
        image = Image.new("L", (2480, 3508), 250)
        draw = ImageDraw.Draw(image)
        for line in range(240, 3300, 84):
            x = 240
            while x < 2200:
                word = rng.randint(60, 260)
                draw.rectangle((x, line, x + word, line + 36), fill=rng.randint(10, 60))
                x += word + rng.randint(24, 60)
        image = Image.merge("RGB", [image] * 3)
        path = folder / f"page-{page + 1:02d}.jpg"
        image.save(path, quality=85, dpi=(300, 300))
        paths.append(path)
    return paths


def first_code(ctx: CounterContext) -> str:
    """The demo dossier's code."""
    with ctx.store.read() as session:
        return str(session.connection().exec_driver_sql("SELECT code FROM dossier LIMIT 1").scalar_one())


def weak_link(root: Path, megabytes: int) -> None:
    """Upload one ~`megabytes` MB attachment through the dropping link; print the two ratios."""
    hub_store = HubStore(str(root / "hub.db"))
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    hub = start_hub(root / "hub.db", port)
    proxy = FaultProxy(port, up_rate=RATE, down_rate=RATE, delay=ONE_WAY).start()
    try:
        ctx = counter(root / "weak")
        enrol(ctx, proxy.url, hub_store.new_enrolment_code(ctx.config.unit.code, ctx.config.counter.id))
        run_pass(ctx)  # the dossier's events first, so the measured pass moves the blob and its one event
        pages = max(1, round(megabytes * 1_048_576 / 1_600_000))
        files = noise_pages(root / "big", pages, (1100, 1500), seed=7)
        attached = attachments.attach(ctx, first_code(ctx), files, "bench")
        size = attached.attachment.bytes
        proxy.arm("cut_request", DROP_EVERY, times=10_000, match=b"POST /v1/blobs/")
        before, started = proxy.bytes_up, time.perf_counter()
        report = run_pass(ctx)
        seconds = time.perf_counter() - started
        sent = proxy.bytes_up - before
        assert report.blobs_sent == 1 and waiting(ctx).blobs == 0, report.errors
        drops = 10_000 - proxy.pending_faults()
        ctx.close()
    finally:
        proxy.close()
        hub.kill()
        hub.wait()
        hub_store.close()
    bound = size / RATE
    print(f"weak link: 1 Mbit/s each way, 300 ms round trip, upload cut every {DROP_EVERY // 1024} KB "
          f"({drops} cuts)")
    print(f"  blob {size / 1_048_576:.1f} MB: {sent / 1_048_576:.1f} MB sent (client → hub, all requests), "
          f"{seconds:.1f} s; wire bound {bound:.1f} s")
    print(f"  bytes sent ÷ blob size: {sent / size:.3f} (goal ≤ 1.2); time ÷ wire bound: {seconds / bound:.2f}× "
          "(goal ≤ 1.3×)")


def attach_vs_copy(root: Path, rounds: int) -> None:
    """Median time to attach a 10-page 300 dpi A4 scan, next to copying the same files."""
    ctx = counter(root / "local")
    code = first_code(ctx)
    attach_times, copy_times = [], []
    for index in range(rounds):
        files = text_pages(root / f"scan{index}", 10, seed=100 + index)
        target = root / f"copy{index}"
        target.mkdir()
        started = time.perf_counter()
        for path in files:
            shutil.copyfile(path, target / path.name)
        copy_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        attachments.attach(ctx, code, files, "bench")
        attach_times.append(time.perf_counter() - started)
    size = sum(p.stat().st_size for p in (root / "scan0").iterdir())
    ctx.close()
    attach, copy = statistics.median(attach_times), statistics.median(copy_times)
    print(f"attach a 10-page 300 dpi A4 scan ({size / 1_048_576:.1f} MB of JPEG), median of {rounds}:")
    print(f"  attach (check, one PDF, store encrypted in one transaction): {attach * 1000:.0f} ms")
    print(f"  copy the same files: {copy * 1000:.0f} ms; attach ÷ copy: {attach / copy:.1f}×")


def main() -> None:
    """Both measurements in one run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=20, help="size of the uploaded attachment (MB)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the attach/copy measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        attach_vs_copy(Path(tmp), args.rounds)
        weak_link(Path(tmp), args.mb)


if __name__ == "__main__":
    main()
