"""Checks of every event on a dossier, the same at the hub and on a counter's pulled side (no database).

Whatever its type (today's and any added later), an event on an existing dossier must come from the
dossier's owner counter (or the hub itself), carry a stamp later than the dossier's last one and not
too far ahead of the checker's clock, and a payload bounded in size and by the form's fields. The
owner is the counter that received the dossier until a `handed_over` event (from the owner) names
another counter of the unit.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from counter.fees.words import figures
from counter.law import lifecycle
from counter.law.forms import FormDef, field_error, parse_date
from counter.text.sms import MOBILE
from sync.protocol import Event

Problem = tuple[str, str]

HUB_NODE = "@hub"
"""Origin of events made at the hub (a provincial department): never a valid counter id."""
RECEIVED = "received"
STATUS_CHANGED = "status_changed"
HANDED_OVER = "handed_over"
"""A dossier handed from its owner counter to another counter of the unit (payload `to`)."""
FEE_PAID = "fee_paid"
FEE_REFUNDED = "fee_refunded"
FEE_EVENTS = (FEE_PAID, FEE_REFUNDED)
NOTICE_REQUESTED = "notice_requested"
NOTICE_STATE = "notice_state"
UNORDERED = frozenset({NOTICE_STATE})
"""Events that change nothing the checks fold (a notice's delivery, recorded at the hub while the owner keeps
writing): outside the stamp order, and they do not move it."""
MAX_PAYLOAD_CHARS = 65_536
"""Largest payload of any event, as compact JSON."""
MAX_VALUE_CHARS = 2_000
"""Longest field value when the form is not known to the checker."""
FIELD_ID = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
COUNTER_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
EARLIEST = datetime(2000, 1, 1)
"""No dossier event happened before this (year 1 and other placeholders are refused)."""
DUE_HORIZON = timedelta(days=5 * 366)
"""A due date lies at most this far after the dossier was received."""
FUTURE_SLACK = timedelta(days=1)
"""Local times may run ahead of the stamp's UTC by the unit's offset (at most 14 h): one day covers it."""
STAMP = re.compile(r"^(\d{15})-\d{5}-(.+)$")
NOT_OWNER = "not_owner"
STALE_STAMP = "stale_stamp"


@dataclass(frozen=True)
class KnownForms:
    """The forms a checker knows, by id; a dossier is checked against one only in the version it was taken on."""

    by_id: dict[str, FormDef]
    sha256: dict[str, str] = field(default_factory=dict)
    """form id → SHA-256 of its content (computed once)."""

    def __post_init__(self) -> None:
        self.sha256.update({form_id: form.sha256 for form_id, form in self.by_id.items()})

    def get(self, form_id: str) -> FormDef | None:
        """The form with this id, or None."""
        return self.by_id.get(form_id) if form_id else None

    def of_received(self, payload: dict[str, Any]) -> FormDef | None:
        """The form a `received` payload was taken on, when this checker has that very version."""
        form_id = str(payload.get("form_id", ""))
        form = self.get(form_id)
        pinned = payload.get("form_sha256")
        return form if form is not None and (not pinned or pinned == self.sha256[form_id]) else None


NO_FORMS = KnownForms({})
"""A checker that knows no form: values are bounded by size only."""


@dataclass
class DossierFacts:
    """What the checks need of a dossier as the checker holds it, folded from the events it accepted."""

    code: str
    owner: str
    status: str
    last_hlc: str
    form_id: str
    received_at: str
    fee_due: int | None = None
    """The fee its `received` event computed with the pinned schedule (None: no fee, or not loaded)."""
    paid: bool = False
    """A `fee_paid` stands, not refunded since."""
    notice_phone: str = ""
    """The mobile number the citizen agreed to get notices on, as its `received` event says ("" for none)."""

    @classmethod
    def of_received(cls, event: Event, form: FormDef | None) -> DossierFacts:
        """The facts a `received` event establishes (`form`: the version it was taken on, if known)."""
        return cls(event.dossier_code, event.counter_id, lifecycle.RECEIVED, event.hlc,
                   form.id if form else "", str(event.payload.get("received_at", "")), fee_amount(event.payload),
                   notice_phone=consented_phone(event.payload))

    def fold(self, event_type: str, payload: dict[str, Any], hlc: str) -> None:
        """Take one accepted later event into account."""
        if event_type == STATUS_CHANGED:
            self.status = str(payload.get("to", self.status))
        elif event_type == HANDED_OVER:
            self.owner = str(payload.get("to", self.owner))
        elif event_type in FEE_EVENTS:
            self.paid = event_type == FEE_PAID
        if event_type not in UNORDERED:
            self.last_hlc = max(self.last_hlc, hlc)


def consented_phone(payload: dict[str, Any]) -> str:
    """The mobile number a `received` payload's citizen agreed to get notices on ("" without consent)."""
    phone = payload.get("phone")
    if payload.get("notice_consent") is True and isinstance(phone, str) and MOBILE.fullmatch(phone):
        return phone
    return ""


def fee_amount(payload: dict[str, Any]) -> int | None:
    """The amount owed as a `received` payload's fee says (None: no fee)."""
    fee = payload.get("fee")
    amount = fee.get("amount") if isinstance(fee, dict) else None
    return amount if isinstance(amount, int) and not isinstance(amount, bool) else None


def stamp_parts(hlc: str) -> tuple[int, str] | None:
    """The physical milliseconds and the node of a stamp, or None when it is not one."""
    match = STAMP.match(hlc)
    return (int(match.group(1)), match.group(2)) if match else None


def ahead_problem(event: Event, now_ms: int, max_ahead_ms: int) -> Problem | None:
    """A stamp not made by the event's counter, or further ahead of the checker's clock than allowed."""
    parts = stamp_parts(event.hlc)
    if parts is None or parts[1] != event.counter_id:
        return "invalid_event", "Dấu thời gian (hlc) của sự kiện không do quầy gửi tạo."
    ahead = parts[0] - now_ms
    if ahead > max_ahead_ms:
        return "clock_ahead", (
            f"Dấu thời gian của sự kiện đi trước đồng hồ {ahead // 1000} giây "
            f"(tối đa {max_ahead_ms // 1000}); hãy chỉnh lại giờ của máy quầy."
        )
    return None


def owner_problem(facts: DossierFacts, event: Event) -> Problem | None:
    """An event on a dossier from a counter that does not own it (the hub itself always may)."""
    if event.counter_id in (facts.owner, HUB_NODE):
        return None
    return NOT_OWNER, (
        f"Hồ sơ {facts.code} do quầy {facts.owner} quản lý; quầy {event.counter_id} không được ghi "
        f"sự kiện “{event.type}” vào hồ sơ này (cần bàn giao hồ sơ trước)."
    )


def stamp_problem(facts: DossierFacts, event: Event) -> Problem | None:
    """A stamp not later than the dossier's last one: it would sort before events already applied."""
    if event.type in UNORDERED or event.hlc > facts.last_hlc:
        return None
    return STALE_STAMP, (
        f"Dấu thời gian của sự kiện không sau sự kiện cuối của hồ sơ {facts.code} ({facts.last_hlc}); "
        "thứ tự các sự kiện của hồ sơ sẽ khác nhau giữa các bên."
    )


def _moment(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is None else None


def _stamp_time(event: Event) -> datetime:
    parts = stamp_parts(event.hlc)
    return datetime(1970, 1, 1) + timedelta(milliseconds=parts[0] if parts else 0)


def _time_problem(name: str, value: Any, earliest: datetime, latest: datetime) -> Problem | None:
    moment = _moment(value)
    if moment is None or not earliest <= moment <= latest:
        return "invalid_payload", (
            f"Thời điểm “{name}” của sự kiện phải nằm trong khoảng {earliest:%d/%m/%Y} – {latest:%d/%m/%Y}."
        )
    return None


def _values_problem(form: FormDef | None, values: Any, on: date) -> Problem | None:
    """Field values: ids of the form's fields, each acceptable for its field (or bounded in length)."""
    if not isinstance(values, dict):
        return "invalid_payload", "Giá trị các trường của hồ sơ phải là một bảng."
    known = {f.id: f for f in form.fields} if form else {}
    for key, value in values.items():
        if not isinstance(value, str) or not FIELD_ID.match(key):
            return "invalid_payload", f"Trường “{key[:40]}” của hồ sơ không hợp lệ."
        if form is None:
            if len(value) > MAX_VALUE_CHARS:
                return "invalid_payload", f"Trường “{key}” dài quá {MAX_VALUE_CHARS} ký tự."
            continue
        if key not in known:
            return "invalid_payload", f"Mẫu tờ khai {form.id} không có trường “{key}”."
        problem = field_error(known[key], value, on, typed=False) if value else None
        if problem:
            return "invalid_payload", f"Trường “{known[key].label}”: {problem}"
    return None


def received_bounds(form: FormDef | None, event: Event) -> Problem | None:
    """A new dossier: times within bounds, the day of receipt matching, values fit for the form."""
    payload = event.payload
    latest = _stamp_time(event) + FUTURE_SLACK
    found = _time_problem("received_at", payload.get("received_at"), EARLIEST, latest)
    if found:
        return found
    received_at = datetime.fromisoformat(payload["received_at"])
    if parse_date(str(payload.get("received_day", ""))) != received_at.date():
        return "invalid_payload", "Ngày tiếp nhận (received_day) khác ngày của thời điểm tiếp nhận."
    found = _time_problem("due_at", payload.get("due_at"), received_at, received_at + DUE_HORIZON)
    found = found or _values_problem(form, payload.get("values"), received_at.date()) or consent_problem(payload)
    fee = None if found else received_fee_problem(payload.get("fee"))
    return ("invalid_fee", fee) if fee else found


def consent_problem(payload: dict[str, Any]) -> Problem | None:
    """A recorded consent to notices without its time or without a Vietnamese mobile number."""
    if "notice_consent" not in payload:
        return None
    if consented_phone(payload) and _moment(payload.get("notice_consent_at")) is not None:
        return None
    return "invalid_payload", ("Sự đồng ý nhận thông báo phải kèm thời điểm đồng ý và một số di động Việt Nam "
                               "(10 chữ số, bắt đầu 03, 05, 07, 08 hoặc 09).")


def notice_problem(facts: DossierFacts, event: Event) -> Problem | None:
    """A notice for a citizen who did not consent (or to another number); a delivery state not from the hub."""
    if event.type == NOTICE_REQUESTED and not facts.notice_phone:
        return "no_consent", (f"Công dân của hồ sơ {facts.code} chưa đồng ý nhận thông báo qua số di động; "
                              "không ghi thông báo.")
    if event.type == NOTICE_REQUESTED and event.payload.get("phone") != facts.notice_phone:
        return "invalid_payload", "Thông báo chỉ được gửi tới số di động công dân đã đồng ý khi nộp hồ sơ."
    if event.type == NOTICE_STATE and event.counter_id != HUB_NODE:
        return "invalid_event", "Chỉ hệ thống tỉnh ghi kết quả gửi thông báo."
    return None


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def received_fee_problem(fee: Any) -> str | None:
    """A `received` payload's fee that is not a fee object whose amount its lines add up to (None: no fee)."""
    if fee is None:
        return None
    if not isinstance(fee, dict) or not _whole(fee.get("amount")) or not isinstance(fee.get("exempt"), bool):
        return "Lệ phí trong hồ sơ không hợp lệ."
    lines = fee.get("lines")
    if not isinstance(lines, list) or not all(isinstance(line, dict) and _whole(line.get("amount")) for line in lines):
        return "Các dòng tính lệ phí trong hồ sơ không hợp lệ."
    total = sum(line["amount"] for line in lines)
    charged = 0 if fee["exempt"] else total
    if fee["amount"] != charged or (fee["exempt"] and fee.get("waived", 0) != total):
        return f"Lệ phí {figures(fee['amount'])} không khớp các dòng tính theo biểu phí ({figures(total)})."
    return None


def payment_problem(payload: dict[str, Any], fee_due: int | None) -> str | None:
    """A `fee_paid` amount other than the dossier's fee as its `received` event computed it (pinned schedule)."""
    if fee_due is None or fee_due <= 0:
        return "Hồ sơ không có phí, lệ phí phải nộp."
    if payload["amount"] != fee_due:
        return (f"Số tiền đã thu {figures(payload['amount'])} không khớp lệ phí của hồ sơ "
                f"({figures(fee_due)}) theo biểu phí đã ghim.")
    return None


def _size_over(payload: dict[str, Any], limit: int) -> bool:
    """Whether the payload's compact JSON is longer than `limit` (measured only when its strings come near)."""
    stack: list[Any] = [payload]
    rough = 0
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            rough += len(item)
        elif isinstance(item, dict):
            rough += sum(len(str(key)) for key in item) + 6 * len(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            rough += 2 * len(item)
            stack.extend(item)
        else:
            rough += 24
    return rough > limit // 2 and len(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))) > limit


def payload_bounds(form: FormDef | None, facts: DossierFacts | None, event: Event) -> Problem | None:
    """Bounds every payload obeys: size, times, and the form's fields wherever `values` appear."""
    if _size_over(event.payload, MAX_PAYLOAD_CHARS):
        return "invalid_payload", f"Nội dung sự kiện dài quá {MAX_PAYLOAD_CHARS} ký tự."
    found = _time_problem("occurred_at", event.occurred_at, EARLIEST, _stamp_time(event) + FUTURE_SLACK)
    if found or event.type == RECEIVED:
        return found or received_bounds(form, event)
    if facts is None:
        return None
    received_at = _moment(facts.received_at) or EARLIEST
    if "new_due_at" in event.payload:
        found = _time_problem("new_due_at", event.payload["new_due_at"], received_at, received_at + DUE_HORIZON)
    if not found and "values" in event.payload:
        found = _values_problem(form, event.payload["values"], _stamp_time(event).date() + FUTURE_SLACK)
    if not found and event.type == HANDED_OVER and not COUNTER_ID.match(str(event.payload.get("to", ""))):
        found = "invalid_payload", "Sự kiện bàn giao phải nêu mã quầy nhận (to)."
    return found


def dossier_problem(
    facts: DossierFacts, event: Event, form: FormDef | None
) -> Problem | None:
    """Owner, stamp order, payload bounds and lifecycle of an event on a dossier the checker holds."""
    found = owner_problem(facts, event) or stamp_problem(facts, event) or payload_bounds(form, facts, event)
    if found:
        return found
    if event.type == STATUS_CHANGED:
        reason = lifecycle.transition_error(facts.status, str(event.payload.get("to")))
        if reason:
            return "invalid_transition", reason
    return fee_state_problem(facts, event) or notice_problem(facts, event)


def fee_state_problem(facts: DossierFacts, event: Event) -> Problem | None:
    """A payment of a fee already paid or of another amount than the pinned fee; a refund of nothing paid."""
    if event.type == FEE_PAID and facts.paid:
        return "invalid_transition", f"Hồ sơ {facts.code} đã nộp phí, lệ phí; không thu lần thứ hai."
    if event.type == FEE_REFUNDED and not facts.paid:
        return "invalid_transition", f"Hồ sơ {facts.code} chưa nộp phí, lệ phí; không có gì để hoàn trả."
    fee = payment_problem(event.payload, facts.fee_due) if event.type == FEE_PAID else None
    return ("fee_mismatch", fee) if fee else None
