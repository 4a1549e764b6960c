"""Status notices: consent and a mobile number at the counter, events to the real hub (in a subprocess), sent
to a fake SMS gateway that is a real HTTP server, retried with backoff, the delivery state pulled back."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from counter.citizens.identity import parse
from counter.config import load_config
from counter.context import CounterContext, open_context
from counter.errors import ConfigError
from counter.law import lifecycle
from counter.records.dossiers import DossierDraft, DossierInvalid
from counter.records.ids import format_stamp, uuid7
from counter.services import notices
from counter.services.dossiers import change_status, create_dossier, reschedule
from counter.settings.notices import DEFAULT_TEMPLATES, KINDS
from counter.store.models import AuditEntry, Dossier, DossierEvent
from counter.text.sms import mobile_error, render, sms_text
from sync.client import run_pass
from sync.dossier_checks import KnownForms
from sync.hub.notices import HttpGatewaySender, LogSender, NoticeWorker, _utcnow
from sync.hub.store import HubStore
from sync.protocol import HubEvent
from sync.pulled import Bounds, Known, problem
from tests.adapter_contract import DAY, UNIT_A, received, status_changed
from tests.conftest import MOTHER_PAYLOAD, signed_in, write_config
from tests.documents_helpers import CLERK, birth_values
from tests.smsgateway import Gateway
from tests.synchelpers import HubProcess, enrolled_counter

MOBILE = "0912345678"
LONG = "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc cho người từ đủ 14 tuổi"


def test_texts_fit_one_sms_without_diacritics(tmp_path: Path) -> None:
    """Every default template, with a long procedure name, keeps the code in a no-diacritics SMS of 160."""
    for kind in KINDS:
        values = {"unit": "UBND xã Hải Minh", "code": "000.00.36.H40-261203-0012", "procedure": LONG,
                  "due": "17:00 05/12/2026"}
        text, short = render(DEFAULT_TEMPLATES[kind], values)
        assert "000.00.36.H40-261203-0012" in text and "Hải Minh" in text
        assert short.isascii() and len(short) <= 160 and "000.00.36.H40-261203-0012" in short
    assert sms_text("Đã tiếp nhận hồ sơ") == "Da tiep nhan ho so"
    assert mobile_error("0912 345 678") is None and mobile_error("0312345678") is None
    assert mobile_error("0241234567") and mobile_error("091234567") and mobile_error("")
    config = write_config(tmp_path, extra='\n[notices.templates]\ndone = "Hồ sơ {code} xong, số {id_number}"\n')
    with pytest.raises(ConfigError, match=r"\[notices.templates\].done không hợp lệ: chỉ dùng \{unit\}"):
        load_config(config)
    config = write_config(tmp_path, extra='\n[hub]\nnotice_sender = "http"\nnotice_gateway_url = "http://sms"\n'
                          'notice_gateway_token = "bí mật"\n')
    with pytest.raises(ConfigError, match="notice_gateway_token"):
        load_config(config)


def birth(ctx: CounterContext, phone: str = "", consent: bool = False) -> Dossier:
    """A birth dossier taken by CLERK, the mother scanned as requester."""
    mother = parse(MOTHER_PAYLOAD)
    draft = DossierDraft("khai-sinh", {"requester": mother, "mother": mother}, birth_values(ctx.now()),
                         phone=phone, consent=consent)
    return create_dossier(ctx, draft, CLERK)


def test_notices_need_consent_and_a_mobile_number(ctx: CounterContext) -> None:
    """Consent without a mobile number stores nothing; a number without consent gets no notice; with both,
    receipt, supplement, the apology of a reschedule and the result each write one notice."""
    for phone, why in (("", "Cần số điện thoại di động"), ("0241234567", "phải là số di động Việt Nam")):
        with pytest.raises(DossierInvalid) as caught:
            birth(ctx, phone, consent=True)
        assert why in caught.value.errors["phone"]
    with ctx.store.read() as session:
        assert session.exec(select(DossierEvent)).first() is None
    birth(ctx, MOBILE)  # a phone for the receipt only
    assert notices.notices(ctx, CLERK) == []
    dossier = birth(ctx, MOBILE, consent=True)
    change_status(ctx, dossier.code, lifecycle.NEED_SUPPLEMENT, CLERK, reason="Thiếu giấy chứng sinh")
    change_status(ctx, dossier.code, lifecycle.PROCESSING, CLERK)
    reschedule(ctx, dossier.code, dossier.due_at + timedelta(days=7), "Chờ xác minh", CLERK)
    change_status(ctx, dossier.code, lifecycle.DONE, CLERK)
    found = notices.notices(ctx, CLERK)
    assert [n.kind for n in found] == ["done", "overdue", "need_supplement", "received"]
    assert {n.state for n in found} == {"pending"} and {n.phone for n in found} == {"091****678"}
    assert found[3].text.startswith(f"UBND xã Hải Minh đã tiếp nhận hồ sơ {dossier.code}")
    assert "xin lỗi" in found[1].text and f"{dossier.due_at + timedelta(days=7):%d/%m/%Y}" in found[1].text
    with ctx.store.read() as session:
        stored = json.loads(session.exec(select(DossierEvent.payload_json).where(
            DossierEvent.dossier_uuid == dossier.uuid, DossierEvent.type == "received")).one())
        audit = [(a.clerk, a.action, a.subject_kind, a.subject_ref) for a in session.exec(select(AuditEntry))]
    assert (stored["phone"], stored["notice_consent"]) == (MOBILE, True) and stored["notice_consent_at"]
    assert (CLERK, "consent", "dossier", dossier.code) in audit
    assert [a[3] for a in audit if a[2] == "notices"] == ["0 thông báo", "4 thông báo"]


def test_cli_consent_and_the_list(tmp_path: Path) -> None:
    """`--consent` without a mobile number is one sentence and exit 1, nothing stored; with one, the list
    shows the notice (number masked) in JSON and text, and the view is audited."""
    config = write_config(tmp_path / "c1")
    cli = signed_in(config)
    base = ("dossier", "new", "--form", "chung-thuc-chu-ky", "--qr", MOTHER_PAYLOAD, "--set",
            "document_name=Hợp đồng", "--set", "copies=1")
    refused = cli(*base, "--phone", "0241234567", "--consent")
    assert refused.returncode == 1 and "phải là số di động Việt Nam" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert json.loads(cli("dossier", "list", "--json").stdout) == []
    assert cli(*base, "--phone", MOBILE, "--consent").returncode == 0
    listed = json.loads(cli("notices", "list", "--json").stdout)
    assert [(n["status"], n["state"], n["phone"]) for n in listed] == [("received", "pending", "091****678")]
    assert set(listed[0]) >= {"dossier", "status", "text", "state"} and listed[0]["dossier"].endswith("-0001")
    assert len(listed[0]["text_ascii"]) <= 160 and "đã tiếp nhận" in listed[0]["text"]
    assert "chờ gửi lên tỉnh" in cli("notices", "list").stdout
    ctx = open_context(config)
    try:
        with ctx.store.read() as session:
            views = [a for a in session.exec(select(AuditEntry)) if a.subject_kind == "notices"]
    finally:
        ctx.close()
    assert [(v.action, v.subject_ref) for v in views] == [("view", "1 thông báo")] * 2


def test_pulled_notices_are_checked_by_the_counter(ctx: CounterContext) -> None:
    """A pulled notice for a citizen who did not consent, or a delivery state from a counter, is refused."""
    dossier = birth(ctx, MOBILE)
    with ctx.store.read() as session:
        stored = session.exec(select(DossierEvent).where(DossierEvent.dossier_uuid == dossier.uuid)).one()
    now_ms = time.time_ns() // 1_000_000
    envelope = {"dossier_uuid": uuid7(), "dossier_code": dossier.code, "unit_code": dossier.unit_code,
                "occurred_at": stored.occurred_at.isoformat(), "clerk": "Hà", "counter_id": "Q2"}
    payload = json.loads(stored.payload_json)
    taken = HubEvent(id=uuid7(), type="received", payload=payload, hlc=format_stamp(now_ms, 0, "Q2"), seq=1,
                     **envelope)
    notice = {"notice_id": uuid7(), "kind": "received", "phone": MOBILE, "text": "Đã nhận", "text_ascii": "Da nhan"}
    asked = HubEvent(id=uuid7(), type="notice_requested", payload=notice, hlc=format_stamp(now_ms, 1, "Q2"), seq=2,
                     **envelope)
    state = {"notice_id": notice["notice_id"], "state": "sent", "attempts": 1, "detail": ""}
    forged = HubEvent(id=uuid7(), type="notice_state", payload=state, hlc=format_stamp(now_ms, 2, "Q2"), seq=3,
                      **envelope)
    known, bounds = Known(forms=KnownForms(ctx.forms)), Bounds(now_ms, 60_000, ctx.forms)
    known.apply(taken)
    with ctx.store.read() as session:
        assert problem(session, asked, known, bounds) == (
            f"Công dân của hồ sơ {dossier.code} chưa đồng ý nhận thông báo qua số di động; không ghi thông báo.")
        assert problem(session, forged, known, bounds) == "Chỉ hệ thống tỉnh ghi kết quả gửi thông báo."


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    """The fake SMS gateway (a real HTTP server on 127.0.0.1)."""
    found = Gateway()
    yield found
    found.close()


def test_the_hub_retries_with_backoff_and_the_state_comes_back(tmp_path: Path, gateway: Gateway) -> None:
    """The hub's worker (on the real hub's database) sends through the gateway, retries a 503 after its backoff,
    gives up after the last attempt; the counter pulls sent and failed, and a change the clerk made before the
    hub recorded a delivery is not refused as out of order."""
    hub_config = write_config(tmp_path / "hubcfg", extra="\n[hub]\nnotice_interval_seconds = 3600\n")
    hub = HubProcess(tmp_path / "hub.db", config=hub_config).start()
    ctx = enrolled_counter(tmp_path / "q1", hub)
    try:
        dossier = birth(ctx, MOBILE, consent=True)
        assert run_pass(ctx).pushed == 2
        assert [n.state for n in notices.notices(ctx, CLERK)] == ["at_hub"]
        gateway.fail = 1
        worker = NoticeWorker(hub.store, HttpGatewaySender(gateway.url, "s3cret"), max_attempts=3,
                              rng=random.Random(7))
        now = _utcnow()
        assert worker.run_once(now) == 0 and worker.run_once(now) == 0  # not due again before its backoff
        change_status(ctx, dossier.code, lifecycle.PROCESSING, CLERK)  # stamped before the hub's delivery
        assert worker.run_once(now + timedelta(hours=2)) == 1
        assert [r["to"] for r in gateway.received] == [MOBILE, MOBILE]
        assert gateway.received[1]["auth"] == "Bearer s3cret" and len(gateway.received[1]["text"]) <= 160
        report = run_pass(ctx)
        assert (report.quarantined, report.held, report.errors) == (0, 0, [])
        (notice,) = notices.notices(ctx, CLERK)
        assert (notice.state, notice.dossier) == ("sent", dossier.code)
        change_status(ctx, dossier.code, lifecycle.REFUSED, CLERK, reason="Sai thẩm quyền")
        run_pass(ctx)
        gateway.fail = 5
        for hours in (6, 8, 10):
            worker.run_once(now + timedelta(hours=hours))
        assert worker.run_once(now + timedelta(hours=12)) == 0 and len(gateway.received) == 5
        run_pass(ctx)
        states = {n.kind: (n.state, n.detail) for n in notices.notices(ctx, CLERK)}
        assert states == {"received": ("sent", ""), "refused": ("failed", "Cổng SMS trả lời HTTP 503.")}
    finally:
        ctx.close()
        hub.stop()


def _wait_for(check: object, what: str) -> None:
    """Poll `check` (a callable) until it is true; a generous deadline only stops a broken run."""
    deadline = time.monotonic() + 120
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


def test_a_hanging_gateway_never_blocks_sync(tmp_path: Path, gateway: Gateway) -> None:
    """`counter hub serve` with the HTTP sender: while the gateway holds the hub's request open, a counter
    still syncs; once it answers, both notices are sent and the counter pulls `sent`."""
    config = write_config(tmp_path / "hubcfg", extra=f'\n[hub]\nnotice_sender = "http"\nnotice_gateway_url = '
                          f'"{gateway.url}"\nnotice_gateway_token = "t0k"\nnotice_interval_seconds = 1\n')
    gateway.hold.clear()
    hub = HubProcess(tmp_path / "hub.db", config=config).start()
    ctx = enrolled_counter(tmp_path / "q1", hub)
    try:
        birth(ctx, MOBILE, consent=True)
        assert run_pass(ctx).pushed == 2
        _wait_for(gateway.arrived.is_set, "the hub's worker sends the notice to the gateway")
        birth(ctx, "0387654321", consent=True)
        report = run_pass(ctx)
        assert (report.pushed, report.errors, report.link) == (2, [], "online")
        assert gateway.received == []
        gateway.hold.set()

        def all_sent() -> bool:
            run_pass(ctx)
            return [n.state for n in notices.notices(ctx, CLERK)] == ["sent", "sent"]

        _wait_for(all_sent, "both notices are sent and their state is pulled back")
        assert sorted(r["to"] for r in gateway.received) == ["0387654321", MOBILE]
        assert {r["auth"] for r in gateway.received} == {"Bearer t0k"}
    finally:
        ctx.close()
        hub.stop()


def test_a_reused_notice_id_never_stops_the_hub_sending(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A tampered counter reusing a notice id: the hub sends the first once, keeps the copy as failed and goes on
    sending the others (the log sender prints each with the number masked)."""
    store = HubStore(str(tmp_path / "hub.db"))
    try:
        token = store.enrol(store.new_enrolment_code(UNIT_A, "Q1"), UNIT_A, "Q1", 1, 4999)
        q1 = store.authenticate(token)
        assert q1 is not None
        now = store.server_time_ms()
        first, second = received(q1, now, 1), received(q1, now, 2)
        for dossier in (first, second):
            dossier["payload"] |= {"phone": MOBILE, "notice_consent": True, "notice_consent_at": f"{DAY}T08:00:00"}

        def notice(dossier: dict[str, Any], tick: int, notice_id: str) -> dict[str, Any]:
            body = {"notice_id": notice_id, "kind": "received", "phone": MOBILE, "text": "Đã nhận hồ sơ",
                    "text_ascii": "Da nhan ho so"}
            return status_changed(q1, now, dossier, "processing", tick) | {"type": "notice_requested", "payload": body}

        reused = uuid7()
        batch = [first, second, notice(first, 1, reused), notice(second, 1, reused), notice(second, 2, uuid7())]
        assert {r.status for r in store.store_events(q1, batch)} == {"accepted"}
        assert NoticeWorker(store, LogSender()).run_once() == 2
        printed = capsys.readouterr().out.splitlines()
        assert len(printed) == 2 and all("091****678: Da nhan ho so" in line for line in printed)
    finally:
        store.close()
