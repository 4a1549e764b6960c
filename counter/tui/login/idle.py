"""Idle watch: the screen locks after `[security].idle_lock_minutes` without a key press or click."""

from __future__ import annotations

import time


class IdleWatch:
    """Remembers the last activity; `expired` says when the lock is due."""

    def __init__(self, minutes: int) -> None:
        self.limit = minutes * 60.0
        self.last = time.monotonic()

    def touch(self) -> None:
        """The clerk did something."""
        self.last = time.monotonic()

    def expired(self, now: float | None = None) -> bool:
        """True once the idle time has passed since the last activity."""
        return (time.monotonic() if now is None else now) - self.last >= self.limit
