"""Queue tickets of the day: take the next number of a group, call the next one to a counter, skip, recall.

A ticket holds no personal data: a group letter, the day's number, times, the counter and clerk that served
it and, once saved, the dossier code. Functions run inside the caller's write transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from counter.errors import CounterError
from counter.settings.queue import QueueConfig
from counter.store.models import QueueTicket

WAITING, CALLED, DONE, SKIPPED = "waiting", "called", "done", "skipped"
STATE_LABELS = {WAITING: "đang chờ", CALLED: "đang phục vụ", DONE: "đã phục vụ", SKIPPED: "bỏ qua"}
MAX_NUMBER = 999


class TicketRefused(CounterError):
    """A ticket action that cannot be done (unknown group or ticket, nobody waiting, wrong state)."""

    title = "Không thực hiện được với số thứ tự"


@dataclass(frozen=True)
class TicketView:
    """A ticket as the CLI, the app and the display show it."""

    label: str
    group: str
    group_name: str
    state: str
    taken_at: datetime
    ahead: int
    called_at: datetime | None
    counter: str
    clerk: str
    dossier_code: str

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `counter ticket … --json`."""
        return {"ticket": self.label, "group": self.group, "group_name": self.group_name, "state": self.state,
                "taken_at": self.taken_at.isoformat(), "ahead": self.ahead,
                "called_at": self.called_at.isoformat() if self.called_at else None,
                "counter": self.counter, "clerk": self.clerk, "dossier": self.dossier_code or None}


def label_of(group_id: str, number: int) -> str:
    """"A-012"."""
    return f"{group_id}-{number:03d}"


def normalize_label(text: str) -> str:
    """A typed ticket number in its printed form ("a12", "A-12", "A012" → "A-012"), or TicketRefused."""
    cleaned = "".join(text.split()).upper().replace("-", "")
    if len(cleaned) < 2 or not cleaned[0].isalpha() or not cleaned[1:].isdigit() or len(cleaned) > 4:
        raise TicketRefused(f"Số thứ tự “{text.strip()}” không đúng dạng (ví dụ A-012).")
    return label_of(cleaned[0], int(cleaned[1:]))


def waiting_ahead(session: Session, ticket: QueueTicket) -> int:
    """How many tickets of the same day and group wait before this one."""
    return int(session.exec(select(func.count()).select_from(QueueTicket).where(
        QueueTicket.day == ticket.day, QueueTicket.group_id == ticket.group_id, QueueTicket.state == WAITING,
        col(QueueTicket.number) < ticket.number)).one())


def view(session: Session, config: QueueConfig, ticket: QueueTicket) -> TicketView:
    """The ticket with its group's name and the people ahead of it."""
    group = config.groups.get(ticket.group_id)
    return TicketView(ticket.label, ticket.group_id, group.name if group else ticket.group_id, ticket.state,
                      ticket.taken_at, waiting_ahead(session, ticket) if ticket.state == WAITING else 0,
                      ticket.last_called_at, ticket.counter_id, ticket.called_by, ticket.dossier_code)


def take(session: Session, config: QueueConfig, group_id: str | None, now: datetime) -> QueueTicket:
    """The next number of the day in `group_id` (default group when None)."""
    group_id = (group_id or config.default_group).strip().upper()
    if group_id not in config.groups:
        raise TicketRefused(f"Không có nhóm “{group_id}”; các nhóm: "
                            + ", ".join(f"{g.id} ({g.name})" for g in config.groups.values()) + ".")
    highest = session.exec(select(func.max(QueueTicket.number)).where(
        QueueTicket.day == now.date(), QueueTicket.group_id == group_id)).one()
    number = (highest or 0) + 1
    if number > MAX_NUMBER:
        raise TicketRefused(f"Nhóm {group_id} đã phát hết {MAX_NUMBER} số của ngày hôm nay.")
    ticket = QueueTicket(day=now.date(), group_id=group_id, number=number, label=label_of(group_id, number),
                         state=WAITING, taken_at=now)
    session.add(ticket)
    session.flush()
    return ticket


def current(session: Session, counter_id: str, day: date) -> QueueTicket | None:
    """The ticket this counter is serving now (called last and not finished), if any."""
    return session.exec(select(QueueTicket).where(
        QueueTicket.day == day, QueueTicket.counter_id == counter_id, QueueTicket.state == CALLED)
        .order_by(col(QueueTicket.last_called_at).desc())).first()


def _finish_current(session: Session, counter_id: str, now: datetime) -> None:
    """End the service of the ticket this counter is serving, so a new call can begin."""
    serving = current(session, counter_id, now.date())
    if serving is not None:
        serving.state, serving.finished_at = DONE, serving.finished_at or now
        session.add(serving)


def call_next(session: Session, config: QueueConfig, counter_id: str, clerk: str, now: datetime,
              group_id: str | None = None) -> QueueTicket:
    """Call the longest-waiting ticket of the day (of `group_id` when named) to this counter."""
    query = select(QueueTicket).where(QueueTicket.day == now.date(), QueueTicket.state == WAITING)
    if group_id is not None:
        group_id = group_id.strip().upper()
        if group_id not in config.groups:
            raise TicketRefused(f"Không có nhóm “{group_id}”; các nhóm: {', '.join(config.groups)}.")
        query = query.where(QueueTicket.group_id == group_id)
    ticket = session.exec(query.order_by(col(QueueTicket.taken_at), col(QueueTicket.id))).first()
    if ticket is None:
        raise TicketRefused("Không còn ai đang chờ" + (f" trong nhóm {group_id}." if group_id else "."))
    _finish_current(session, counter_id, now)
    ticket.state, ticket.called_at, ticket.last_called_at = CALLED, now, now
    ticket.called_by, ticket.counter_id = clerk, counter_id
    session.add(ticket)
    session.flush()
    return ticket


def find(session: Session, label: str, day: date) -> QueueTicket:
    """Today's ticket with this number, or TicketRefused."""
    wanted = normalize_label(label)
    ticket = session.exec(select(QueueTicket).where(QueueTicket.day == day, QueueTicket.label == wanted)).first()
    if ticket is None:
        raise TicketRefused(f"Hôm nay chưa phát số {wanted}.")
    return ticket


def skip(session: Session, counter_id: str, now: datetime, label: str | None = None) -> QueueTicket:
    """Mark the called ticket (this counter's current one, or `label`) as skipped: the citizen did not come."""
    ticket = find(session, label, now.date()) if label else current(session, counter_id, now.date())
    if ticket is None:
        raise TicketRefused("Quầy chưa gọi số nào để bỏ qua.")
    if ticket.state != CALLED or ticket.dossier_code:
        raise TicketRefused(f"Số {ticket.label} {STATE_LABELS[ticket.state]}; chỉ bỏ qua được số đang gọi.")
    ticket.state, ticket.finished_at = SKIPPED, now
    session.add(ticket)
    return ticket


def recall(session: Session, counter_id: str, clerk: str, now: datetime, label: str | None = None) -> QueueTicket:
    """Call again this counter's current ticket, or a skipped one (`label`) that came back."""
    ticket = find(session, label, now.date()) if label else current(session, counter_id, now.date())
    if ticket is None:
        raise TicketRefused("Quầy chưa gọi số nào để gọi lại.")
    if ticket.state == SKIPPED:
        _finish_current(session, counter_id, now)
        ticket.finished_at = None
    elif ticket.state != CALLED or ticket.counter_id != counter_id:
        raise TicketRefused(f"Số {ticket.label} {STATE_LABELS[ticket.state]}; chỉ gọi lại được số đang gọi "
                            "tại quầy này hoặc số đã bỏ qua.")
    ticket.state, ticket.last_called_at, ticket.recalls = CALLED, now, ticket.recalls + 1
    ticket.called_by, ticket.counter_id = clerk, counter_id
    session.add(ticket)
    session.flush()
    return ticket


def attach(session: Session, label: str, dossier_code: str, counter_id: str, now: datetime) -> QueueTicket:
    """Tie a called ticket of this counter to the dossier being saved; its service ends with the save."""
    ticket = find(session, label, now.date())
    if ticket.state not in (CALLED, DONE) or ticket.counter_id != counter_id:
        raise TicketRefused(f"Số {ticket.label} chưa được gọi tới quầy này.")
    if not ticket.dossier_code:
        ticket.dossier_code, ticket.finished_at = dossier_code, now
        session.add(ticket)
    return ticket
