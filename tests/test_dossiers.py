"""Dossiers: codes, due dates, one-transaction saves, citizens reused, events and look-ups."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select, text

from counter.citizens import identity
from counter.context import CounterContext, open_context
from counter.law import lifecycle
from counter.records.dossiers import (
    DossierDraft,
    DossierInvalid,
    SequenceExhausted,
    TransitionRefused,
    dossiers_of_citizen,
    find,
    pending_event_count,
)
from counter.services.dossiers import change_status, create_dossier, reschedule
from counter.store import Citizen, Dossier, DossierEvent
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD, write_config

STATUS_VALUES = {"subject_ethnicity": "Kinh", "subject_nationality": "Việt Nam",
                 "marital_status": "Chưa đăng ký kết hôn", "purpose": "Để đăng ký kết hôn"}


def marital_draft(payload: str = VALID_PAYLOAD) -> DossierDraft:
    """A complete marital-status confirmation request from one scan."""
    return DossierDraft("xac-nhan-tinh-trang-hon-nhan", {"subject": identity.parse(payload)}, dict(STATUS_VALUES))


def count(ctx: CounterContext, model: type) -> int:
    with ctx.store.read() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_code_and_due_date(ctx: CounterContext) -> None:
    """Code is <unit>-YYMMDD-XXXX; taken on Tuesday 24/11 (Ngày Văn hóa Việt Nam, a day off), 3 working
    days count from Wednesday: due Monday at closing time."""
    dossier = create_dossier(ctx, marital_draft(), "Lan", received_at=datetime(2026, 11, 24, 9, 30))
    assert dossier.code == "000.00.36.H40-261124-0001"
    assert dossier.due_at == datetime(2026, 11, 30, 17, 0)
    assert dossier.status == lifecycle.RECEIVED
    second = create_dossier(ctx, marital_draft(MOTHER_PAYLOAD), "Lan", received_at=datetime(2026, 11, 24, 9, 31))
    assert second.code.endswith("-261124-0002")
    next_day = create_dossier(ctx, marital_draft(), "Lan", received_at=datetime(2026, 11, 25, 8, 0))
    assert next_day.code.endswith("-261125-0001")


def test_two_counters_of_one_unit_never_collide(tmp_path: Path) -> None:
    """Each counter numbers within its own block, so offline codes are unique across the unit."""
    first = open_context(write_config(tmp_path / "q1", "Q1", 1, 4999))
    second = open_context(write_config(tmp_path / "q2", "Q2", 5000, 9999))
    at = datetime(2026, 11, 24, 10, 0)
    codes = {create_dossier(c, marital_draft(), "Lan", received_at=at).code for c in (first, second) for _ in range(3)}
    assert len(codes) == 6
    assert "000.00.36.H40-261124-5001" in codes and "000.00.36.H40-261124-0003" in codes


def test_sequence_block_exhaustion_is_refused(tmp_path: Path) -> None:
    """When a counter's block for the day is used up, saving says so and writes nothing."""
    ctx = open_context(write_config(tmp_path / "q", "Q3", 10, 11))
    at = datetime(2026, 11, 24, 10, 0)
    create_dossier(ctx, marital_draft(), "Lan", received_at=at)
    create_dossier(ctx, marital_draft(), "Lan", received_at=at)
    with pytest.raises(SequenceExhausted, match="10–11"):
        create_dossier(ctx, marital_draft(), "Lan", received_at=at)
    assert count(ctx, Dossier) == 2 and count(ctx, DossierEvent) == 2


def test_invalid_values_write_nothing(ctx: CounterContext) -> None:
    """A missing required field refuses the whole dossier: no citizen, dossier, event or audit row."""
    draft = marital_draft()
    draft.values.pop("purpose")
    with pytest.raises(DossierInvalid) as caught:
        create_dossier(ctx, draft, "Lan")
    assert caught.value.errors == {"purpose": "Bắt buộc nhập."}
    assert count(ctx, Citizen) == count(ctx, Dossier) == count(ctx, DossierEvent) == 0


def test_citizen_is_stored_once_and_reused(ctx: CounterContext) -> None:
    """A citizen scanned twice is one row, with both dossiers in their history."""
    create_dossier(ctx, marital_draft(), "Lan", received_at=datetime(2026, 11, 23, 9, 0))
    create_dossier(ctx, marital_draft(), "Lan", received_at=datetime(2026, 11, 24, 9, 0))
    assert count(ctx, Citizen) == 1
    with ctx.store.read() as session:
        history = dossiers_of_citizen(session, "036090000123")
    assert [d.received_at.day for d in history] == [24, 23]


def test_prefill_and_typed_values_are_stored(ctx: CounterContext) -> None:
    """The dossier holds prefilled card values and typed ones, dates in ISO form."""
    dossier = create_dossier(ctx, marital_draft(), "Lan")
    values = json.loads(dossier.values_json)
    assert values["subject_name"] == "Trần Văn Bình"
    assert values["subject_birth_date"] == "1990-04-15"
    assert values["purpose"] == "Để đăng ký kết hôn"


def test_lifecycle_events_and_projection(ctx: CounterContext) -> None:
    """Status changes and one reschedule are events; the row follows them; invalid moves are refused."""
    dossier = create_dossier(ctx, marital_draft(), "Lan", received_at=datetime(2026, 11, 24, 9, 0))
    change_status(ctx, dossier.code, lifecycle.PROCESSING, "Hùng", at=datetime(2026, 11, 24, 10, 0))
    with pytest.raises(TransitionRefused, match="Đang xử lý"):
        change_status(ctx, dossier.code, lifecycle.RETURNED, "Hùng")
    moved = reschedule(ctx, dossier.code, datetime(2026, 12, 1, 17, 0), "Cần xác minh", "Hùng",
                       at=datetime(2026, 11, 26, 9, 0))
    assert moved.rescheduled and moved.due_at == datetime(2026, 12, 1, 17, 0)
    with pytest.raises(TransitionRefused, match="một lần"):
        reschedule(ctx, dossier.code, datetime(2026, 12, 3, 17, 0), "Lại", "Hùng")
    done = change_status(ctx, dossier.code, lifecycle.DONE, "Hùng", at=datetime(2026, 11, 30, 11, 0))
    assert done.finished_at == datetime(2026, 11, 30, 11, 0)
    returned = change_status(ctx, dossier.code, lifecycle.RETURNED, "Lan", at=datetime(2026, 12, 1, 8, 0),
                             receiver="Trần Văn Bình")
    assert returned.returned_at == datetime(2026, 12, 1, 8, 0) and returned.event_count == 5
    with ctx.store.read() as session:
        assert pending_event_count(session) == 5


def test_events_are_append_only(ctx: CounterContext) -> None:
    """The database itself refuses to edit or delete an event or an audit entry."""
    create_dossier(ctx, marital_draft(), "Lan")
    for statement in ("UPDATE dossier_event SET payload_json = '{}'", "DELETE FROM dossier_event",
                      "UPDATE audit_log SET clerk = 'x'", "DELETE FROM audit_log"):
        with pytest.raises(IntegrityError, match="append-only"), ctx.store.write() as session:
            session.exec(text(statement))  # type: ignore[call-overload]


def test_find_by_code_id_and_name_without_diacritics(ctx: CounterContext) -> None:
    """Find works by code tail, 12-digit ID number and diacritic-free name."""
    dossier = create_dossier(ctx, marital_draft(MOTHER_PAYLOAD), "Lan")
    create_dossier(ctx, marital_draft(), "Lan")
    with ctx.store.read() as session:
        assert [d.code for d in find(session, dossier.code)] == [dossier.code]
        assert [d.code for d in find(session, "001305000456")] == [dossier.code]
        assert [d.code for d in find(session, "nguyen thi mai anh")] == [dossier.code]
        assert find(session, "khong ai") == []
