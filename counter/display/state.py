"""What the citizen display shows, read from the store: the number called here and the dossier just saved.

A dossier is shown while it is the newest of this counter today, saved after the last call and within the
rating window; the fee slot stays empty (null) until the dossier carries a fee.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from counter.config import PaymentConfig
from counter.fees.owed import owed_payload
from counter.qr.qrdraw import qr_data_url
from counter.queue import tickets
from counter.ratings.tokens import is_rated
from counter.settings.queue import QueueConfig
from counter.store.models import Dossier, DossierEvent, QueueTicket


def last_four(id_number: str) -> str:
    """An ID number masked to its last 4 digits, as the citizen display shows it."""
    return "•" * max(0, len(id_number) - 4) + id_number[-4:]


def called_json(ticket: QueueTicket | None, queue: QueueConfig) -> dict[str, Any] | None:
    """The ticket called to this counter, or None."""
    if ticket is None or ticket.last_called_at is None:
        return None
    group = queue.groups.get(ticket.group_id)
    return {"ticket": ticket.label, "counter": ticket.counter_id, "group": group.name if group else ticket.group_id,
            "at": ticket.last_called_at.isoformat()}


def current_dossier(session: Session, counter_id: str, now: datetime, window_minutes: int,
                    ticket: QueueTicket | None) -> Dossier | None:
    """The dossier this counter saved last, if it belongs to the citizen now at the counter."""
    dossier = session.exec(select(Dossier).where(
        Dossier.counter_id == counter_id, Dossier.received_day == now.date())
        .order_by(col(Dossier.received_at).desc(), col(Dossier.id).desc()).limit(1)).first()
    if dossier is None or now - dossier.received_at > timedelta(minutes=window_minutes):
        return None
    if ticket is not None and ticket.last_called_at and dossier.received_at < ticket.last_called_at:
        return None
    return dossier


def dossier_json(session: Session, dossier: Dossier, payment: PaymentConfig | None = None) -> dict[str, Any]:
    """The summary the citizen sees: code, procedure, due date, masked ID number, the fee (paid or not, with
    its VietQR while owed when the unit takes transfers), rated or not."""
    received = session.exec(select(DossierEvent.payload_json).where(
        DossierEvent.dossier_uuid == dossier.uuid, DossierEvent.type == "received")).first()
    payload = json.loads(received) if received else {}
    fee = payload.get("fee")
    if isinstance(fee, dict):
        owed = owed_payload(payment, dossier)
        fee = {**fee, "paid": bool(dossier.payment_json), **({"qr_image": qr_data_url(owed)} if owed else {})}
    return {"code": dossier.code, "procedure": str(payload.get("procedure", dossier.form_id)),
            "due_at": dossier.due_at.isoformat(), "id_number": last_four(dossier.applicant_id_number),
            "fee": fee, "rated": is_rated(session, dossier.uuid)}


def display_state(session: Session, queue: QueueConfig, counter_id: str, now: datetime,
                  window_minutes: int, payment: PaymentConfig | None = None,
                  ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(called, dossier) for this counter now."""
    ticket = tickets.current(session, counter_id, now.date())
    dossier = current_dossier(session, counter_id, now, window_minutes, ticket)
    return called_json(ticket, queue), dossier_json(session, dossier, payment) if dossier else None
