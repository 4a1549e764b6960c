"""What a document is built from: one dossier read from the store, with its form, people and events."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter.attachments import records
from counter.config import PaymentConfig, UnitConfig
from counter.fees.owed import owed_payload
from counter.law.cases import Procedure, procedure_of
from counter.law.formpins import form_of
from counter.law.forms import FormDef
from counter.records.dossiers import get_dossier, handed_in
from counter.records.projection import RECEIVED
from counter.store.models import Citizen, DossierEvent
from counter.store.rows import driver


@dataclass(frozen=True)
class EventView:
    """One event of the dossier as the slips need it."""

    type: str
    payload: dict[str, Any]
    at: datetime
    clerk: str


@dataclass(frozen=True)
class Person:
    """A person scanned for the dossier (name and address from the card)."""

    full_name: str
    address: str


@dataclass(frozen=True)
class Sources:
    """Everything the documents of one dossier print, detached from the database session."""

    unit: UnitConfig
    code: str
    form: FormDef
    values: dict[str, str]
    people: dict[str, Person]
    """Role id → person, in the order of the form's roles."""
    applicant_name: str
    received_at: datetime
    due_at: datetime
    sequence: int
    clerk: str
    events: tuple[EventView, ...]
    procedure: Procedure
    """The procedure as received: the form's own or its case (e.g. quá hạn), with the code of that day."""
    documents: tuple[str, ...]
    """The documents the citizen actually handed in."""
    phone: str
    """The citizen's phone number for the receipt ("" when not given)."""
    digitised: tuple[str, ...] = ()
    """Titles of the components scanned or linked on the dossier, in order ("(dùng lại)" marks a link)."""
    fee: dict[str, Any] | None = None
    """The fee computed when the dossier was received (counter.fees.amounts.Fee.to_json), None without one."""
    payment: dict[str, Any] | None = None
    """The current payment of the fee (counter.records.projection.payment_view), None while unpaid."""
    transfer_qr: str = ""
    """The VietQR payload for paying the fee by transfer ("" when paid, nothing to pay or no [payment])."""

    @property
    def applicant(self) -> Person:
        """The person who submitted the dossier (the first scanned role)."""
        return next(iter(self.people.values()), Person(self.applicant_name, ""))

    @property
    def promised_at(self) -> datetime:
        """The due time written on the receipt at reception (before any rescheduling)."""
        received = next((e for e in self.events if e.type == RECEIVED), None)
        return datetime.fromisoformat(received.payload["due_at"]) if received else self.due_at

    def last_event(self, event_type: str, **payload: str) -> EventView | None:
        """The newest event of `event_type` whose payload has these values."""
        for event in reversed(self.events):
            if event.type == event_type and all(event.payload.get(k) == v for k, v in payload.items()):
                return event
        return None


def load_sources(session: Session, unit: UnitConfig, forms: dict[str, FormDef], code: str,
                 payment: PaymentConfig | None = None) -> Sources:
    """Read one dossier and what its documents need; NotFoundError if the dossier or its form is unknown."""
    dossier = get_dossier(session, code)
    form = form_of(driver(session), forms, dossier)
    id_numbers: dict[str, str] = json.loads(dossier.people_json)
    citizens = {c.id_number: c for c in session.exec(
        select(Citizen).where(col(Citizen.id_number).in_(list(id_numbers.values()))))}
    order = [r.id for r in form.roles]
    people = {role: Person(citizens[n].full_name, citizens[n].address)
              for role, n in sorted(id_numbers.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
              if n in citizens}
    events = tuple(
        EventView(e.type, json.loads(e.payload_json), e.occurred_at, e.clerk)
        for e in session.exec(select(DossierEvent).where(DossierEvent.dossier_uuid == dossier.uuid)
                              .order_by(col(DossierEvent.hlc)))
    )
    received = next((e.payload for e in events if e.type == RECEIVED), {})
    procedure = procedure_of(form, str(received.get("case", "")))
    procedure = replace(procedure, code=str(received.get("procedure_code", procedure.code)))
    return Sources(unit=unit, code=dossier.code, form=form, values=json.loads(dossier.values_json), people=people,
                   applicant_name=dossier.applicant_name, received_at=dossier.received_at, due_at=dossier.due_at,
                   sequence=dossier.sequence, clerk=dossier.clerk, events=events, procedure=procedure,
                   documents=handed_in(form, received), phone=str(received.get("phone", "")),
                   digitised=_digitised(session, dossier.uuid),
                   fee=json.loads(dossier.fee_json) if dossier.fee_json else None,
                   payment=json.loads(dossier.payment_json) if dossier.payment_json else None,
                   transfer_qr=owed_payload(payment, dossier))


def _digitised(session: Session, dossier_uuid: str) -> tuple[str, ...]:
    """The component attachments in place, by title, a reused one marked."""
    return tuple(f"{a.title} (dùng lại)" if a.reused_from else a.title
                 for a in records.of_dossier(driver(session), dossier_uuid) if a.kind == records.COMPONENT)


def place_name(unit_name: str) -> str:
    """The commune's own name for "…, ngày … tháng … năm …" lines: "UBND xã Hải Minh" → "Hải Minh"."""
    name = re.sub(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", "", unit_name.strip(), flags=re.IGNORECASE)
    return re.sub(r"^(xã|phường|thị trấn|đặc khu)\s+", "", name, flags=re.IGNORECASE) or unit_name


def dated(place: str, when: datetime) -> str:
    """"Hải Minh, ngày 05 tháng 09 năm 2026"."""
    return f"{place}, ngày {when:%d} tháng {when:%m} năm {when:%Y}"


def clock_date(when: datetime) -> str:
    """"09 giờ 15 phút, ngày 05/09/2026" as receipts write appointment times."""
    return f"{when:%H} giờ {when:%M} phút, ngày {when:%d/%m/%Y}"


def addressee_line(addressee: str, unit_name: str) -> str:
    """"Ủy ban nhân dân xã" + unit → "Ủy ban nhân dân xã Hải Minh"; a full addressee is kept."""
    generic = re.search(r"\b(xã|phường|thị trấn)$", addressee.strip(), flags=re.IGNORECASE)
    return f"{addressee.strip()} {place_name(unit_name)}" if generic else addressee
