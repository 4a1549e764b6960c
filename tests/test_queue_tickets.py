"""Queue tickets on a real database file: numbers by group, calls, skips, recalls, dossiers carrying them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter.citizens.identity import parse
from counter.context import CounterContext, open_context
from counter.errors import ConfigError
from counter.queue.tickets import TicketRefused, normalize_label
from counter.records.dossiers import DossierDraft
from counter.services import tickets
from counter.services.dossiers import create_dossier
from counter.settings.queue import parse_queue
from counter.store.models import AuditEntry, Dossier, DossierEvent, QueueTicket
from tests.conftest import MOTHER_PAYLOAD, write_config
from tests.documents_helpers import birth_values, pdf_pages_text

CLERK = "Nguyễn Thị Lan"
QUEUE = """
[queue]
[queue.groups.A]
name = "Hộ tịch"
forms = ["khai-sinh"]
[queue.groups.B]
name = "Chứng thực"
forms = ["chung-thuc-ban-sao"]
"""
MORNING = datetime(2026, 12, 1, 8, 0)


class Clock:
    """A settable ctx.now for times the test chooses."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, minutes: float) -> None:
        self.at += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> Clock:
    return Clock(MORNING)


@pytest.fixture
def qctx(tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Iterator[CounterContext]:
    context = open_context(write_config(tmp_path / "c1", extra=QUEUE))
    monkeypatch.setattr(context, "now", clock)
    yield context
    context.close()


def rows(ctx: CounterContext) -> list[QueueTicket]:
    with ctx.store.read() as session:
        return list(session.exec(select(QueueTicket).order_by(QueueTicket.id)))


def test_numbers_run_per_group_and_day_with_the_people_ahead(qctx: CounterContext, clock: Clock) -> None:
    first, second = tickets.take(qctx, CLERK), tickets.take(qctx, CLERK, "a")
    other = tickets.take(qctx, CLERK, "B")
    assert (first.label, first.ahead, first.group_name) == ("A-001", 0, "Hộ tịch")
    assert (second.label, second.ahead) == ("A-002", 1)
    assert (other.label, other.ahead) == ("B-001", 0)
    clock.at = MORNING + timedelta(days=1)
    assert tickets.take(qctx, CLERK).label == "A-001"


def test_an_unknown_group_is_one_sentence_and_stores_nothing(qctx: CounterContext) -> None:
    with pytest.raises(TicketRefused) as caught:
        tickets.take(qctx, CLERK, "Z")
    assert caught.value.message == "Không có nhóm “Z”; các nhóm: A (Hộ tịch), B (Chứng thực)."
    assert rows(qctx) == []


def test_call_skip_and_recall(qctx: CounterContext, clock: Clock) -> None:
    for _ in range(3):
        tickets.take(qctx, CLERK)
        clock.advance(1)
    with pytest.raises(TicketRefused, match="chưa gọi số nào"):
        tickets.skip(qctx, CLERK)
    assert tickets.call_next(qctx, CLERK).label == "A-001"
    clock.advance(5)
    called = tickets.call_next(qctx, CLERK)
    assert (called.label, called.state, called.counter, called.clerk) == ("A-002", "called", "Q1", CLERK)
    assert tickets.skip(qctx, CLERK).state == "skipped"
    assert tickets.call_next(qctx, CLERK).label == "A-003"
    back = tickets.recall(qctx, CLERK, "a-2")
    assert (back.label, back.state) == ("A-002", "called")
    states = {t.label: (t.state, t.recalls) for t in rows(qctx)}
    assert states == {"A-001": ("done", 0), "A-002": ("called", 1), "A-003": ("done", 0)}
    assert tickets.serving(qctx).label == "A-002"
    with pytest.raises(TicketRefused, match="Không còn ai đang chờ"):
        tickets.call_next(qctx, CLERK)
    with qctx.store.read() as session:
        actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions.count("ticket:call") == 3 and "ticket:skip" in actions and "ticket:recall" in actions


def test_a_dossier_carries_its_ticket_and_ends_its_service(qctx: CounterContext, clock: Clock) -> None:
    tickets.take(qctx, CLERK)
    clock.advance(10)
    tickets.call_next(qctx, CLERK)
    clock.advance(7)
    mother = parse(MOTHER_PAYLOAD)
    people = {"requester": mother, "mother": mother}
    draft = DossierDraft("khai-sinh", people, birth_values(clock.at), ticket="a12")
    with pytest.raises(TicketRefused, match="chưa phát số A-012"):
        create_dossier(qctx, draft, CLERK, received_at=clock.at)
    dossier = create_dossier(qctx, DossierDraft("khai-sinh", people, birth_values(clock.at), ticket="A-001"), CLERK,
                             received_at=clock.at)
    with qctx.store.read() as session:
        received = session.exec(select(DossierEvent).where(DossierEvent.dossier_uuid == dossier.uuid)).one()
        assert len(session.exec(select(Dossier)).all()) == 1
    assert json.loads(received.payload_json)["ticket"] == "A-001"
    (ticket,) = rows(qctx)
    assert (ticket.dossier_code, ticket.finished_at) == (dossier.code, clock.at)
    report = tickets.report(qctx, MORNING.date(), CLERK, "json").to_json()
    assert report["total"] == {"taken": 1, "served": 1, "skipped": 0, "still_waiting": 0, "wait_p50_min": 10.0,
                               "wait_p90_min": 10.0, "service_p50_min": 7.0, "service_p90_min": 7.0}
    assert report["by_clerk"][CLERK]["served"] == 1 and report["arrivals"] == {"08": 1}


def test_waiting_percentiles_by_group_and_hour(qctx: CounterContext, clock: Clock) -> None:
    for minutes in range(10):
        clock.at = MORNING + timedelta(minutes=10 * minutes)
        tickets.take(qctx, CLERK, "A" if minutes % 2 else "B")
    clock.at = MORNING + timedelta(hours=3)
    for _ in range(9):
        tickets.call_next(qctx, CLERK)
    report = tickets.report(qctx, MORNING.date(), CLERK, "text")
    data = report.to_json()
    assert data["total"]["taken"] == 10 and data["total"]["still_waiting"] == 1 and data["total"]["served"] == 8
    waits = sorted(180 - 10 * m for m in range(9))
    assert data["total"]["wait_p50_min"] == waits[4] and data["total"]["wait_p90_min"] == waits[8]
    assert data["arrivals"] == {"08": 6, "09": 4}
    assert set(data["by_group"]) == {"A", "B"}


def test_ticket_labels_and_queue_config() -> None:
    assert normalize_label(" b-7 ") == "B-007"
    with pytest.raises(TicketRefused):
        normalize_label("12")
    with pytest.raises(ConfigError, match=r"\[queue.groups.ab\]"):
        parse_queue("x.toml", {"groups": {"ab": {"name": "X"}}})
    with pytest.raises(ConfigError, match="default_group"):
        parse_queue("x.toml", {"groups": {"A": {"name": "X"}}, "default_group": "B"})
    assert parse_queue("x.toml", {}).default_group == "A"


def test_a_ticket_prints_as_a_pdf_with_its_number(qctx: CounterContext, tmp_path: Path) -> None:
    ticket = tickets.take(qctx, CLERK)
    target = tmp_path / "ticket.pdf"
    done = tickets.print_ticket(qctx, ticket, CLERK, target)
    assert done.target == str(target)
    (page,) = pdf_pages_text(target.read_bytes())
    assert "SỐ THỨ TỰ" in page and "A-001" in page and "Quý khách là người tiếp theo" in page
