"""Identifiers and clocks for events: UUIDv7 and a bounded hybrid logical clock."""

from __future__ import annotations

import os
import re
import threading
import time
import uuid

MAX_LOGICAL = 99_999
"""Largest logical counter the stamp format holds (five digits); past it the physical part advances."""
MAX_PHYSICAL = 10**15 - 1
"""Largest physical part the stamp format holds (fifteen digits of milliseconds)."""
DEFAULT_MAX_AHEAD_MS = 600_000
"""How far ahead of local time a remote stamp may pull the clock ([hub] max_clock_ahead_seconds)."""
STAMP_PATTERN = re.compile(r"^(\d{15})-(\d{5})-([A-Za-z0-9_@-]{1,32})$")


def uuid7(unix_ms: int | None = None) -> str:
    """A time-ordered UUIDv7 (RFC 9562) as a string; generated before insert, it is the sync key."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & (2**48 - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | rand & (2**62 - 1)
    return str(uuid.UUID(int=value))


def wall_ms() -> int:
    """The local wall clock in Unix milliseconds."""
    return time.time_ns() // 1_000_000


class HybridClock:
    """Hybrid logical clock: stamps sort by physical time, then a counter, then the node.

    Bounded (Kulkarni et al. 2014, "max offset ε"): a stamp received from elsewhere moves the clock
    at most `max_ahead_ms` past local wall time, so one forged stamp cannot drag every node forward,
    and the logical counter never outgrows its five digits (the physical part advances instead).
    """

    def __init__(
        self, node: str, last_stamp: str | None = None, max_ahead_ms: int = DEFAULT_MAX_AHEAD_MS
    ) -> None:
        self.node = node
        self.max_ahead_ms = max_ahead_ms
        self._lock = threading.Lock()
        self._physical, self._logical = 0, 0
        if last_stamp:
            self.observe(last_stamp)

    def now(self, wall: int | None = None) -> str:
        """A new stamp, strictly greater than every stamp issued or adopted before."""
        wall = wall_ms() if wall is None else wall
        with self._lock:
            if wall > self._physical:
                self._physical, self._logical = wall, 0
            elif self._logical < MAX_LOGICAL:
                self._logical += 1
            else:
                self._physical, self._logical = self._physical + 1, 0
            return format_stamp(self._physical, self._logical, self.node)

    def observe(self, stamp: str, wall: int | None = None) -> bool:
        """Move past a stamp received from elsewhere, within the bound; False when it was clamped.

        A stamp further ahead than `max_ahead_ms` (or unreadable) moves the clock only to the bound.
        """
        wall = wall_ms() if wall is None else wall
        limit = min(wall + self.max_ahead_ms, MAX_PHYSICAL)
        parsed = parse_stamp_or_none(stamp)
        if parsed is None:
            return False
        within = parsed[0] <= limit
        physical, logical = parsed if within else (limit, 0)
        with self._lock:
            if (physical, logical) > (self._physical, self._logical):
                self._physical, self._logical = physical, logical
        return within


def format_stamp(physical_ms: int, logical: int, node: str) -> str:
    """Sortable text form of a clock reading."""
    return f"{physical_ms:015d}-{logical:05d}-{node}"


def parse_stamp(stamp: str) -> tuple[int, int]:
    """The physical milliseconds and logical counter of a stamp."""
    physical, logical, _ = stamp.split("-", 2)
    return int(physical), int(logical)


def parse_stamp_or_none(stamp: str) -> tuple[int, int] | None:
    """The physical milliseconds and logical counter of a well-formed stamp, or None."""
    match = STAMP_PATTERN.match(stamp)
    return (int(match.group(1)), int(match.group(2))) if match else None


def stamp_ahead_ms(stamp: str, wall: int | None = None) -> int:
    """How many milliseconds the stamp's physical part lies ahead of `wall` (negative: behind)."""
    physical, _ = parse_stamp(stamp)
    return physical - (wall_ms() if wall is None else wall)
