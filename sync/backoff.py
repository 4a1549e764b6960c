"""Capped exponential backoff with full jitter (AWS Architecture Blog, Brooker 2015)."""

from __future__ import annotations

import random
from collections.abc import Callable


def backoff_ceiling(failures: int, base: float, cap: float) -> float:
    """The largest delay after `failures` consecutive failures: min(cap, base · 2^(failures − 1))."""
    if failures <= 0:
        return 0.0
    return min(cap, base * 2 ** min(failures - 1, 62))


def backoff_delay(failures: int, base: float, cap: float, rand: Callable[[], float] = random.random) -> float:
    """Seconds to wait before the next attempt: uniform in [0, ceiling), so many counters never align."""
    return rand() * backoff_ceiling(failures, base, cap)
