"""Versioned wire protocol between a counter and the provincial hub (documented in sync/PROTOCOL.md).

Every body is JSON (request bodies may be, and from our client always are, gzip-compressed). Each
message carries `protocol`; a hub refuses versions it does not speak with 400 `unsupported_protocol`.
"""

from __future__ import annotations

import gzip
import json
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
API_PREFIX = "/v1"

MAX_BATCH_EVENTS = 500
"""Events in one push; more is refused as oversized (413)."""
MAX_BODY_BYTES = 2 * 1024 * 1024
"""Request body as sent (compressed); more is refused as oversized (413)."""
MAX_RAW_BYTES = 16 * 1024 * 1024
"""Request body after decompression; more is refused as oversized (413)."""
MAX_PULL_EVENTS = 1000
"""Largest page a pull may ask for."""

ACCEPTED: Final = "accepted"
DUPLICATE: Final = "duplicate"
REJECTED: Final = "rejected"

UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
HLC_PATTERN = r"^\d{15}-\d{5}-[A-Za-z0-9_@-]{1,32}$"


class _Message(BaseModel):
    """Strict base: unknown keys are refused so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid")


class Event(_Message):
    """One dossier event as the counter stored it; `id` (UUIDv7) is the idempotency key."""

    id: str = Field(pattern=UUID_PATTERN)
    dossier_uuid: str = Field(pattern=UUID_PATTERN)
    dossier_code: str = Field(min_length=1, max_length=64)
    unit_code: str = Field(min_length=1, max_length=32)
    type: str = Field(min_length=1, max_length=40)
    payload: dict[str, Any]
    hlc: str = Field(pattern=HLC_PATTERN)
    occurred_at: str = Field(min_length=10, max_length=32)
    clerk: str = Field(max_length=200)
    counter_id: str = Field(min_length=1, max_length=32)


class HubEvent(Event):
    """An event as the hub hands it out on pull, with its hub sequence number."""

    seq: int


class PushRequest(_Message):
    """A batch of events for one unit (the envelope; each event is validated on its own)."""

    protocol: int
    unit_code: str = Field(min_length=1, max_length=32)
    events: list[dict[str, Any]] = Field(max_length=MAX_BATCH_EVENTS)


class EventResult(_Message):
    """The hub's answer for one pushed event; results[i] answers events[i] of the request."""

    status: Literal["accepted", "duplicate", "rejected"]
    seq: int | None = None
    """The event's hub sequence number (accepted and duplicate)."""
    id: str | None = None
    """The event id, echoed for rejected events only (accepted ones would cost bytes on a slow link)."""
    code: str | None = None
    """Machine-readable reason of a rejection (e.g. `unit_mismatch`, `id_conflict`, `invalid_event`)."""
    reason: str | None = None
    """One Vietnamese sentence for the clerk when rejected."""


class PushResponse(_Message):
    """Per-event results, one for each event in the order of the request, plus the hub's clock."""

    protocol: int = PROTOCOL_VERSION
    server_time_ms: int
    results: list[EventResult]


class PullResponse(_Message):
    """A page of this unit's events after a cursor; `next_after` is the cursor for the next page."""

    protocol: int = PROTOCOL_VERSION
    server_time_ms: int
    events: list[HubEvent]
    next_after: int
    more: bool


class EnrolRequest(_Message):
    """A counter redeeming a one-time enrolment code."""

    protocol: int
    code: str = Field(min_length=1, max_length=64)
    unit_code: str = Field(min_length=1, max_length=32)
    counter_id: str = Field(min_length=1, max_length=32)


class EnrolResponse(_Message):
    """The counter's bearer token (shown once) and what it is valid for."""

    protocol: int = PROTOCOL_VERSION
    token: str
    unit_code: str
    counter_id: str
    server_time_ms: int


class HelloResponse(_Message):
    """Who the hub thinks this counter is, and its clock (cheap reachability and auth probe)."""

    protocol: int = PROTOCOL_VERSION
    unit_code: str
    counter_id: str
    server_time_ms: int


class ErrorResponse(_Message):
    """A refused request: nothing from it was stored."""

    protocol: int = PROTOCOL_VERSION
    error: str
    reason: str


def encode_body(message: dict[str, Any], compress: bool = True) -> bytes:
    """Compact UTF-8 JSON, gzip-compressed unless `compress` is False."""
    raw = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0) if compress else raw
