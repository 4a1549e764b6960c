"""What a clerk does with dossiers and what they view of them: one function each, one transaction each,
the audit record written inside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter.addresses.fields import AddressValue
from counter.attachments.records import has_result
from counter.citizens.idnumber import mask
from counter.context import CounterContext
from counter.custody import audit
from counter.errors import NotFoundError
from counter.fees.amounts import fee_of
from counter.law import cases, formpins, lifecycle, rules
from counter.queue import tickets as queue_tickets
from counter.records.dossiers import (
    DossierDraft,
    TransitionRefused,
    allocate_sequence,
    append_event,
    check_draft,
    dossier_code,
    dossiers_of_citizen,
    find,
    get_dossier,
    list_dossiers,
    name_in_dossier,
    pending_event_count,
    require_workday,
)
from counter.records.ids import uuid7
from counter.records.notices import STATUS_KINDS, notify
from counter.records.projection import FIELD_CORRECTED, RECEIVED, RESCHEDULED, STATUS_CHANGED, upsert_citizen
from counter.store.models import Dossier
from counter.store.rows import driver
from counter.text.plaintext import check_text


def create_dossier(ctx: CounterContext, draft: DossierDraft, clerk: str,
                   received_at: datetime | None = None, strict_addresses: bool = False) -> Dossier:
    """Validate and save a new dossier with its citizens and `received` event in one transaction."""
    received_at = received_at or ctx.now()
    form, values, structured = check_draft(ctx, draft, strict_addresses, received_at.date())
    day = received_at.date()
    case = cases.case_of(form, rules.facts_of(values, draft.people, day))
    procedure = cases.procedure_of(form, case, ctx.config.forms.procedure_codes)
    due_at = ctx.calendar.due_at(received_at, procedure.processing_days, procedure.cutoff_applies)
    fee = fee_of(form.id, procedure.case, procedure.fee_schedule, values, ctx.config.fees.amounts, draft.exemption,
                 ctx.config.source)
    with ctx.store.write() as session:
        for person in draft.people.values():
            upsert_citizen(session, person, received_at)
        formpins.pin(driver(session), form, received_at)
        sequence = allocate_sequence(session, ctx, day)
        code = dossier_code(ctx.config.unit.code, day, sequence)
        payload = {
            "form_id": form.id, "received_day": day.isoformat(), "sequence": sequence, "values": values,
            "people": {role: person.to_json() for role, person in draft.people.items()},
            "received_at": received_at.isoformat(), "due_at": due_at.isoformat(),
            "form_version": form.version, "form_sha256": form.sha256, "case": procedure.case,
            "procedure": procedure.name, "procedure_code": procedure.code,
            "documents": list(form.documents if draft.documents is None else draft.documents),
            "phone": "".join(draft.phone.split()), "fee": fee.to_json() if fee else None,
        }
        if structured:
            payload["addresses"] = {key: value.to_json() for key, value in structured.items()}
        if draft.consent:
            payload["notice_consent"], payload["notice_consent_at"] = True, received_at.isoformat()
        if draft.ticket:
            payload["ticket"] = queue_tickets.attach(session, draft.ticket, code, ctx.config.counter.id,
                                                     received_at).label
        dossier = append_event(session, ctx, None, RECEIVED, payload, clerk, received_at, uuid=uuid7(), code=code)
        audit.record(session, clerk, "create", "dossier", code, form.id, at=received_at)
        if draft.consent:
            audit.record(session, clerk, "consent", "dossier", code, "nhận thông báo qua số di động", at=received_at)
            notify(session, ctx, dossier, "received", clerk, received_at, payload)
    return dossier


def settle_address(ctx: CounterContext, code: str, field_id: str, value: AddressValue, clerk: str,
                   at: datetime | None = None) -> Dossier:
    """Settle a saved dossier's unresolved address (chosen ward, or the card's text kept): one correction event."""
    at = at or ctx.now()
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        form = ctx.forms.get(dossier.form_id)
        if form is None or field_id not in {f.id for f in form.fields if f.prefill == "address"}:
            raise NotFoundError(f"Hồ sơ {code} không có trường địa chỉ “{field_id}”.")
        payload = {"values": {field_id: value.text}, "addresses": {field_id: value.to_json()}}
        dossier = append_event(session, ctx, dossier, FIELD_CORRECTED, payload, clerk, at)
        audit.record(session, clerk, "settle_address", "dossier", code, f"{field_id}: {value.state}", at=at)
    return dossier


def change_status(ctx: CounterContext, code: str, target: str, clerk: str, reason: str = "",
                  at: datetime | None = None, **details: str) -> Dossier:
    """Move a dossier to `target` when the lifecycle allows it; one event, one transaction."""
    at = at or ctx.now()
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        problem = lifecycle.transition_error(dossier.status, target)
        if problem:
            raise TransitionRefused(problem)
        check_text(reason, "Lý do", multiline=True)
        for key, value in details.items():
            if isinstance(value, str):
                check_text(value, "Người nhận kết quả" if key == "receiver" else key)
        if target in lifecycle.REASON_REQUIRED and not reason.strip():
            raise TransitionRefused(f"Cần ghi lý do khi chuyển hồ sơ sang “{lifecycle.label(target)}”.")
        if target == lifecycle.RETURNED and not details.get("receiver", "").strip():
            raise TransitionRefused("Cần ghi tên người nhận kết quả.")
        if target == lifecycle.RETURNED and ctx.config.digitisation.require_result and not has_result(
                driver(session), dossier.uuid):
            raise TransitionRefused(f"Hồ sơ {code} chưa có bản số hóa kết quả; hãy đính kèm kết quả "
                                    "(counter dossier attach --kind result) trước khi trả.")
        payload = {"from": dossier.status, "to": target, "reason": reason, **details}
        dossier = append_event(session, ctx, dossier, STATUS_CHANGED, payload, clerk, at)
        if target in STATUS_KINDS:
            notify(session, ctx, dossier, STATUS_KINDS[target], clerk, at)
        audit.record(session, clerk, f"status:{target}", "dossier", code, reason, at=at)
    return dossier


def return_result(ctx: CounterContext, code: str, receiver: str, clerk: str,
                  at: datetime | None = None, *, receiver_id: str) -> Dossier:
    """Mark a finished dossier's result as handed over, noting who received it and their ID number
    (12-digit personal number, or a 9-digit old ID card number)."""
    number = "".join(receiver_id.split())
    if not (number.isdigit() and len(number) in (9, 12)):
        raise TransitionRefused("Cần ghi số định danh (12 chữ số) hoặc số CMND (9 chữ số) của người nhận kết quả; "
                                "quét thẻ của người nhận hoặc gõ số.")
    if not receiver.strip():
        with ctx.store.read() as session:
            receiver = name_in_dossier(session, get_dossier(session, code), number) or ""
        if not receiver:
            raise TransitionRefused(f"Số {mask(number)} không phải của người có tên trong hồ sơ {code}; "
                                    "hãy ghi họ tên người nhận kết quả.")
    return change_status(ctx, code, lifecycle.RETURNED, clerk, at=at, receiver=" ".join(receiver.split()),
                         receiver_id=number)


def reschedule(ctx: CounterContext, code: str, new_due_at: datetime, reason: str, clerk: str,
               at: datetime | None = None) -> Dossier:
    """Set a new due date with the apology slip's reason; allowed once per dossier, before finishing."""
    at = at or ctx.now()
    check_text(reason, "Lý do hẹn lại", multiline=True)
    if not reason.strip():
        raise TransitionRefused("Cần ghi lý do khi hẹn lại ngày trả kết quả.")
    require_workday(ctx, new_due_at.date())
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        if dossier.rescheduled:
            raise TransitionRefused("Hồ sơ đã được hẹn lại một lần; chỉ được hẹn lại một lần.")
        if dossier.status not in lifecycle.OPEN:
            raise TransitionRefused(f"Hồ sơ ở trạng thái “{lifecycle.label(dossier.status)}”, không thể hẹn lại.")
        if new_due_at <= dossier.due_at:
            raise TransitionRefused("Ngày hẹn mới phải sau ngày hẹn cũ.")
        payload = {"old_due_at": dossier.due_at.isoformat(), "new_due_at": new_due_at.isoformat(), "reason": reason}
        dossier = append_event(session, ctx, dossier, RESCHEDULED, payload, clerk, at)
        notify(session, ctx, dossier, "overdue", clerk, at)
        audit.record(session, clerk, "reschedule", "dossier", code, reason, at=at)
    return dossier


@dataclass(frozen=True)
class SearchPage:
    """One page of search results and whether another page follows."""

    dossiers: list[Dossier]
    page: int
    per_page: int
    more: bool


def search(ctx: CounterContext, query: str, clerk: str, page: int = 1, per_page: int = 50) -> SearchPage:
    """The F3 / `counter dossier find` search: one ranked page, with the search written to the audit log."""
    page, per_page = max(1, page), max(1, per_page)
    with ctx.store.write() as session:
        rows = find(session, query, limit=per_page + 1, offset=(page - 1) * per_page)
        shown = query.strip()
        detail = mask(shown) if len(shown) == 12 and shown.isdigit() else shown
        audit.record(session, clerk, "search", "dossier", f"{min(len(rows), per_page)} kết quả", detail[:80],
                     at=ctx.now())
    return SearchPage(rows[:per_page], page, per_page, len(rows) > per_page)


def citizen_history(ctx: CounterContext, id_number: str, clerk: str, via: str) -> list[Dossier]:
    """Every dossier of a citizen whose card was just read, newest first; the look is audited (masked)."""
    with ctx.store.write() as session:
        rows = dossiers_of_citizen(session, id_number)
        audit.record(session, clerk, "view", "citizen", mask(id_number), via, at=ctx.now())
    return rows


def day_list(ctx: CounterContext, day: date | None, counter_id: str | None = None) -> list[Dossier]:
    """Dossiers received on `day` (every day when None), at one counter or all, oldest first."""
    with ctx.store.read() as session:
        return list_dossiers(session, day, counter_id)


def pending_count(ctx: CounterContext) -> int:
    """How many events wait to be sent to the province (the status bar's outbox)."""
    with ctx.store.read() as session:
        return pending_event_count(session)
