"""What a province's own system must implement to take the reference hub's place.

The HTTP layer (`sync.hub.app.create_app`) speaks the counter protocol and delegates every decision to
a `ProvincialSystem`. The reference implementation is `sync.hub.store.HubStore` (SQLAlchemy). A province
plugs in its own system (iGate or another) by implementing this Protocol, registering a factory
(`SystemSettings -> ProvincialSystem`) under the entry point group `motcua_counter.provincial_systems`
in its package, and choosing it with `[hub] system` in counter.toml or `counter hub serve --system NAME`.
The rules each method must keep are in its docstring; `tests/adapter_contract.py` checks them for any
system given a factory. The checks that need no database are in `sync/checks.py`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Literal, Protocol

from sync.protocol import EventResult, HubEvent

ENTRY_POINT_GROUP = "motcua_counter.provincial_systems"
REFERENCE = "reference"
"""The entry point name of the reference hub (`sync.hub.store.HubStore`), the default system."""


@dataclass(frozen=True)
class CounterIdentity:
    """An enrolled counter, as named by its bearer token."""

    unit_code: str
    counter_id: str
    sequence_first: int | None = None
    """First daily sequence number of the counter's block (None: enrolled with protocol 1)."""
    sequence_last: int | None = None
    """Last daily sequence number of the counter's block."""


@dataclass(frozen=True)
class AuditHeadAnswer:
    """What a system answers to a counter's audit head (`sync.audithead.AuditHeadResponse` without protocol)."""

    status: Literal["ok", "broken", "need"]
    count: int
    """The count now held (`ok`, `broken`), or the count the system held before (`need`)."""
    head: str
    flagged: tuple[str, ...] = ()
    """Counters of the unit whose audit chain the system has flagged."""


@dataclass(frozen=True)
class SystemSettings:
    """What `counter hub serve` hands to the factory of the system it starts."""

    db: str
    """`--db`: where the system keeps its data (a SQLAlchemy URL or SQLite path for the reference hub)."""
    timezone: str = "Asia/Ho_Chi_Minh"
    """Time zone in which the system stamps the changes it makes itself."""
    max_clock_ahead_seconds: int = 600
    """`[hub] max_clock_ahead_seconds`: a clock stamp further ahead of the system's clock is refused."""
    replace_active_token: bool = True
    """`[hub] replace_active_token`: enrolling a counter id again revokes its token (False: refused meanwhile)."""


class EnrolmentRefused(Exception):
    """An enrolment code is unknown, used, expired or meant for another unit."""

    def __init__(self, error: str, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason


class NotSupported(Exception):
    """A part of the protocol this system does not offer; the HTTP layer answers 404 `not_supported`."""


class UnknownSystem(Exception):
    """No provincial system is registered under the name asked for."""


class ProvincialSystem(Protocol):
    """The provincial side of sync; every method is called from a worker thread and may block."""

    # --- enrolment -------------------------------------------------------------------------------

    def enrol(self, code: str, unit_code: str, counter_id: str, sequence_first: int, sequence_last: int) -> str:
        """Redeem a one-time enrolment code for `unit_code` and return a new bearer token.

        A code works once (`code_used`); an unknown code is `invalid_code`, an expired one `code_expired`;
        a code issued for another unit raises EnrolmentRefused (`unit_mismatch`) and stays unused.
        The counter's block of daily sequence numbers must not overlap the block of another counter
        of the unit (`block_overlap`); `received` events are later checked against it.
        """
        ...

    def authenticate(self, token: str) -> CounterIdentity | None:
        """The counter a bearer token belongs to, or None when the token is unknown or revoked."""
        ...

    # --- push ------------------------------------------------------------------------------------

    def store_events(self, counter: CounterIdentity, events: list[dict[str, object]]) -> list[EventResult]:
        """Store a batch atomically and answer each event: results[i] answers events[i].

        The sender is checked first: an event (or a held event id) of another unit or counter is
        `rejected` (`unit_mismatch`, `counter_mismatch`) and never answered `duplicate`. Then text,
        clock stamp (`clock_ahead`), payload, code and block (`code_outside_block`), ownership and the
        lifecycle (`invalid_transition`), fees (`invalid_fee`, `fee_mismatch`, `receipt_outside_block`):
        `sync.checks` does all of these given the batch's `Owners` (with `fee_due` of the dossiers a
        batch pays for, from their `received` events).
        Idempotent by event id: an id already held with the same content answers `duplicate` (with its
        seq) and changes nothing; the same id with different content is `rejected` (`id_conflict`).
        Events that fail validation are `rejected` with a Vietnamese reason, never blocking the rest.
        Either the whole batch is stored, or nothing (an exception means nothing was stored and the
        counter will resend).
        """
        ...

    # --- pull ------------------------------------------------------------------------------------

    def events_after(
        self, counter: CounterIdentity, after: int, limit: int, include_own: bool
    ) -> tuple[list[HubEvent], int, bool]:
        """Events of the counter's unit with seq > `after`, in seq order: (events, next cursor, more).

        Without `include_own`, events that came from this same counter are left out (it has them),
        but the cursor still moves past them. Sequence numbers must only grow, and an event must
        never become visible at a seq lower than one already handed out.
        """
        ...

    # --- audit heads (counter/auditchain.py, sync/audithead.py) ----------------------------------

    def record_audit_head(
        self, counter: CounterIdentity, count: int, head: str, prior_count: int, prior_hash: str
    ) -> AuditHeadAnswer:
        """Keep the counter's audit-log head: `ok` when it extends the one held, else `broken` (flagged for good).

        When `prior_count` is not the count held, nothing changes and the answer is `need` with the held
        count (the counter resends with its hash at that count). The first head of a counter is `ok`.
        A system that keeps no heads raises NotSupported (the counter then carries on without).
        """
        ...

    # --- blobs -----------------------------------------------------------------------------------
    # Attachment bytes are not the system's business: they live behind sync/hub/blobstore.py's BlobStorage
    # (a directory by default), which `counter hub serve` hands to create_app beside the system.

    # --- the system itself -----------------------------------------------------------------------

    def server_time_ms(self) -> int:
        """The system's wall clock (Unix ms), against which counters measure their clock skew."""
        ...

    def close(self) -> None:
        """Release what the system holds (connections, files); called once when the server stops."""
        ...


SystemFactory = Callable[[SystemSettings], ProvincialSystem]
"""What a `motcua_counter.provincial_systems` entry point names: settings in, a ready system out."""


def system_names() -> list[str]:
    """The names of the installed provincial systems, sorted."""
    return sorted({entry.name for entry in entry_points(group=ENTRY_POINT_GROUP)})


def open_system(name: str, settings: SystemSettings) -> ProvincialSystem:
    """Start the provincial system registered as `name`; UnknownSystem when none is."""
    for entry in entry_points(group=ENTRY_POINT_GROUP, name=name):
        factory: SystemFactory = entry.load()
        return factory(settings)
    installed = ", ".join(system_names()) or "không có"
    raise UnknownSystem(f"Không có hệ thống tỉnh “{name}” (đã cài: {installed}).")
