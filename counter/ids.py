"""Identifiers and clocks for events: UUIDv7 and a hybrid logical clock."""

from __future__ import annotations

import os
import threading
import time
import uuid


def uuid7(unix_ms: int | None = None) -> str:
    """A time-ordered UUIDv7 (RFC 9562) as a string; generated before insert, it is the sync key."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & (2**48 - 1)) << 80 | 0x7 << 76 | (rand >> 68 & 0xFFF) << 64 | 0b10 << 62 | rand & (2**62 - 1)
    return str(uuid.UUID(int=value))


class HybridClock:
    """Hybrid logical clock: stamps sort by physical time, then a counter, then the node."""

    def __init__(self, node: str, last_stamp: str | None = None) -> None:
        self.node = node
        self._lock = threading.Lock()
        self._physical, self._logical = parse_stamp(last_stamp) if last_stamp else (0, 0)

    def now(self, wall_ms: int | None = None) -> str:
        """A new stamp, strictly greater than every stamp issued or observed before."""
        wall = time.time_ns() // 1_000_000 if wall_ms is None else wall_ms
        with self._lock:
            if wall > self._physical:
                self._physical, self._logical = wall, 0
            else:
                self._logical += 1
            return format_stamp(self._physical, self._logical, self.node)

    def observe(self, stamp: str) -> None:
        """Move past a stamp received from elsewhere, so later local events sort after it."""
        physical, logical = parse_stamp(stamp)
        with self._lock:
            if (physical, logical) > (self._physical, self._logical):
                self._physical, self._logical = physical, logical


def format_stamp(physical_ms: int, logical: int, node: str) -> str:
    """Sortable text form of a clock reading."""
    return f"{physical_ms:015d}-{logical:05d}-{node}"


def parse_stamp(stamp: str) -> tuple[int, int]:
    """The physical milliseconds and logical counter of a stamp."""
    physical, logical, _ = stamp.split("-", 2)
    return int(physical), int(logical)
