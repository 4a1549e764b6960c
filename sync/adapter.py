"""What a province's own system must implement to take the reference hub's place.

The HTTP layer (`sync.hub.app.create_app`) speaks the counter protocol and delegates every decision to
a `ProvincialSystem`. The reference implementation is `sync.hub.store.HubStore` (SQLAlchemy); a
province wires its own system (iGate or another) by implementing this Protocol and serving
`create_app(its_system)` with any ASGI server. The rules each method must keep are in its docstring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sync.protocol import EventResult, HubEvent


@dataclass(frozen=True)
class CounterIdentity:
    """An enrolled counter, as named by its bearer token."""

    unit_code: str
    counter_id: str
    sequence_first: int | None = None
    """First daily sequence number of the counter's block (None: enrolled with protocol 1)."""
    sequence_last: int | None = None
    """Last daily sequence number of the counter's block."""


class EnrolmentRefused(Exception):
    """An enrolment code is unknown, used, expired or meant for another unit."""

    def __init__(self, error: str, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason


class ProvincialSystem(Protocol):
    """The provincial side of sync; every method is called from a worker thread and may block."""

    def enrol(self, code: str, unit_code: str, counter_id: str, sequence_first: int, sequence_last: int) -> str:
        """Redeem a one-time enrolment code for `unit_code` and return a new bearer token.

        A code works once; a code issued for another unit raises EnrolmentRefused and stays unused.
        The counter's block of daily sequence numbers must not overlap the block of another counter
        of the unit (`block_overlap`); `received` events are later checked against it.
        """
        ...

    def authenticate(self, token: str) -> CounterIdentity | None:
        """The counter a bearer token belongs to, or None when the token is unknown or revoked."""
        ...

    def store_events(self, counter: CounterIdentity, events: list[dict[str, object]]) -> list[EventResult]:
        """Store a batch atomically and answer each event: results[i] answers events[i].

        The sender is checked first: an event (or a held event id) of another unit or counter is
        `rejected` (`unit_mismatch`, `counter_mismatch`) and never answered `duplicate`. Then text,
        clock stamp (`clock_ahead`), payload, code and block (`code_outside_block`), ownership and the
        lifecycle (`invalid_transition`). Idempotent by event id: an id already held with the same
        content answers `duplicate` (with its seq) and changes nothing; the same id with different content is `rejected`
        (`id_conflict`). Events of another unit or counter, or that fail validation, are `rejected`
        with a Vietnamese reason, never blocking the rest. Either the whole batch is stored, or
        nothing (an exception means nothing was stored and the counter will resend).
        """
        ...

    def events_after(
        self, counter: CounterIdentity, after: int, limit: int, include_own: bool
    ) -> tuple[list[HubEvent], int, bool]:
        """Events of the counter's unit with seq > `after`, in seq order: (events, next cursor, more).

        Without `include_own`, events that came from this same counter are left out (it has them),
        but the cursor still moves past them. Sequence numbers must only grow, and an event must
        never become visible at a seq lower than one already handed out.
        """
        ...

    def server_time_ms(self) -> int:
        """The system's wall clock (Unix ms), against which counters measure their clock skew."""
        ...
