"""Lifecycle actions: transitions with reasons, returning results, rescheduling once, deadlines, audit."""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError
from sqlmodel import select

from counter.context import CounterContext
from counter.custody import audit
from counter.law import lifecycle
from counter.law.workdays import DUE_SOON, OVERDUE, deadline_state
from counter.records.dossiers import TransitionRefused, due_at_on, get_dossier
from counter.records.history import field_label, history_lines
from counter.records.views import detail_json
from counter.services.demo import demo_draft
from counter.services.dossiers import change_status, create_dossier, reschedule, return_result
from counter.store.db import DatabaseError, connect
from counter.store.migrations import migrate
from counter.store.models import AuditEntry, DossierEvent
from counter.store.rows import driver
from tests.conftest import CLERK_NAME, SUPERVISOR_NAME, signed_in
from tests.supervisor_month import XN, at

RECEIVED = at("2026-03-09 08:00")  # Monday; XN is due Thursday 2026-03-12 17:00


def new_dossier(ctx: CounterContext, clerk: str = "An") -> str:
    """A fresh certificate-of-marital-status dossier received on Monday 9 March 2026."""
    draft = demo_draft(ctx.forms[XN], random.Random(1), RECEIVED.date())
    return create_dossier(ctx, draft, clerk, received_at=RECEIVED).code


def test_full_lifecycle_with_reschedule_records_every_clerk(ctx: CounterContext) -> None:
    """Received → processing → need supplement → processing → rescheduled → done → returned, each an event."""
    code = new_dossier(ctx)
    change_status(ctx, code, lifecycle.PROCESSING, "Bình", at=at("2026-03-09 09:00"))
    change_status(ctx, code, lifecycle.NEED_SUPPLEMENT, "Bình", "Thiếu giấy tờ", at=at("2026-03-09 10:00"))
    change_status(ctx, code, lifecycle.PROCESSING, "Chi", at=at("2026-03-10 09:00"))
    reschedule(ctx, code, due_at_on(ctx, date(2026, 3, 16)), "Cần xác minh", "Chi", at=at("2026-03-11 09:00"))
    change_status(ctx, code, lifecycle.DONE, "Dũng", at=at("2026-03-16 10:00"))
    dossier = return_result(ctx, code, "  Trần   Văn Bình ", "An", at=at("2026-03-17 08:00"),
                            receiver_id=" 036090000123 ")
    assert dossier.status == lifecycle.RETURNED and dossier.returned_to == "Trần Văn Bình"
    assert dossier.finished_at == at("2026-03-16 10:00") and dossier.closed_at == at("2026-03-16 10:00")
    assert dossier.due_at == at("2026-03-16 17:00") and dossier.rescheduled
    with ctx.store.read() as session:
        events = session.exec(select(DossierEvent).where(DossierEvent.dossier_code == code)
                              .order_by(DossierEvent.hlc)).all()
        detail = detail_json(driver(session), get_dossier(session, code))
    assert [(e.type, e.clerk) for e in events] == [
        ("received", "An"), ("status_changed", "Bình"), ("status_changed", "Bình"), ("status_changed", "Chi"),
        ("rescheduled", "Chi"), ("status_changed", "Dũng"), ("status_changed", "An")]
    assert json.loads(events[-1].payload_json)["receiver"] == "Trần Văn Bình"
    assert detail["returned_to"] == "Trần Văn Bình"
    assert history_lines(detail["events"], field_label(None))[1:] == [
        "09:00 09/03/2026  Chuyển trạng thái: Đang xử lý — Bình, quầy Q1 (chưa gửi)",
        "10:00 09/03/2026  Chuyển trạng thái: Chờ bổ sung — Bình, quầy Q1 (chưa gửi)",
        "    Lý do: Thiếu giấy tờ",
        "09:00 10/03/2026  Chuyển trạng thái: Đang xử lý — Chi, quầy Q1 (chưa gửi)",
        "09:00 11/03/2026  Hẹn lại ngày trả: 16/03/2026 — Chi, quầy Q1 (chưa gửi)",
        "    Lý do: Cần xác minh",
        "10:00 16/03/2026  Chuyển trạng thái: Đã xử lý xong — Dũng, quầy Q1 (chưa gửi)",
        "08:00 17/03/2026  Chuyển trạng thái: Đã trả kết quả (người nhận: Trần Văn Bình) — An, quầy Q1 (chưa gửi)"]


def test_invalid_transitions_are_refused_with_the_reason(ctx: CounterContext) -> None:
    """A refused move names the current status and what is allowed from it; nothing is written."""
    code = new_dossier(ctx)
    with pytest.raises(TransitionRefused, match="chỉ chuyển được sang") as refused:
        change_status(ctx, code, lifecycle.RETURNED, "An", receiver="X")
    assert "Đã tiếp nhận" in refused.value.message and "Đã trả kết quả" in refused.value.message
    with pytest.raises(TransitionRefused, match="Cần ghi lý do"):
        change_status(ctx, code, lifecycle.REFUSED, "An", "  ")
    with pytest.raises(TransitionRefused, match="không tồn tại"):
        change_status(ctx, code, "lost", "An")
    change_status(ctx, code, lifecycle.REFUSED, "An", "Không thuộc thẩm quyền", at=at("2026-03-09 09:00"))
    with pytest.raises(TransitionRefused, match="hồ sơ đã kết thúc"):
        change_status(ctx, code, lifecycle.PROCESSING, "An")
    with ctx.store.read() as session:
        dossier = get_dossier(session, code)
    assert dossier.event_count == 2 and dossier.closed_at == at("2026-03-09 09:00")


def test_return_needs_a_finished_dossier_and_a_receiver(ctx: CounterContext) -> None:
    """Only a finished result can be handed over, and the receiver must be named."""
    code = new_dossier(ctx)
    with pytest.raises(TransitionRefused, match="Không thể chuyển"):
        return_result(ctx, code, "Bình", "An", receiver_id="036090000123")
    change_status(ctx, code, lifecycle.DONE, "An", at=at("2026-03-10 09:00"))
    with pytest.raises(TransitionRefused, match="tên người nhận"):
        return_result(ctx, code, "   ", "An", receiver_id="036090000123")
    with pytest.raises(TransitionRefused, match="số định danh"):
        return_result(ctx, code, "Bình", "An", receiver_id="12345")


def test_reschedule_once_on_a_working_day(ctx: CounterContext) -> None:
    """Rescheduling needs a reason, a later working day, and happens at most once."""
    code = new_dossier(ctx)
    with pytest.raises(TransitionRefused, match="không phải ngày làm việc"):
        due_at_on(ctx, date(2026, 3, 14))
    with pytest.raises(TransitionRefused, match="lý do"):
        reschedule(ctx, code, due_at_on(ctx, date(2026, 3, 16)), " ", "An")
    with pytest.raises(TransitionRefused, match="phải sau ngày hẹn cũ"):
        reschedule(ctx, code, due_at_on(ctx, date(2026, 3, 11)), "Xác minh", "An")
    reschedule(ctx, code, due_at_on(ctx, date(2026, 3, 16)), "Xác minh", "An", at=at("2026-03-10 09:00"))
    with pytest.raises(TransitionRefused, match="chỉ được hẹn lại một lần"):
        reschedule(ctx, code, due_at_on(ctx, date(2026, 3, 18)), "Lần nữa", "An")


def test_deadline_state(ctx: CounterContext) -> None:
    """Overdue after the due time; due soon when due by the end of the next working day."""
    due = at("2026-03-16 17:00")  # Monday
    cal = ctx.calendar
    assert deadline_state(True, due, at("2026-03-13 09:00"), cal) == DUE_SOON  # Friday; Monday is next
    assert deadline_state(True, due, at("2026-03-12 09:00"), cal) == ""
    assert deadline_state(True, due, at("2026-03-16 16:59"), cal) == DUE_SOON
    assert deadline_state(True, due, at("2026-03-16 17:01"), cal) == OVERDUE
    assert deadline_state(False, due, at("2026-03-20 09:00"), cal) == ""


def test_lifecycle_cli(config_path: Path) -> None:
    """`counter dossier status|return|reschedule` act for the signed-in clerk or refuse with one line on stderr."""
    from counter.context import open_context

    ctx = open_context(config_path)
    try:
        code = new_dossier(ctx)
        with ctx.store.read() as session:
            applicant = get_dossier(session, code)
            applicant_name, applicant_id = applicant.applicant_name, applicant.applicant_id_number
    finally:
        ctx.close()
    cli = signed_in(config_path)
    refused = cli("dossier", "status", code, "refused")
    assert refused.returncode == 1 and "Cần ghi lý do" in refused.stderr and refused.stderr.count("\n") == 1
    moved = cli("dossier", "status", code, "processing", "--json")
    assert moved.returncode == 0 and json.loads(moved.stdout)["status"] == "processing"
    later = cli("dossier", "reschedule", code, "--due", "2027-01-05", "--reason", "Xác minh")
    assert later.returncode == 0 and "05/01/2027" in later.stdout
    again = cli("dossier", "reschedule", code, "--due", "2027-01-06", "--reason", "Nữa")
    assert again.returncode == 1 and "một lần" in again.stderr
    cli("dossier", "status", code, "done")
    given = cli.as_user(SUPERVISOR_NAME, "dossier", "return", code, "--receiver-id", applicant_id)
    assert given.returncode == 0 and f"đã trả kết quả cho {applicant_name};" in given.stdout
    cli.login(SUPERVISOR_NAME)
    log = cli("audit", "--subject", code, "--json")
    actions = {(e["clerk"], e["action"]) for e in json.loads(log.stdout) if e["clerk"] != "An"}
    assert actions == {(SUPERVISOR_NAME, "status:returned"), (CLERK_NAME, "reschedule"),
                       (CLERK_NAME, "status:done"), (CLERK_NAME, "status:processing")}
    shown = cli("dossier", "show", code).stdout
    assert f"Chuyển trạng thái: Đã trả kết quả (người nhận: {applicant_name}) — {SUPERVISOR_NAME}" in shown
    assert "Hẹn lại ngày trả: 05/01/2027" in shown and "Lý do: Xác minh" in shown


def test_audit_log_cannot_be_edited(ctx: CounterContext) -> None:
    """Updates and deletes of audit entries fail, through the ORM and through raw SQL."""
    code = new_dossier(ctx)
    with ctx.store.write() as session:
        audit.record(session, "An", "view", "dossier", code, "cli", at=at("2026-03-09 08:30"))
    with pytest.raises(DBAPIError, match="append-only"), ctx.store.write() as session:
        entry = session.exec(select(AuditEntry)).first()
        assert entry is not None
        entry.clerk = "Người khác"
        session.add(entry)
    raw = ctx.store.connect()
    try:
        for statement in ("UPDATE audit_log SET detail = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DatabaseError, match="append-only"):
                raw.execute(statement)
    finally:
        raw.close()
    with ctx.store.read() as session:
        entries = audit.entries(session)
    assert [(e.clerk, e.action) for e in entries] == [("An", "view"), ("An", "create")]


def test_audit_filters(ctx: CounterContext) -> None:
    """Entries filter by clerk, time range, action prefix and subject; newest first."""
    with ctx.store.write() as session:
        rows = [("An", "view", "D-1"), ("Bình", "status:done", "D-2"), ("An", "status:refused", "D-3"),
                ("An", "sign_in", "An")]
        for minute, (clerk, action, ref) in enumerate(rows):
            audit.record(session, clerk, action, "dossier", ref, at=datetime(2026, 3, 9, 8, minute))
    with ctx.store.read() as session:
        assert [e.subject_ref for e in audit.entries(session, clerk="An")] == ["An", "D-3", "D-1"]
        assert [e.subject_ref for e in audit.entries(session, action="status")] == ["D-3", "D-2"]
        since = audit.entries(session, since=datetime(2026, 3, 9, 8, 1), until=datetime(2026, 3, 9, 8, 3))
        assert [e.subject_ref for e in since] == ["D-3", "D-2"]
        assert [e.subject_ref for e in audit.entries(session, subject="D-2")] == ["D-2"]


def test_migration_v4_backfills_closing_time_and_receiver(ctx: CounterContext, tmp_path: Path) -> None:
    """A database at v3 gets closed_at and returned_to filled from its events when upgraded."""
    returned, refused = new_dossier(ctx), new_dossier(ctx)
    change_status(ctx, returned, lifecycle.DONE, "An", at=at("2026-03-10 09:00"))
    return_result(ctx, returned, "Bình", "An", at=at("2026-03-11 09:00"), receiver_id="036090000123")
    change_status(ctx, refused, lifecycle.REFUSED, "An", "Sai thẩm quyền", at=at("2026-03-09 11:00"))
    old = connect(tmp_path / "old.db", None)
    migrate(old, target=3)
    assert ctx.store.key is not None
    old.execute(f"ATTACH DATABASE ? AS new KEY \"x'{ctx.store.key.hex()}'\"", (str(ctx.config.database_path),))
    columns = [r[1] for r in old.execute("PRAGMA main.table_info(dossier)")]
    names = ", ".join(columns)
    old.execute(f"INSERT INTO main.dossier ({names}) SELECT {names} FROM new.dossier")
    old.execute("INSERT INTO main.dossier_event SELECT * FROM new.dossier_event")
    old.execute("DETACH DATABASE new")
    assert 4 in migrate(old)
    rows = dict(((code, (closed, to)) for code, closed, to in
                 old.execute("SELECT code, closed_at, returned_to FROM dossier")))
    old.close()
    assert rows[returned][0].startswith("2026-03-10 09:00:00") and rows[returned][1] == "Bình"
    assert rows[refused][0].startswith("2026-03-09 11:00:00") and rows[refused][1] == ""
