"""Notice when the terminal has gone away (window closed, SSH dropped) so the app quits.

Under `make run` the app may not receive SIGHUP when its terminal closes; Textual then keeps
reading a dead tty and spins a CPU core in the background while holding the database open.
"""

from __future__ import annotations

import os
import sys


def watched_terminal_fd() -> int | None:
    """The controlling terminal's file descriptor to watch, or None (Windows, no tty, not controlling)."""
    stream = sys.__stdin__
    if os.name != "posix" or stream is None:
        return None
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) and terminal_alive(fd) else None


def quit_if_terminal_gone(fd: int) -> None:
    """End the process at once when the terminal has hung up.

    Textual's graceful shutdown writes to the terminal and blocks forever on a dead one, so we leave
    with os._exit: every saved dossier is already committed (one transaction each), nothing is lost.
    """
    if not terminal_alive(fd):
        os._exit(0)


def terminal_alive(fd: int) -> bool:
    """False once the terminal behind `fd` has hung up."""
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return False
    return True
