"""Notice when the terminal has gone away (window closed, SSH dropped) so the app quits.

Under `make run` the app may not receive SIGHUP when its terminal closes; Textual then keeps
reading a dead tty and spins a CPU core in the background while holding the database open.
"""

from __future__ import annotations

import os

from counter.platform import terminal_alive, watched_terminal_fd

__all__ = ["quit_if_terminal_gone", "terminal_alive", "watched_terminal_fd"]


def quit_if_terminal_gone(fd: int) -> None:
    """End the process at once when the terminal has hung up.

    Textual's graceful shutdown writes to the terminal and blocks forever on a dead one, so we leave
    with os._exit: every saved dossier is already committed (one transaction each), nothing is lost.
    """
    if not terminal_alive(fd):
        os._exit(0)
