"""Correct a saved dossier: one `field_corrected` event with old and new values and the reason, checked again."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from counter.context import CounterContext
from counter.custody import audit
from counter.law import cases, formpins, forms, lifecycle, rules
from counter.records.dossiers import DossierInvalid, TransitionRefused, append_event, get_dossier, legal_errors
from counter.records.projection import FIELD_CORRECTED, RECEIVED
from counter.store.models import Dossier, DossierEvent
from counter.store.rows import driver


class CorrectionRefused(TransitionRefused):
    """The dossier cannot be corrected this way (closed, nothing changed, no reason, a changed case)."""

    title = "Không sửa được hồ sơ"


def _received_payload(session: Session, dossier: Dossier) -> dict[str, Any]:
    event = session.exec(select(DossierEvent).where(
        DossierEvent.dossier_uuid == dossier.uuid, DossierEvent.type == RECEIVED).order_by(col(DossierEvent.hlc))
    ).first()
    return json.loads(event.payload_json) if event else {}


def correct(ctx: CounterContext, code: str, changes: dict[str, str], reason: str, clerk: str,
            at: datetime | None = None) -> Dossier:
    """Correct field values of an open dossier in one transaction; the form's field checks and rules run again.

    The dossier's own (pinned) form version judges the new values; a correction that would switch the
    dossier to another case (another processing time and fee) is refused: that is a new dossier.
    """
    at = at or ctx.now()
    if not reason.strip():
        raise CorrectionRefused("Cần ghi lý do sửa thông tin hồ sơ.")
    if not changes:
        raise CorrectionRefused("Chưa nêu trường nào cần sửa.")
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        if dossier.status not in lifecycle.OPEN:
            raise CorrectionRefused(
                f"Hồ sơ ở trạng thái “{lifecycle.label(dossier.status)}”; chỉ sửa được hồ sơ đang giải quyết.")
        form = formpins.form_of(driver(session), ctx.forms, dossier)
        known = {f.id: f for f in form.fields}
        unknown = {k: "Mẫu tờ khai không có trường này." for k in changes if k not in known}
        if unknown:
            raise DossierInvalid(unknown)
        old: dict[str, str] = json.loads(dossier.values_json)
        new = {k: forms.normalize_value(known[k], v) for k, v in changes.items()}
        new = {k: v for k, v in new.items() if old.get(k, "") != v}
        if not new:
            raise CorrectionRefused("Giá trị mới giống giá trị đang có; không có gì để sửa.")
        received = _received_payload(session, dossier)
        values = {k: v for k, v in {**old, **new}.items() if v}
        errors = legal_errors(form, values, received.get("people", {}), dossier.received_day)
        if errors:
            raise DossierInvalid(errors)
        was = str(received.get("case", ""))
        now_case = cases.case_of(form, rules.facts_of(values, received.get("people", {}), dossier.received_day))
        if now_case != was:
            raise CorrectionRefused(
                f"Sửa như vậy làm hồ sơ chuyển từ “{cases.procedure_of(form, was).name}” sang "
                f"“{cases.procedure_of(form, now_case).name}” (thời hạn và lệ phí khác); hãy rút hồ sơ này và "
                "tiếp nhận hồ sơ mới.")
        payload = {"values": new, "old_values": {k: old.get(k, "") for k in new}, "reason": reason.strip()}
        dossier = append_event(session, ctx, dossier, FIELD_CORRECTED, payload, clerk, at)
        audit.record(session, clerk, "correct", "dossier", dossier.code,
                     f"{', '.join(sorted(new))}: {reason.strip()}", at=at)
    return dossier
