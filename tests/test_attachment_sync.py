"""Attachment blobs over a weak link: the real hub in a subprocess, the fault proxy cutting mid-blob."""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from counter.context import CounterContext
from counter.services import attachments
from counter.store import blobs
from sync.blobclient import waiting
from sync.blobproto import WIRE_CHUNK
from sync.client import run_pass
from sync.testing.faultproxy import FaultProxy
from tests.conftest import signed_in
from tests.synchelpers import HubProcess, enrolled_counter, open_dossier

CLERK = "Nguyễn Thị Lan"
UP_RATE = 1_500_000
CUT_AT = 450_000
"""Each cut comes this many bytes into an upload: starting again from zero would send this much more."""


def noisy_scan(path: Path, seed: int, size: tuple[int, int] = (1100, 1500)) -> Path:
    """A JPEG of noise (it does not compress: about 1.5 MB), like a colour scan at high quality."""
    rng = random.Random(seed)
    Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3)).save(path, quality=92, dpi=(300, 300))
    return path


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """The real hub with a 2 MB blob limit, its blobs in a directory of the test (the hub's database may be
    PostgreSQL: see tests/synchelpers.hub_database)."""
    process = HubProcess(tmp_path / "hub.db", args=("--max-blob-mb", "2", "--blobs", str(tmp_path / "blobs"))).start()
    yield process
    process.stop()


@pytest.fixture
def proxy(hub: HubProcess) -> Iterator[FaultProxy]:
    """The fault proxy in front of the hub (1.5 MB/s up, so even a busy hub reads what arrives before a cut)."""
    faulty = FaultProxy(hub.port, up_rate=UP_RATE, down_rate=4_000_000).start()
    yield faulty
    faulty.close()


def _attached(ctx: CounterContext, tmp_path: Path, seed: int = 1) -> tuple[str, str, int]:
    code = open_dossier(ctx).code
    done = attachments.attach(ctx, code, [noisy_scan(tmp_path / f"scan{seed}.jpg", seed)], CLERK)
    return code, done.attachment.sha256, done.attachment.bytes


def test_cut_uploads_resume_from_what_the_hub_holds(tmp_path: Path, hub: HubProcess, proxy: FaultProxy) -> None:
    """Two cuts in the middle of the blob: the upload goes on from the hub's last checked chunk each time
    (bytes sent stay near the blob's size), events went first, `sync --status` counts what is left."""
    ctx = enrolled_counter(tmp_path / "q1", hub, proxy.url)
    _, sha, size = _attached(ctx, tmp_path)
    assert size > 1_000_000 and waiting(ctx).blobs == 1 and waiting(ctx).bytes_left == size
    status = signed_in(Path(ctx.config.source))("sync", "--status")
    assert f"tệp đính kèm chờ gửi: 1 (còn {size / 1_048_576:.1f} MB)" in status.stdout, status.stderr
    proxy.arm("cut_request", CUT_AT, times=2, match=b"POST /v1/blobs/")
    before = proxy.bytes_up
    report = run_pass(ctx)
    assert (report.pushed, report.blobs_sent, report.errors) == (2, 1, []), report.errors
    assert proxy.pending_faults() == 0, "both cuts happened"
    assert proxy.bytes_up - before < size + CUT_AT, "resumed, never from zero"
    assert waiting(ctx).blobs == 0
    held = hub_blob(hub, sha)
    assert held.read_bytes() == _local(ctx, sha)
    ctx.close()


def hub_blob(hub: HubProcess, sha: str) -> Path:
    """The complete blob file in the hub's blob directory."""
    return Path(hub.args[hub.args.index("--blobs") + 1]) / sha[:2] / sha


def _local(ctx: CounterContext, sha: str) -> bytes:
    with ctx.store.read() as session:
        return blobs.read(session, sha)


def test_fetch_cut_resumes_and_a_corrupt_copy_is_fetched_again(tmp_path: Path, hub: HubProcess,
                                                               proxy: FaultProxy) -> None:
    """The unit's other counter fetches on demand through cuts (resuming), gets the exact bytes; a copy the
    hub serves damaged is refused and fetched again once the hub's copy is sound."""
    first = enrolled_counter(tmp_path / "q1", hub, last=2999)
    code, sha, _ = _attached(first, tmp_path)
    assert not run_pass(first).errors
    second = enrolled_counter(tmp_path / "q2", hub, proxy.url, counter_id="Q2", first=5000, last=9999)
    assert not run_pass(second).errors
    proxy.arm("cut_response", 400_000, times=2, match=f"GET /v1/blobs/{sha}/content".encode())
    attachments.export(second, code, 1, tmp_path / "fetched.pdf", CLERK)
    assert (tmp_path / "fetched.pdf").read_bytes() == _local(first, sha) and proxy.pending_faults() == 0
    third = enrolled_counter(tmp_path / "q3", hub, counter_id="Q3", first=3000, last=3999)
    assert not run_pass(third).errors
    stored = hub_blob(hub, sha)
    good = stored.read_bytes()
    stored.write_bytes(good[:WIRE_CHUNK] + bytes(len(good) - WIRE_CHUNK))
    with pytest.raises(Exception, match="không khớp mã băm"):
        attachments.export(third, code, 1, tmp_path / "bad.pdf", CLERK)
    assert not (tmp_path / "bad.pdf").exists()
    with third.store.read() as session:
        assert blobs.partial(session, sha) == (None, 0) and not blobs.holds(session, sha)
    stored.write_bytes(good)
    attachments.export(third, code, 1, tmp_path / "good.pdf", CLERK)
    assert (tmp_path / "good.pdf").read_bytes() == good
    for ctx in (first, second, third):
        ctx.close()


def test_blobs_in_the_hub_database_resume_and_are_served(tmp_path: Path) -> None:
    """`counter hub serve --blobs db`: a cut upload resumes into the hub's tables and the unit's other
    counter fetches the exact bytes back; no blob directory is made."""
    hub = HubProcess(tmp_path / "hub.db", args=("--blobs", "db")).start()
    proxy = FaultProxy(hub.port, up_rate=UP_RATE, down_rate=4_000_000).start()
    try:
        first = enrolled_counter(tmp_path / "q1", hub, proxy.url, last=2999)
        code, sha, size = _attached(first, tmp_path)
        proxy.arm("cut_request", CUT_AT, times=1, match=b"POST /v1/blobs/")
        before = proxy.bytes_up
        assert not run_pass(first).errors and waiting(first).blobs == 0 and proxy.pending_faults() == 0
        assert proxy.bytes_up - before < size + CUT_AT // 2, "resumed, never from zero"
        second = enrolled_counter(tmp_path / "q2", hub, counter_id="Q2", first=5000, last=9999)
        assert not run_pass(second).errors
        attachments.export(second, code, 1, tmp_path / "fetched.pdf", CLERK)
        assert (tmp_path / "fetched.pdf").read_bytes() == _local(first, sha)
        assert not Path(f"{tmp_path / 'hub.db'}.blobs").exists()
        for ctx in (first, second):
            ctx.close()
    finally:
        proxy.close()
        hub.stop()


def test_the_hub_enforces_its_own_limit(tmp_path: Path, hub: HubProcess) -> None:
    """A blob over the hub's limit (2 MB here, the counter allows 50) is refused in one sentence; the
    events still reach the hub."""
    ctx = enrolled_counter(tmp_path / "q1", hub)
    code = open_dossier(ctx).code
    files = [noisy_scan(tmp_path / f"p{i}.jpg", i) for i in range(2)]
    attachments.attach(ctx, code, files, CLERK)
    report = run_pass(ctx)
    assert report.pushed == 2 and len(report.errors) == 1 and "giới hạn 2 MB" in report.errors[0]
    assert waiting(ctx).blobs == 1
    ctx.close()
