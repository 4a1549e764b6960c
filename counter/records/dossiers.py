"""Dossiers: drafts and their checks, events of this counter, look-ups and JSON views (what a clerk does with
them, in one audited transaction each, is in counter.services.dossiers)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from counter import addresses
from counter.addresses.fields import AddressValue, from_resolution
from counter.citizens.identity import Identity
from counter.context import CounterContext
from counter.errors import CounterError, NotFoundError
from counter.law import forms, lifecycle, rules
from counter.records.drafts import DossierDraft, DossierInvalid, RestoredNotSynced, SequenceExhausted, TransitionRefused
from counter.records.ids import uuid7
from counter.records.projection import (
    NewEvent,
    apply_event,
)
from counter.store import keyvalue, statements
from counter.store.models import Citizen, Dossier, DossierEvent, DossierPerson
from counter.text.sms import mobile_error
from counter.text.textfold import fold


def handed_in(form: forms.FormDef, received: dict[str, Any]) -> tuple[str, ...]:
    """The documents a `received` payload records as handed in (older dossiers: the form's list)."""
    documents = received.get("documents")
    return tuple(str(d) for d in documents) if isinstance(documents, list) else form.documents


def _check_extras(form: forms.FormDef, draft: DossierDraft) -> dict[str, str]:
    """Problems with the ticked documents and the phone number."""
    errors = {}
    known = {*form.documents, *form.optional_documents}
    unknown = [d for d in draft.documents or () if d not in known]
    if unknown:
        errors["documents"] = f"Mẫu tờ khai không có giấy tờ “{unknown[0]}”."
    problem = contact_error(draft.phone, draft.consent)
    if problem:
        errors["phone"] = problem
    return errors


def phone_error(phone: str) -> str | None:
    """Why a phone number for the receipt is not acceptable, or None (empty is fine: it is optional)."""
    digits = "".join(phone.split())
    if digits and not (digits.isdigit() and digits.startswith("0") and 10 <= len(digits) <= 11):
        return "Số điện thoại phải gồm 10–11 chữ số, bắt đầu bằng 0."
    return None


def contact_error(phone: str, consent: bool) -> str | None:
    """Why the phone number is refused: any number for the receipt, a Vietnamese mobile with consent to notices."""
    return mobile_error(phone) if consent else phone_error(phone)


UNRESOLVED_ADDRESS = ("Địa chỉ chưa xác định được xã/phường hiện nay: hãy chọn xã/phường "
                      "hoặc giữ nguyên địa chỉ trên thẻ.")


def address_values(form: forms.FormDef, values: dict[str, str],
                   settled: dict[str, AddressValue]) -> dict[str, AddressValue]:
    """Structured value of every filled address field (form order): the clerk's choice, else resolved now.

    `values` is updated in place: an exact address is printed in today's format.
    """
    structured: dict[str, AddressValue] = {}
    for field_def in form.fields:
        if field_def.prefill != "address" or not values.get(field_def.id):
            continue
        value = settled.get(field_def.id) or from_resolution(addresses.normalize(values[field_def.id]))
        values[field_def.id] = value.text
        structured[field_def.id] = value
    return structured


def merged_values(form: forms.FormDef, people: dict[str, Identity], typed: dict[str, str]) -> dict[str, str]:
    """Prefilled values of every scanned role, overridden by what was typed; normalised."""
    values: dict[str, str] = {}
    for role_id, person in people.items():
        values.update(forms.prefill(form, role_id, person))
    values.update(typed)
    known = {f.id: f for f in form.fields}
    return {k: forms.normalize_value(known[k], v) if k in known else v for k, v in values.items() if v != ""}


def legal_errors(form: forms.FormDef, values: dict[str, str], people: dict[str, Any], on: date) -> dict[str, str]:
    """Field checks, then the form's legal rules, by field id: what refuses a save (CLI, app, corrections)."""
    errors = forms.validate(form, values, on)
    for field_id, sentence in rules.check(form, rules.facts_of(values, people, on)).items():
        errors.setdefault(field_id, sentence)
    return errors


def check_draft(ctx: CounterContext, draft: DossierDraft, strict_addresses: bool = False, on: date | None = None
                ) -> tuple[forms.FormDef, dict[str, str], dict[str, AddressValue]]:
    """The form, final values and structured addresses of a draft, or DossierInvalid listing every problem.

    With `strict_addresses`, an address that is neither resolved nor explicitly kept as on the card is refused.
    The form's legal rules are judged on day `on` (default today), the registration day.
    """
    form = ctx.forms.get(draft.form_id)
    if form is None:
        raise NotFoundError(f"Không có mẫu tờ khai “{draft.form_id}”; xem `counter forms list`.")
    errors = {f"role:{r}": "Mẫu tờ khai không có vai trò này." for r in draft.people
              if r not in {role.id for role in form.roles}}
    values = merged_values(form, draft.people, draft.values)
    structured = address_values(form, values, draft.addresses)
    errors.update(_check_extras(form, draft))
    errors.update(legal_errors(form, values, dict(draft.people), on or ctx.now().date()))
    if strict_addresses:
        errors.update({key: UNRESOLVED_ADDRESS for key, value in structured.items()
                       if not value.settled and key not in errors})
    if errors:
        raise DossierInvalid(errors)
    return form, values, structured


def allocate_sequence(session: Session, ctx: CounterContext, day: date) -> int:
    """The next free sequence number of this counter's block for `day`; refused while a restore is not synced."""
    if keyvalue.get_value(session, keyvalue.RESTORED):
        raise RestoredNotSynced(
            "Quầy vừa khôi phục từ bản sao lưu: cần đồng bộ với hệ thống tỉnh (counter sync) trước khi cấp mã hồ sơ "
            "mới, để không cấp lại mã đã có trên hệ thống tỉnh; nếu quầy làm việc ngoại tuyến hẳn, giám sát xác nhận: "
            "counter sync --confirm-offline.")
    block = ctx.config.counter
    highest = statements.max_sequence(session, ctx.config.unit.code, day, block.sequence_first, block.sequence_last)
    sequence = block.sequence_first if highest is None else highest + 1
    if sequence > block.sequence_last:
        raise SequenceExhausted(
            f"Quầy {block.id} đã dùng hết dãy số {block.sequence_first}–{block.sequence_last} của ngày {day:%d/%m/%Y}."
        )
    return sequence


def dossier_code(unit_code: str, day: date, sequence: int) -> str:
    """Official dossier code `<unit>-YYMMDD-XXXX` (Thông tư 01/2018/TT-VPCP, Điều 19)."""
    return f"{unit_code}-{day:%y%m%d}-{sequence:04d}"


def append_event(session: Session, ctx: CounterContext, dossier: Dossier | None, event_type: str,
                 payload: dict[str, Any], clerk: str, at: datetime, *, uuid: str = "", code: str = "") -> Dossier:
    """Write one event of this counter and re-project its dossier, inside the caller's transaction.

    Only the dossier's owner counter writes to it (the hub and every counter refuse other counters' events).
    """
    if dossier is not None and dossier.counter_id != ctx.config.counter.id:
        raise CounterError(f"Hồ sơ {dossier.code} do quầy {dossier.counter_id} quản lý; quầy "
                           f"{ctx.config.counter.id} không được thay đổi hồ sơ này.", "Hồ sơ của quầy khác")
    event = NewEvent(
        id=uuid7(), dossier_uuid=dossier.uuid if dossier else uuid, dossier_code=dossier.code if dossier else code,
        unit_code=ctx.config.unit.code, type=event_type, payload_json=json.dumps(payload, ensure_ascii=False),
        hlc=ctx.clock.now(), occurred_at=at, clerk=clerk, counter_id=ctx.config.counter.id,
    )
    event.store(session)
    row = apply_event(session, dossier, event)
    assert row is not None, "a dossier exists once its received event is stored"
    return row


def require_workday(ctx: CounterContext, day: date) -> None:
    """Refuse an appointment on a day the counter does not work."""
    if not ctx.calendar.is_workday(day):
        raise TransitionRefused(f"Ngày {day:%d/%m/%Y} không phải ngày làm việc; hãy chọn ngày khác.")


def due_at_on(ctx: CounterContext, day: date) -> datetime:
    """The due time for a new appointment day (closing time), refusing a day the counter does not work."""
    require_workday(ctx, day)
    return datetime.combine(day, ctx.config.hours.closes)


def get_dossier(session: Session, code: str) -> Dossier:
    """The dossier with this code, or NotFoundError."""
    dossier = session.exec(select(Dossier).where(Dossier.code == code.strip())).first()
    if dossier is None:
        raise NotFoundError(f"Không có hồ sơ mã “{code.strip()}”.")
    return dossier


def list_dossiers(session: Session, day: date | None = None, counter_id: str | None = None) -> list[Dossier]:
    """Dossiers received on `day` (all days when None), newest last."""
    query = select(Dossier).order_by(col(Dossier.received_at), col(Dossier.code))
    if day is not None:
        query = query.where(Dossier.received_day == day)
    if counter_id is not None:
        query = query.where(Dossier.counter_id == counter_id)
    return list(session.exec(query))


def dossiers_of_citizen(session: Session, id_number: str, limit: int | None = None, offset: int = 0) -> list[Dossier]:
    """Every dossier in which this citizen appears in any role, newest first (indexed by ID number)."""
    return list(session.exec(
        select(Dossier).where(col(Dossier.id).in_(
            select(DossierPerson.dossier_id).where(DossierPerson.id_number == id_number)))
        .order_by(col(Dossier.received_at).desc(), col(Dossier.id).desc()).limit(limit).offset(offset)
    ))


def name_in_dossier(session: Session, dossier: Dossier, id_number: str) -> str | None:
    """The name under which a person with this ID number appears in the dossier (the applicant, or another
    person scanned for it), or None when nobody in it has that number."""
    if id_number == dossier.applicant_id_number:
        return dossier.applicant_name
    scanned = select(DossierPerson.id).where(DossierPerson.dossier_id == dossier.id,
                                             DossierPerson.id_number == id_number)
    if session.exec(scanned).first() is None:
        return None
    citizen = session.exec(select(Citizen).where(Citizen.id_number == id_number)).first()
    return citizen.full_name if citizen is not None else None


def _by_ids(session: Session, ids: list[int]) -> list[Dossier]:
    """Dossier rows in the order of `ids`."""
    rows = {d.id: d for d in session.exec(select(Dossier).where(col(Dossier.id).in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def find_by_name(session: Session, query: str, limit: int = 50, offset: int = 0) -> list[Dossier]:
    """Dossiers of anyone whose name has every word of `query` as a word prefix, diacritics ignored.

    Ranked: the exact name first, then names starting with the query, then the rest; newest first in each.
    """
    name = fold(query)
    words = re.findall(r"\w+", name)
    if not words:
        return []
    params = {"name": name, "upper": name + "\U0010ffff", "match": " AND ".join(f'"{w}"*' for w in words)}
    ids: list[int] = []
    for tier in range(len(statements.NAME_TIERS)):
        if len(ids) >= offset + limit:
            break
        ids += statements.ids_by_name(session, tier, {**params, "limit": offset + limit - len(ids)})
    return _by_ids(session, ids[offset:])


def find_by_code(session: Session, code: str, limit: int = 50, offset: int = 0) -> list[Dossier]:
    """The dossier with this code, or those whose code ends with it (`-0012`, `261201-0012`), newest first."""
    exact = session.exec(select(Dossier).where(Dossier.code == code)).first()
    if exact is not None:
        return [exact] if offset == 0 else []
    return list(session.exec(
        select(Dossier).where(col(Dossier.code).endswith(code))
        .order_by(col(Dossier.received_at).desc(), col(Dossier.id).desc()).limit(limit).offset(offset)
    ))


def find(session: Session, query: str, limit: int = 50, offset: int = 0) -> list[Dossier]:
    """Dossiers by code (or its tail), by 12-digit ID number, or by citizen name without diacritics.

    Every path reads an index: the code, `dossier_person.id_number`, or the FTS5 index of folded names.
    """
    wanted = query.strip()
    if not wanted:
        return []
    if len(wanted) == 12 and wanted.isdigit():
        return dossiers_of_citizen(session, wanted, limit, offset)
    if any(ch.isdigit() for ch in wanted):
        return find_by_code(session, wanted, limit, offset)
    return find_by_name(session, wanted, limit, offset)


def is_synced(session: Session, dossier: Dossier) -> bool:
    """True when every event of the dossier has reached the provincial hub."""
    pending = session.exec(
        select(func.count()).select_from(DossierEvent).where(
            DossierEvent.dossier_uuid == dossier.uuid, col(DossierEvent.synced_at).is_(None))
    ).one()
    return pending == 0


def pending_event_count(session: Session) -> int:
    """Events waiting to be sent (the outbox): not acknowledged by the hub and not quarantined."""
    return session.exec(
        select(func.count()).select_from(DossierEvent).where(
            col(DossierEvent.synced_at).is_(None), col(DossierEvent.quarantine_reason).is_(None))
    ).one()


def is_overdue(dossier: Dossier, now: datetime) -> bool:
    """Not finished and past the due time."""
    return dossier.status in lifecycle.OPEN and now > dossier.due_at
