"""Citizens' status notices as dossier events: a `notice_requested` event beside the change it tells about.

Only for a dossier whose citizen gave a Vietnamese mobile number and ticked consent (both in its `received`
event). The event travels to the hub with the others; the hub sends it and its `notice_state` events bring
the delivery back. Nothing is sent from the counter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from counter.context import CounterContext
from counter.records.dossiers import append_event
from counter.records.ids import uuid7
from counter.store import notices as store
from counter.store.models import Dossier
from counter.text.sms import MOBILE, render

PENDING, AT_HUB, SENT, FAILED = "pending", "at_hub", "sent", "failed"
STATE_LABELS = {PENDING: "chờ gửi lên tỉnh", AT_HUB: "đã ở hệ thống tỉnh", SENT: "đã gửi", FAILED: "gửi không được"}
KIND_LABELS = {"received": "Đã tiếp nhận", "need_supplement": "Cần bổ sung", "done": "Có kết quả",
               "refused": "Từ chối", "overdue": "Trễ hẹn, xin lỗi"}
STATUS_KINDS = {"need_supplement": "need_supplement", "done": "done", "refused": "refused"}
"""Status (lifecycle) → notice kind; `received` (a new dossier) and `overdue` (a reschedule) are written apart."""


def recipient(received: dict[str, Any]) -> str:
    """The mobile number a `received` payload's citizen agreed to get notices on ("" without consent)."""
    phone = str(received.get("phone", ""))
    return phone if received.get("notice_consent") is True and MOBILE.fullmatch(phone) else ""


def notify(session: Session, ctx: CounterContext, dossier: Dossier, kind: str, clerk: str, at: datetime,
           received: dict[str, Any] | None = None) -> None:
    """Write the citizen's notice of this change (a `notice_requested` event) when they gave consent."""
    received = received if received is not None else store.received_payload(session, dossier.uuid)
    phone = recipient(received)
    if not phone:
        return
    values = {"unit": ctx.config.unit.name, "code": dossier.code,
              "procedure": str(received.get("procedure") or dossier.form_id), "due": f"{dossier.due_at:%H:%M %d/%m/%Y}"}
    text, short = render(ctx.config.notices.templates[kind], values)
    payload = {"notice_id": uuid7(), "kind": kind, "phone": phone, "text": text, "text_ascii": short}
    append_event(session, ctx, dossier, store.NOTICE_REQUESTED, payload, clerk, at)


@dataclass(frozen=True)
class NoticeView:
    """One notice as the clerk sees it (the phone number masked)."""

    notice_id: str
    dossier: str
    kind: str
    phone: str
    text: str
    text_ascii: str
    created_at: datetime
    state: str
    detail: str

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `counter notices list --json`."""
        return {"id": self.notice_id, "dossier": self.dossier, "status": self.kind, "phone": self.phone,
                "text": self.text, "text_ascii": self.text_ascii, "created_at": self.created_at.isoformat(),
                "state": self.state, "detail": self.detail}


def mask_phone(phone: str) -> str:
    """091****678."""
    return phone[:3] + "****" + phone[-3:] if len(phone) >= 7 else "****"


def list_notices(session: Session, limit: int = 500) -> list[NoticeView]:
    """The newest notices first, each with its state: pending, at the hub, sent or failed (refused by the hub
    counts as failed, with the hub's reason)."""
    events = [(event, json.loads(event.payload_json)) for event in store.notice_events(session, limit)]
    outcomes = store.delivery_states(session, [str(payload.get("notice_id")) for _, payload in events])
    views = []
    for event, payload in events:
        outcome = outcomes.get(str(payload.get("notice_id")), {})
        if outcome.get("state") in (SENT, FAILED):
            state, detail = str(outcome["state"]), str(outcome.get("detail", ""))
        elif event.quarantine_reason:
            state, detail = FAILED, event.quarantine_reason
        else:
            state, detail = (AT_HUB if event.synced_at else PENDING), ""
        views.append(NoticeView(str(payload.get("notice_id")), event.dossier_code, str(payload.get("kind")),
                                mask_phone(str(payload.get("phone", ""))), str(payload.get("text", "")),
                                str(payload.get("text_ascii", "")), event.occurred_at, state, detail))
    return views
