"""The counter's own rules applied to events pulled from the hub: a refused event is kept aside, not applied.

The hub checks what it stores, but a counter trusts nothing unchecked either (an older or another
province's hub, or one tampered with): a pulled event must be plain text, carry a valid payload, use
a code of its own day and sequence that no other dossier holds, pass the form's rules when it is a
new dossier, and otherwise pass the same checks as at the hub (sync/dossier_checks.py): from the dossier's
owner, stamped after the dossier's last confirmed event, bounded payload, a move the lifecycle allows.
One that does not is stored in `held_event` and shown by `counter sync --status` and `counter report stuck`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from counter.citizens.identity import Identity
from counter.law import formpins, lifecycle
from counter.law.forms import FormDef, validate
from counter.law.rules import check_received
from counter.store.models import Dossier, DossierEvent, HeldEvent
from counter.store.rows import driver
from sync import dossier_checks
from sync.protocol import HubEvent, iso_datetime, payload_problem, payload_text_problem, printable, text_problem

ENVELOPE_TEXT = ("dossier_code", "unit_code", "type", "occurred_at", "clerk", "counter_id")


@dataclass
class Known:
    """The dossiers a page of pulled events touches, as this counter holds them, updated as events apply.

    `facts` fold only the events the hub confirmed (pulled, or pushed and answered), in the hub's
    order, so a pulled event is checked against what the hub held when it accepted it.
    """

    code_of: dict[str, str] = field(default_factory=dict)
    """uuid → code (every local dossier, synced or not)."""
    uuid_of: dict[str, str] = field(default_factory=dict)
    """code → uuid."""
    facts: dict[str, dossier_checks.DossierFacts] = field(default_factory=dict)
    """uuid → owner, status, last stamp, form and receipt time, folded up to the event being checked."""
    backlog: dict[str, list[Confirmed]] = field(default_factory=dict)
    """uuid → confirmed local events not folded yet, in the hub's order."""
    forms: dossier_checks.KnownForms = field(default_factory=lambda: dossier_checks.KnownForms({}))
    """The forms of this counter, to bound a dossier's values by the version it was taken on."""

    @classmethod
    def load(cls, session: Session, events: list[HubEvent], forms: dossier_checks.KnownForms) -> Known:
        """The local dossiers sharing a uuid or a code with these events and their confirmed events."""
        known = cls()
        if not events:
            return known
        uuids = {e.dossier_uuid for e in events}
        codes = {e.dossier_code for e in events}
        rows = session.exec(
            select(Dossier.uuid, Dossier.code).where(col(Dossier.uuid).in_(uuids) | col(Dossier.code).in_(codes))
        )
        for uuid, code in rows:
            known.code_of[uuid], known.uuid_of[code] = code, uuid
        confirmed = session.exec(
            select(DossierEvent).where(
                col(DossierEvent.dossier_uuid).in_(uuids), col(DossierEvent.synced_at).is_not(None)
            )
        )
        for event in sorted(confirmed, key=lambda e: (e.hub_seq or 0, e.hlc)):
            known.backlog.setdefault(event.dossier_uuid, []).append(Confirmed.of(event))
        known.forms = forms
        return known

    def facts_before(self, uuid: str, seq: int) -> dossier_checks.DossierFacts | None:
        """The dossier's facts after every confirmed event the hub sequenced before `seq`."""
        pending = self.backlog.get(uuid, [])
        while pending and (pending[0].seq or 0) < seq:
            self.fold(pending.pop(0))
        return self.facts.get(uuid)

    def fold(self, event: Confirmed) -> None:
        """Take one confirmed event into the dossier's facts."""
        if event.type == "received":
            form = self.forms.of_received(event.payload)
            self.facts[event.dossier_uuid] = dossier_checks.DossierFacts(
                event.dossier_code, event.counter_id, lifecycle.RECEIVED, event.hlc, form.id if form else "",
                str(event.payload.get("received_at", "")), dossier_checks.fee_amount(event.payload),
                notice_phone=dossier_checks.consented_phone(event.payload))
        elif event.dossier_uuid in self.facts:
            self.facts[event.dossier_uuid].fold(event.type, event.payload, event.hlc)

    def apply(self, event: HubEvent) -> None:
        """Record what an applied (or already held and now confirmed) event changes for the events after it."""
        if event.type == "received":
            self.code_of[event.dossier_uuid] = event.dossier_code
            self.uuid_of[event.dossier_code] = event.dossier_uuid
        self.facts_before(event.dossier_uuid, event.seq)
        self.fold(Confirmed.of(event))


@dataclass(frozen=True)
class Confirmed:
    """An event the hub holds, as far as the checks need it."""

    dossier_uuid: str
    dossier_code: str
    type: str
    payload: dict[str, Any]
    hlc: str
    counter_id: str
    seq: int | None

    @classmethod
    def of(cls, event: DossierEvent | HubEvent) -> Confirmed:
        """From a stored or a pulled event."""
        seq: int | None
        if isinstance(event, HubEvent):
            payload, seq = event.payload, event.seq
        else:
            payload, seq = json.loads(event.payload_json), event.hub_seq
        return cls(event.dossier_uuid, event.dossier_code, event.type, payload, event.hlc, event.counter_id, seq)


def _text(event: HubEvent) -> str | None:
    for name in ENVELOPE_TEXT:
        problem = text_problem(getattr(event, name))
        if problem:
            return f"Trường {name} chứa {problem}."
    found = payload_text_problem(event.payload)
    return f"Trường {found[0]} chứa {found[1]}." if found else None


def _person_ok(person: Any) -> bool:
    """Whether a person of a pulled `received` payload reads back as an identity with a name and ID."""
    try:
        identity = Identity.from_json(person)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return isinstance(identity.id_number, str) and isinstance(identity.full_name, str)


def _form_rules(session: Session, forms: dict[str, FormDef], event: HubEvent) -> str | None:
    """The form's field checks and legal rules on a pulled `received`, as a local save runs them."""
    payload = event.payload
    form = formpins.pinned(driver(session), str(payload.get("form_sha256", ""))) or forms.get(str(payload["form_id"]))
    if form is None:
        return f"Quầy không có mẫu tờ khai “{printable(str(payload['form_id']), 40)}” của hồ sơ."
    day = date.fromisoformat(payload["received_day"])
    errors = validate(form, {str(k): str(v) for k, v in payload["values"].items()}, day)
    errors = errors or check_received(form, payload)
    if not errors:
        return None
    field_id, sentence = next(iter(errors.items()))
    return f"Hồ sơ không đạt quy tắc của mẫu tờ khai (trường {printable(field_id, 40)}: {sentence})"


def _received(session: Session, event: HubEvent, known: Known, forms: dict[str, FormDef]) -> str | None:
    payload = event.payload
    expected = f"{event.unit_code}-{date.fromisoformat(payload['received_day']):%y%m%d}-{payload['sequence']:04d}"
    if event.dossier_code != expected:
        return f"Mã hồ sơ không khớp ngày và số thứ tự của hồ sơ ({expected})."
    for person in payload["people"].values():
        if not _person_ok(person):
            return "Thông tin công dân trong hồ sơ không hợp lệ."
    if event.dossier_uuid in known.code_of:
        return "Hồ sơ này đã được tiếp nhận trên quầy."
    if event.dossier_code in known.uuid_of:
        return "Mã hồ sơ đã được một hồ sơ khác trên quầy dùng."
    found = dossier_checks.received_bounds(known.forms.of_received(payload), event)
    return found[1] if found else _form_rules(session, forms, event)


@dataclass(frozen=True)
class Bounds:
    """The clock a pulled event's stamp is checked against and the forms its values are checked against."""

    now_ms: int
    max_ahead_ms: int
    forms: dict[str, FormDef]


def problem(session: Session, event: HubEvent, known: Known, bounds: Bounds) -> str | None:
    """Why this counter must not apply a pulled event (one Vietnamese sentence), or None."""
    found = _text(event)
    if found:
        return found
    if not iso_datetime(event.occurred_at):
        return "Thời điểm của sự kiện không hợp lệ."
    missing = payload_problem(event.type, event.payload)
    if missing:
        return f"Nội dung sự kiện “{event.type}” thiếu hoặc sai trường “{missing}”."
    ahead = dossier_checks.ahead_problem(event, bounds.now_ms, bounds.max_ahead_ms)
    if ahead:
        return ahead[1]
    if event.type == "received":
        return _received(session, event, known, bounds.forms)
    facts = known.facts_before(event.dossier_uuid, event.seq)
    if facts is None or known.code_of.get(event.dossier_uuid) != event.dossier_code:
        return "Quầy chưa có hồ sơ này (hoặc mã hồ sơ khác)."
    checked = dossier_checks.dossier_problem(facts, event, known.forms.get(facts.form_id))
    return checked[1] if checked else None


def hold(session: Session, event: HubEvent, reason: str, now: datetime) -> None:
    """Keep a refused pulled event aside (once), inside the caller's transaction."""
    if session.get(HeldEvent, event.id) is not None:
        return
    session.add(
        HeldEvent(
            id=event.id,
            dossier_code=event.dossier_code,
            type=event.type,
            counter_id=event.counter_id,
            hub_seq=event.seq,
            reason=reason,
            event_json=json.dumps(event.model_dump(), ensure_ascii=False),
            held_at=now,
        )
    )


def held(session: Session, limit: int = 500) -> list[HeldEvent]:
    """Pulled events kept aside, in the hub's order."""
    return list(session.exec(select(HeldEvent).order_by(col(HeldEvent.hub_seq)).limit(limit)))
