"""The app quits when its terminal goes away, even if it never receives SIGHUP."""

from __future__ import annotations

import os
import pty
import select
import signal
import time
from pathlib import Path

import pytest

from tests.conftest import COUNTER_BIN, write_config


def _drain(fd: int, seconds: float, after_first: float = 3.0) -> bytes:
    """What the app draws: reads until `after_first` seconds after its first output (or `seconds`)."""
    end, seen = time.monotonic() + seconds, b""
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            if not seen:
                end = min(end, time.monotonic() + after_first)
            seen += chunk
    return seen


@pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_app_exits_when_its_terminal_closes(tmp_path: Path) -> None:
    """Close the pty of a running app that ignores SIGHUP (as under `make run`): it exits by itself."""
    config = write_config(tmp_path / "c")
    pid, fd = pty.fork()
    if pid == 0:
        signal.signal(signal.SIGHUP, signal.SIG_IGN)
        os.execve(str(COUNTER_BIN), [str(COUNTER_BIN)],
                  {**os.environ, "COUNTER_CONFIG": str(config), "TERM": "xterm-256color"})
    try:
        assert b"\x1b[" in _drain(fd, 30), "the app drew nothing"
        os.close(fd)
        deadline = time.monotonic() + 180  # a hang guard, not a speed bound: a loaded CI machine is slow
        done = 0
        while not done and time.monotonic() < deadline:
            done, _ = os.waitpid(pid, os.WNOHANG)
            time.sleep(0.2)
        assert done == pid, "the app kept running after its terminal closed"
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
