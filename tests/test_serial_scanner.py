"""Serial scanners: payload splitting, and a scanner simulated by a pty pair, unplugged and replugged."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from counter.scanners.serialport import PayloadSplitter, SerialScanner
from tests.conftest import FATHER_PAYLOAD, MOTHER_PAYLOAD, VALID_PAYLOAD

WAIT = 20.0  # generous upper bound for a thread to react; never a speed assertion


def test_terminated_payloads_split_on_cr_lf_and_tab() -> None:
    """CR, LF, CR LF and Tab end a payload; empty lines are not scans; UTF-8 split across chunks survives."""
    splitter = PayloadSplitter()
    data = (VALID_PAYLOAD + "\r\n" + MOTHER_PAYLOAD + "\t").encode("utf-8")
    cut = data.index("ầ".encode()) + 1  # in the middle of a two-byte letter
    assert splitter.feed(data[:cut], 0.0) == []
    assert splitter.feed(data[cut:], 0.01) == [VALID_PAYLOAD, MOTHER_PAYLOAD]
    assert splitter.idle(5.0) == []


def test_unterminated_payload_becomes_a_scan_when_complete_and_quiet() -> None:
    """No suffix: a structurally complete payload (extra Căn cước fields included) is a scan after a pause."""
    splitter = PayloadSplitter(quiet_seconds=0.08, flush_seconds=0.6)
    assert splitter.feed(FATHER_PAYLOAD.encode("utf-8"), 1.0) == []
    assert splitter.idle(1.05) == []
    assert splitter.idle(1.1) == [FATHER_PAYLOAD]


def test_incomplete_payload_is_handed_on_after_a_long_silence() -> None:
    """A cut-off read is not lost: after the flush delay it is handed on (and the parser will say why)."""
    splitter = PayloadSplitter(quiet_seconds=0.08, flush_seconds=0.6)
    splitter.feed(b"036090000123|163000123|Tr", 2.0)
    assert splitter.idle(2.3) == []
    assert splitter.idle(2.61) == ["036090000123|163000123|Tr"]


class Pty:
    """A fake USB-CDC scanner: a pty pair whose device path is a stable symlink, like /dev/ttyACM0."""

    def __init__(self, link: Path) -> None:
        self.link = link
        self.master = -1

    def plug(self) -> None:
        """Create the device and point the stable path at it."""
        self.master, slave = os.openpty()
        self.link.symlink_to(os.ttyname(slave))
        os.close(slave)

    def unplug(self) -> None:
        """Remove the device: the reader sees an error, the path disappears."""
        self.link.unlink()
        os.close(self.master)
        self.master = -1

    def send(self, data: bytes) -> None:
        """Bytes as the scanner would send them."""
        os.write(self.master, data)


@pytest.fixture
def pty(tmp_path: Path) -> Iterator[Pty]:
    """A plugged fake scanner; unplugged at the end."""
    device = Pty(tmp_path / "ttyACM0")
    device.plug()
    yield device
    if device.master >= 0:
        device.unplug()


def test_pty_scanner_survives_unplug_and_replug(pty: Pty) -> None:
    """Each payload is one scan with the exact text; after unplug and replug the same port reads again."""
    scans: queue.Queue[tuple[str, str]] = queue.Queue()
    statuses: list[str] = []
    scanner = SerialScanner(str(pty.link), 115200, lambda p, s: scans.put((p, s)),
                            lambda text, _ok: statuses.append(text), retry_seconds=0.1).start()
    try:
        assert scanner.connected.wait(WAIT)
        pty.send((VALID_PAYLOAD + "\r\n").encode("utf-8"))
        assert scans.get(timeout=WAIT) == (VALID_PAYLOAD, "serial")
        pty.unplug()
        assert _wait_for(lambda: not scanner.connected.is_set())
        pty.plug()
        assert scanner.connected.wait(WAIT)
        pty.send(MOTHER_PAYLOAD.encode("utf-8"))  # this scanner model sends no suffix
        assert scans.get(timeout=WAIT) == (MOTHER_PAYLOAD, "serial")
    finally:
        scanner.stop()
    assert scans.empty()
    assert any("mất kết nối" in s for s in statuses) and statuses[-1].endswith("đã kết nối.")


def test_missing_port_is_reported_once_and_retried(tmp_path: Path) -> None:
    """A port that does not exist yet is announced once, then picked up when it appears."""
    statuses: list[str] = []
    scans: queue.Queue[tuple[str, str]] = queue.Queue()
    device = Pty(tmp_path / "later")
    scanner = SerialScanner(str(device.link), 9600, lambda p, s: scans.put((p, s)),
                            lambda text, _ok: statuses.append(text), retry_seconds=0.05).start()
    try:
        assert _wait_for(lambda: bool(statuses))
        device.plug()
        assert scanner.connected.wait(WAIT)
        device.send((FATHER_PAYLOAD + "\n").encode("utf-8"))
        assert scans.get(timeout=WAIT) == (FATHER_PAYLOAD, "serial")
    finally:
        scanner.stop()
        device.unplug()
    assert sum("chưa kết nối" in s for s in statuses) == 1


def _wait_for(condition: Callable[[], bool]) -> bool:
    """Poll `condition` until it holds (True) or WAIT seconds pass (False)."""
    pause = threading.Event()
    for _ in range(int(WAIT / 0.02)):
        if condition():
            return True
        pause.wait(0.02)
    return False
