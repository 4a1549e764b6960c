"""What a provincial system checks in each pushed event before it stores it, without any database.

Any `sync.adapter.ProvincialSystem` runs these in order: `admit` (the sender, then the envelope's shape),
then for an id it already holds `foreign_id` / `id_conflict` / duplicate by `content_hash`, then `problem`
(text, clock, payload, code and block; for any event on a held dossier its owner, stamp order, payload bounds
and lifecycle: `sync/dossier_checks.py`) against the `Owners` of the batch's dossiers, which the system loads
from its own storage and updates with `Owners.claim` as it accepts events.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from counter.fees.numbering import in_block, receipt_block, receipt_label
from sync.adapter import CounterIdentity
from sync.dossier_checks import (
    HANDED_OVER,
    NO_FORMS,
    DossierFacts,
    KnownForms,
    dossier_problem,
    received_bounds,
)
from sync.protocol import (
    REJECTED,
    Event,
    EventResult,
    iso_datetime,
    payload_problem,
    payload_text_problem,
    printable,
    text_problem,
)

Problem = tuple[str, str]
"""Why an event is rejected: its code and one Vietnamese sentence."""

STAMP = re.compile(r"^(\d{15})-\d{5}-(.+)$")
ENVELOPE_TEXT = ("dossier_code", "unit_code", "type", "occurred_at", "clerk", "counter_id")
"""Envelope fields holding text: single-line, no control characters."""


@dataclass
class Owners:
    """What the system holds of the dossiers of one batch (by uuid and by code), updated as events are accepted."""

    by_uuid: dict[str, tuple[str, str]] = field(default_factory=dict)
    """uuid → (code, unit)."""
    by_code: dict[str, str] = field(default_factory=dict)
    """code → uuid."""
    facts: dict[str, DossierFacts] = field(default_factory=dict)
    """uuid → owner, status, last stamp, form and receipt time (after the events of this batch accepted so far)."""
    counters: frozenset[str] = frozenset()
    """The unit's enrolled, not revoked counters (needed only for a batch that hands a dossier over)."""

    def hold(self, uuid: str, code: str, unit_code: str, facts: DossierFacts) -> None:
        """Record a dossier the system already holds."""
        self.by_uuid[uuid] = (code, unit_code)
        self.by_code[code] = uuid
        self.facts[uuid] = facts

    def claim(self, event: Event, forms: KnownForms = NO_FORMS) -> None:
        """Record what an accepted event changes (a new dossier, a new status or owner) for later events."""
        if event.type == "received":
            self.by_uuid.setdefault(event.dossier_uuid, (event.dossier_code, event.unit_code))
            self.by_code.setdefault(event.dossier_code, event.dossier_uuid)
            self.facts.setdefault(event.dossier_uuid, DossierFacts.of_received(event, forms.of_received(event.payload)))
        elif event.dossier_uuid in self.facts:
            self.facts[event.dossier_uuid].fold(event.type, event.payload, event.hlc)


def rejected(event_id: str, problem: Problem) -> EventResult:
    """A rejection naming the event, its reason code and a Vietnamese sentence."""
    return EventResult(id=event_id, status=REJECTED, code=problem[0], reason=problem[1])


def content_hash(event: Event) -> str:
    """Fingerprint of an event's content, to tell a resend (same) from a reused id (different)."""
    text = json.dumps(event.model_dump(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def admit(counter: CounterIdentity, raw: dict[str, Any]) -> Event | EventResult:
    """A pushed event parsed, or its rejection: the sender is checked first, then the envelope's shape."""
    echo = str(raw.get("id", ""))[:64]
    sender = sender_problem(counter, raw)
    if sender is not None:
        return rejected(echo, sender)
    try:
        return Event.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "?"
        return rejected(echo, ("invalid_event", f"Sự kiện không đúng định dạng (trường {printable(where, 40)}: "
                                                f"{printable(first['msg'], 120)})."))


def sender_problem(counter: CounterIdentity, raw: dict[str, Any]) -> Problem | None:
    """Whether an event claims another unit or counter than the token's; checked before anything else."""
    unit, origin = raw.get("unit_code"), raw.get("counter_id")
    if isinstance(unit, str) and unit != counter.unit_code:
        return "unit_mismatch", f"Sự kiện thuộc đơn vị khác; quầy chỉ được gửi cho {counter.unit_code}."
    if isinstance(origin, str) and origin != counter.counter_id:
        return "counter_mismatch", f"Sự kiện của quầy khác; quầy đã đăng ký là {counter.counter_id}."
    return None


def foreign_id() -> Problem:
    """The answer for an event id the hub holds from another counter (never `duplicate`: no id leaks)."""
    return "counter_mismatch", "Mã sự kiện không thuộc quầy đã đăng ký."


def id_conflict() -> Problem:
    """The answer for an event id the hub holds from this counter with other content."""
    return "id_conflict", "Mã sự kiện đã được dùng cho một nội dung khác."


def text_problems(event: Event) -> Problem | None:
    """A control character or an unpaired surrogate anywhere in the event's text."""
    for name in ENVELOPE_TEXT:
        problem = text_problem(getattr(event, name))
        if problem:
            return "invalid_text", f"Trường {name} của sự kiện chứa {problem}."
    found = payload_text_problem(event.payload)
    if found:
        return "invalid_text", f"Trường {found[0]} của sự kiện chứa {found[1]}."
    return None


def clock_problem(counter: CounterIdentity, event: Event, now_ms: int, max_ahead_ms: int) -> Problem | None:
    """A stamp made by another node, or further ahead of the hub's clock than allowed."""
    match = STAMP.match(event.hlc)
    if match is None or match.group(2) != counter.counter_id:
        return "invalid_event", "Dấu thời gian (hlc) của sự kiện không do quầy này tạo."
    ahead = int(match.group(1)) - now_ms
    if ahead > max_ahead_ms:
        return "clock_ahead", (
            f"Dấu thời gian của sự kiện đi trước đồng hồ hệ thống tỉnh {ahead // 1000} giây "
            f"(tối đa {max_ahead_ms // 1000}); hãy chỉnh lại giờ của máy quầy."
        )
    return None


def code_problem(counter: CounterIdentity, event: Event) -> Problem | None:
    """A `received` code that is not UNIT-YYMMDD-NNNN of its own payload, or lies outside the sender's block."""
    payload = event.payload
    day = date.fromisoformat(payload["received_day"])
    expected = f"{event.unit_code}-{day:%y%m%d}-{payload['sequence']:04d}"
    if event.dossier_code != expected:
        return "invalid_code", (
            f"Mã hồ sơ {event.dossier_code} không khớp đơn vị, ngày và số thứ tự của hồ sơ ({expected})."
        )
    first, last = counter.sequence_first, counter.sequence_last
    if first is not None and last is not None and not first <= payload["sequence"] <= last:
        return "code_outside_block", (
            f"Số thứ tự {payload['sequence']} của hồ sơ {event.dossier_code} nằm ngoài dãy "
            f"{first}–{last} đã đăng ký cho quầy {counter.counter_id}."
        )
    return None


def problem(
    counter: CounterIdentity, event: Event, owners: Owners, now_ms: int, max_ahead_ms: int, trust: bool = True,
    forms: KnownForms = NO_FORMS,
) -> Problem | None:
    """Why the hub must reject this new event (code, Vietnamese reason), or None to accept it.

    `trust` False leaves out the text, clock, block, owner, stamp-order, bounds and lifecycle checks (only
    to measure their cost). Every event on a dossier, whatever its type, passes `sync/dossier_checks.py`.
    """
    if not iso_datetime(event.occurred_at):
        return "invalid_event", "Thời điểm của sự kiện không hợp lệ."
    found = trust and (text_problems(event) or clock_problem(counter, event, now_ms, max_ahead_ms))
    if found:
        return found
    missing = payload_problem(event.type, event.payload)
    if missing:
        return "invalid_payload", f"Nội dung sự kiện “{event.type}” thiếu hoặc sai trường “{missing}”."
    held = owners.by_uuid.get(event.dossier_uuid)
    if held is not None and held != (event.dossier_code, event.unit_code):
        return (
            "dossier_conflict",
            f"Hồ sơ {event.dossier_code} đã có ở hệ thống tỉnh với mã hoặc đơn vị khác.",
        )
    if event.type == "received":
        return received_problem(counter, event, owners, trust) or (
            trust and received_bounds(forms.of_received(event.payload), event)
        ) or None
    if not trust:
        return None
    if held is None:
        return "unknown_dossier", f"Hệ thống tỉnh chưa có hồ sơ {event.dossier_code}; cần gửi hồ sơ trước."
    facts = owners.facts[event.dossier_uuid]
    found = dossier_problem(facts, event, forms.get(facts.form_id))
    if not found and event.type == HANDED_OVER and event.payload["to"] not in owners.counters:
        return "invalid_payload", f"Quầy nhận {event.payload['to']} chưa đăng ký với hệ thống tỉnh cho đơn vị này."
    return found or fee_problem(counter, event) or None


def received_problem(counter: CounterIdentity, event: Event, owners: Owners, trust: bool) -> Problem | None:
    """A new dossier's code: shape, the sender's block, and not held by another dossier."""
    if not event.dossier_code.startswith(event.unit_code + "-"):
        return "invalid_code", f"Mã hồ sơ {event.dossier_code} không bắt đầu bằng mã đơn vị {event.unit_code}."
    found = trust and code_problem(counter, event)
    if found:
        return found
    holder = owners.by_code.get(event.dossier_code)
    if holder is not None and holder != event.dossier_uuid:
        return "code_conflict", (
            f"Mã hồ sơ {event.dossier_code} đã được một hồ sơ khác dùng; kiểm tra dãy số thứ tự của các quầy."
        )
    if holder == event.dossier_uuid:
        return "dossier_conflict", f"Hồ sơ {event.dossier_code} đã được tiếp nhận ở hệ thống tỉnh."
    return None


def fee_problem(counter: CounterIdentity, event: Event) -> Problem | None:
    """A payment whose fee receipt number is outside the sender's block (its amount: `sync/dossier_checks.py`)."""
    if event.type != "fee_paid":
        return None
    found = receipt_problem(event.payload, counter.counter_id, counter.sequence_first, counter.sequence_last)
    return ("receipt_outside_block", found) if found else None


def receipt_problem(payload: dict[str, Any], counter_id: str, first: int | None, last: int | None) -> str | None:
    """A fee receipt number outside the sending counter's block (unknown blocks are not judged)."""
    if first is None or last is None or in_block(payload["receipt_no"], first, last):
        return None
    low, high = receipt_block(first, last)
    return (f"Số biên lai {receipt_label(payload['receipt_no'], payload['receipt_year'])} nằm ngoài dãy "
            f"{low:08d}–{high:08d} của quầy {counter_id}.")
