"""Versioned wire protocol between a counter and the provincial hub (documented in sync/PROTOCOL.md).

Every body is JSON (request bodies may be, and from our client always are, gzip-compressed). Each
message carries `protocol`; a hub refuses versions it does not speak with 400 `unsupported_protocol`.
Version 2 added the counter's sequence block to enrolment; a v2 hub still takes v1 pushes and pulls.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from counter.law import lifecycle
from counter.settings.notices import KINDS as NOTICE_KINDS
from counter.text.plaintext import unseen_problem
from counter.text.sms import MOBILE, SMS_LIMIT

PROTOCOL_VERSION = 2
SUPPORTED_VERSIONS = frozenset({1, 2})
"""Versions a hub accepts on push, pull and hello (v1 counters keep syncing until upgraded)."""
ENROL_VERSION = 2
"""Enrolment needs v2: it carries the counter's sequence block, which v1 did not send."""
API_PREFIX = "/v1"

MAX_BATCH_EVENTS = 500
"""Events in one push; more is refused as oversized (413)."""
MAX_BODY_BYTES = 2 * 1024 * 1024
"""Request body as sent (compressed); more is refused as oversized (413)."""
MAX_RAW_BYTES = 16 * 1024 * 1024
"""Request body after decompression; more is refused as oversized (413)."""
MAX_PULL_EVENTS = 1000
"""Largest page a pull may ask for."""
MAX_JSON_DEPTH = 16
"""Deepest nesting of objects and arrays in a request (a received payload needs about 5)."""
MAX_JSON_STRING = 20_000
"""Longest string (or key) in a request, in characters."""
MAX_JSON_INTEGER_DIGITS = 18
"""Longest integer in a request (fits a signed 64-bit column); more is malformed, never a 500."""
MAX_SEQUENCE = 9999
"""Largest daily sequence number of a dossier code (UNIT-YYMMDD-NNNN)."""
MAX_CLOCK_AHEAD_SECONDS = 600
"""Default bound on how far ahead of the receiver's clock a stamp may be ([hub] max_clock_ahead_seconds)."""

ACCEPTED: Final = "accepted"
DUPLICATE: Final = "duplicate"
REJECTED: Final = "rejected"
CLOCK_AHEAD: Final = "clock_ahead"
"""Rejection code of an event stamped too far ahead of the hub's clock: the counter keeps it to resend."""

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
    counter_id: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    sequence_first: int = Field(ge=1, le=MAX_SEQUENCE)
    """First daily sequence number this counter hands out (its block; blocks of a unit never overlap)."""
    sequence_last: int = Field(ge=1, le=MAX_SEQUENCE)
    """Last daily sequence number of its block (≥ sequence_first)."""

    @model_validator(mode="after")
    def _block_in_order(self) -> EnrolRequest:
        if self.sequence_last < self.sequence_first:
            raise ValueError("sequence_last < sequence_first")
        return self


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


def iso_datetime(value: Any) -> bool:
    """Whether `value` is an ISO 8601 local date and time (no offset: times are the unit's local time)."""
    try:
        return datetime.fromisoformat(value).tzinfo is None
    except (TypeError, ValueError):
        return False


def iso_date(value: Any) -> bool:
    """Whether `value` is an ISO 8601 date."""
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


SHA256_HEX = re.compile(r"[0-9a-f]{64}")


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


MAX_RECEIPT = 99_990_000
"""Largest fee receipt number (eight digits: counter.fees.numbering)."""


def _whole(value: Any, low: int, high: int) -> bool:
    """An int (not a bool) within [low, high]."""
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


FEE_RULES: dict[str, Callable[[Any], bool]] = {
    "amount": lambda v: _whole(v, 1, 10**11),
    "receipt_no": lambda v: _whole(v, 1, MAX_RECEIPT),
    "receipt_year": lambda v: _whole(v, 2000, 2999),
}
PAYLOAD_RULES: dict[str, dict[str, Callable[[Any], bool]]] = {
    "received": {
        "form_id": lambda v: isinstance(v, str) and bool(v),
        "received_day": iso_date,
        "sequence": lambda v: isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 9999,
        "values": lambda v: isinstance(v, dict),
        "people": lambda v: isinstance(v, dict),
        "received_at": iso_datetime,
        "due_at": iso_datetime,
    },
    "status_changed": {"to": lambda v: isinstance(v, str) and v in lifecycle.STATUS_LABELS},
    "field_corrected": {"values": lambda v: isinstance(v, dict)},
    "rescheduled": {"new_due_at": iso_datetime},
    "notice_requested": {
        "notice_id": lambda v: isinstance(v, str) and re.match(UUID_PATTERN, v) is not None,
        "kind": lambda v: isinstance(v, str) and v in NOTICE_KINDS,
        "phone": lambda v: isinstance(v, str) and MOBILE.fullmatch(v) is not None,
        "text": lambda v: isinstance(v, str) and 0 < len(v) <= 1000,
        "text_ascii": lambda v: isinstance(v, str) and 0 < len(v) <= SMS_LIMIT and v.isascii() and v.isprintable(),
    },
    "notice_state": {
        "notice_id": lambda v: isinstance(v, str) and re.match(UUID_PATTERN, v) is not None,
        "state": lambda v: isinstance(v, str) and v in ("sent", "failed"),
        "attempts": lambda v: _whole(v, 0, 1000),
        "detail": lambda v: isinstance(v, str) and len(v) <= 500,
    },
    "rated": {"level": lambda v: type(v) is int and v in (1, 2, 3), "reasons": lambda v: isinstance(v, list)},
    "attachment_added": {
        "sha256": lambda v: isinstance(v, str) and bool(SHA256_HEX.fullmatch(v)),
        "kind": lambda v: isinstance(v, str) and v in ("component", "result"),
        "title": lambda v: isinstance(v, str) and 0 < len(v) <= 200 and "\n" not in v,
        "pages": _positive_int,
        "bytes": _positive_int,
    },
    "attachment_removed": {
        "attachment_id": lambda v: isinstance(v, str) and 0 < len(v) <= 64,
        "reason": lambda v: isinstance(v, str) and bool(v.strip()),
    },
    "fee_paid": {**FEE_RULES, "method": lambda v: isinstance(v, str) and v in ("cash", "transfer")},
    "fee_refunded": {**FEE_RULES, "reason": lambda v: isinstance(v, str) and bool(v.strip())},
}
"""Required payload keys of the event types both sides understand; other types are stored as they are."""


def payload_problem(event_type: str, payload: dict[str, Any]) -> str | None:
    """The first required payload key of a known event type that is missing or wrong, or None."""
    for key, valid in PAYLOAD_RULES.get(event_type, {}).items():
        if key not in payload or not valid(payload[key]):
            return key
    return None


SINGLE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
"""C0 and C1 controls, DEL and surrogate code points."""
MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
"""The same, but allowing tab, line feed and carriage return."""


def text_problem(value: str, multiline: bool = False) -> str | None:
    """Why `value` is not plain text (control character or unpaired surrogate), or None when it is.

    C0 and C1 controls and DEL are refused; a line break (LF, CR) and a tab only when `multiline`; so are
    invisible format characters and digits of other scripts, as on the counter (counter.text.plaintext).
    """
    found = (MULTI_LINE_BAD if multiline else SINGLE_LINE_BAD).search(value)
    if found is None:
        unseen = unseen_problem(value)
        return unseen.removeprefix("có ") if unseen else None
    point = ord(found.group())
    kind = "ký tự thay thế lẻ" if 0xD800 <= point <= 0xDFFF else "ký tự điều khiển"
    return f"{kind} U+{point:04X}"


def printable(text: str, limit: int = 60) -> str:
    """`text` cut to `limit` characters with anything unprintable shown as “?”, to quote it in a reason."""
    return "".join(ch if ch.isprintable() else "?" for ch in text[:limit])


def payload_text_problem(value: Any, where: str = "payload") -> tuple[str, str] | None:
    """The first string inside a payload that is not plain text: (where, problem), or None.

    Payload strings may hold line breaks (addresses, notes); keys may not.
    """
    stack: list[tuple[str, Any]] = [(where, value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item, multiline=True)
            if problem:
                return path, problem
        elif isinstance(item, dict):
            for key, child in item.items():
                problem = text_problem(str(key))
                if problem:
                    return path, problem
                stack.append((f"{path}.{key}", child))
        elif isinstance(item, list):
            stack.extend((f"{path}[{i}]", child) for i, child in enumerate(item))
    return None


def encode_body(message: dict[str, Any], compress: bool = True) -> bytes:
    """Compact UTF-8 JSON, gzip-compressed unless `compress` is False."""
    raw = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return gzip.compress(raw, compresslevel=6, mtime=0) if compress else raw
