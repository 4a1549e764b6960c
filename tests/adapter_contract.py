"""The rules every provincial system keeps (sync/adapter.py), as tests any adapter runs by giving a factory.

An adapter's test module subclasses `ProvincialSystemContract` as `Test…` and implements `make_subject`,
which returns a fresh, empty system and a way to issue enrolment codes as the province's operator would
(tests/test_adapter_contract.py does this for the reference hub on SQLite and on PostgreSQL). The system
is called directly, as `sync.hub.app` calls it; the HTTP layer has its own tests (tests/test_hub_*.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from counter.records.ids import format_stamp, uuid7
from sync.adapter import CounterIdentity, EnrolmentRefused, ProvincialSystem
from sync.protocol import MAX_CLOCK_AHEAD_SECONDS, EventResult

UNIT_A = "000.00.36.H40"
UNIT_B = "000.00.36.H41"
DAY = "2026-11-24"
HEAD_1, HEAD_2, HEAD_3 = "1" * 64, "2" * 64, "3" * 64


@dataclass
class Subject:
    """A provincial system under test and its operator's one hook."""

    system: ProvincialSystem
    new_code: Callable[[str, str], str]
    """A one-time enrolment code for a unit and one counter id of it, issued as the province's operator would."""


def received(counter: CounterIdentity, now_ms: int, sequence: int, **changes: Any) -> dict[str, Any]:
    """A valid `received` event of `counter` for a new dossier with this daily sequence number."""
    event = {
        "id": uuid7(),
        "dossier_uuid": uuid7(),
        "dossier_code": f"{counter.unit_code}-261124-{sequence:04d}",
        "unit_code": counter.unit_code,
        "type": "received",
        "payload": {"form_id": "ban-sao", "received_day": DAY, "sequence": sequence, "values": {}, "people": {},
                    "received_at": f"{DAY}T08:00:00", "due_at": f"{DAY}T17:00:00"},
        "hlc": format_stamp(now_ms, 0, counter.counter_id),
        "occurred_at": f"{DAY}T08:00:00",
        "clerk": "Nguyễn Văn An",
        "counter_id": counter.counter_id,
    }
    return event | changes


def status_changed(counter: CounterIdentity, now_ms: int, dossier: dict[str, Any], to: str,
                   tick: int = 1) -> dict[str, Any]:
    """A `status_changed` event of `counter` on the dossier a `received` event made (`tick`: its logical clock)."""
    return {key: dossier[key] for key in ("dossier_uuid", "dossier_code", "unit_code")} | {
        "id": uuid7(),
        "type": "status_changed",
        "payload": {"from": "received", "to": to, "reason": "Thiếu giấy tờ"},
        "hlc": format_stamp(now_ms, tick, counter.counter_id),
        "occurred_at": f"{DAY}T09:00:00",
        "clerk": "Nguyễn Văn An",
        "counter_id": counter.counter_id,
    }


def outcome(result: EventResult) -> str:
    """The status of an answer, or its rejection code."""
    return result.code if result.status == "rejected" and result.code else result.status


class ProvincialSystemContract:
    """The contract; subclass it with `make_subject` building the system under test."""

    def make_subject(self, tmp_path: Path) -> Subject:
        """A fresh, empty system under test (implemented by each adapter's test class)."""
        raise NotImplementedError

    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[Subject]:
        """The system under test, closed afterwards."""
        subject = self.make_subject(tmp_path)
        yield subject
        subject.system.close()

    def enrolled(self, subject: Subject, unit: str = UNIT_A, counter_id: str = "Q1",
                 block: tuple[int, int] = (1, 4999)) -> CounterIdentity:
        """A counter enrolled with a fresh code, as its token names it."""
        token = subject.system.enrol(subject.new_code(unit, counter_id), unit, counter_id, *block)
        identity = subject.system.authenticate(token)
        assert identity is not None
        return identity

    def push(self, subject: Subject, counter: CounterIdentity, *events: dict[str, Any]) -> list[str]:
        """Push a batch; the outcome of each event, in order."""
        results = subject.system.store_events(counter, list(events))
        assert len(results) == len(events)
        return [outcome(result) for result in results]

    # --- enrolment -------------------------------------------------------------------------------

    def test_a_token_names_the_counter_its_unit_and_block(self, subject: Subject) -> None:
        token = subject.system.enrol(subject.new_code(UNIT_A, "Q1"), UNIT_A, "Q1", 1, 4999)
        assert subject.system.authenticate(token) == CounterIdentity(UNIT_A, "Q1", 1, 4999)
        assert subject.system.authenticate(token + "x") is None
        assert subject.system.authenticate("mc1_unknown") is None

    def test_a_code_works_once_and_only_for_its_unit(self, subject: Subject) -> None:
        code = subject.new_code(UNIT_A, "Q1")
        with pytest.raises(EnrolmentRefused) as refused:
            subject.system.enrol(code, UNIT_B, "Q1", 1, 4999)
        assert refused.value.error == "unit_mismatch" and refused.value.reason
        subject.system.enrol(code, UNIT_A, "Q1", 1, 4999)  # still unused after the refusal
        with pytest.raises(EnrolmentRefused) as again:
            subject.system.enrol(code, UNIT_A, "Q2", 5000, 9999)
        assert again.value.error == "code_used"
        with pytest.raises(EnrolmentRefused) as unknown:
            subject.system.enrol("AAAA-BBBB-CCCC", UNIT_A, "Q3", 5000, 9999)
        assert unknown.value.error == "invalid_code"

    def test_blocks_of_one_unit_never_overlap(self, subject: Subject) -> None:
        self.enrolled(subject, counter_id="Q1", block=(1, 4999))
        with pytest.raises(EnrolmentRefused) as refused:
            subject.system.enrol(subject.new_code(UNIT_A, "Q2"), UNIT_A, "Q2", 4999, 9999)
        assert refused.value.error == "block_overlap" and "Q1" in refused.value.reason
        assert self.enrolled(subject, counter_id="Q2", block=(5000, 9999)).sequence_first == 5000
        assert self.enrolled(subject, unit=UNIT_B, counter_id="Q9", block=(1, 4999)).unit_code == UNIT_B
        assert self.enrolled(subject, counter_id="Q1", block=(1, 2000)).sequence_last == 2000  # re-enrolment

    # --- push ------------------------------------------------------------------------------------

    def test_a_resend_is_a_duplicate_and_a_reused_id_a_conflict(self, subject: Subject) -> None:
        q1 = self.enrolled(subject)
        now = subject.system.server_time_ms()
        first, second = received(q1, now, 1), received(q1, now, 2)
        answers = subject.system.store_events(q1, [first, second, first])
        assert [a.status for a in answers] == ["accepted", "accepted", "duplicate"]
        assert answers[0].seq is not None and answers[1].seq is not None and answers[0].seq < answers[1].seq
        assert answers[2].seq == answers[0].seq
        (again,) = subject.system.store_events(q1, [first])
        assert (again.status, again.seq) == ("duplicate", answers[0].seq)
        changed = first | {"clerk": "Trần Thị Bình"}
        assert self.push(subject, q1, changed) == ["id_conflict"]
        events, _, _ = subject.system.events_after(q1, 0, 100, True)
        assert [e.id for e in events] == [first["id"], second["id"]]

    def test_the_sender_is_checked_first_and_ids_never_leak(self, subject: Subject) -> None:
        q1, q2 = self.enrolled(subject), self.enrolled(subject, counter_id="Q2", block=(5000, 9999))
        now = subject.system.server_time_ms()
        mine = received(q1, now, 1)
        assert self.push(subject, q1, mine) == ["accepted"]
        foreign_unit = received(q2, now, 5000, unit_code=UNIT_B, dossier_code="garbage", payload={})
        posing = received(q2, now, 5001) | {"counter_id": "Q1"}
        replayed = mine | {"counter_id": "Q2", "hlc": format_stamp(now, 0, "Q2")}
        assert self.push(subject, q2, foreign_unit, posing, replayed) == [
            "unit_mismatch", "counter_mismatch", "counter_mismatch"]

    def test_each_event_is_answered_alone_and_refusals_block_nothing(self, subject: Subject) -> None:
        q1 = self.enrolled(subject)
        now = subject.system.server_time_ms()
        bad, good = received(q1, now, 1, dossier_uuid="not-a-uuid"), received(q1, now, 2)
        assert self.push(subject, q1, bad, good, {"id": "x"}) == ["invalid_event", "accepted", "invalid_event"]
        events, _, _ = subject.system.events_after(q1, 0, 100, True)
        assert [e.id for e in events] == [good["id"]]

    @pytest.mark.parametrize(
        ("change", "code"),
        [
            ({"hlc": format_stamp(1, 0, "Q2")}, "invalid_event"),
            ({"occurred_at": "hôm qua"}, "invalid_event"),
            ({"clerk": "Nguyễn\x1bVăn An"}, "invalid_text"),
            ({"payload": {"form_id": "ban-sao"}}, "invalid_payload"),
            ({"dossier_code": f"{UNIT_A}-261125-0001"}, "invalid_code"),
            ({"dossier_code": "KHAC-261124-0001"}, "invalid_code"),
        ],
        ids=["foreign-stamp", "bad-time", "control-char", "payload", "code-of-another-day", "code-of-another-unit"],
    )
    def test_a_malformed_new_dossier_is_refused(self, subject: Subject, change: dict[str, Any], code: str) -> None:
        q1 = self.enrolled(subject)
        event = received(q1, subject.system.server_time_ms(), 1) | change
        assert self.push(subject, q1, event) == [code]
        assert subject.system.events_after(q1, 0, 100, True)[0] == []

    def test_a_stamp_too_far_ahead_is_refused(self, subject: Subject) -> None:
        q1 = self.enrolled(subject)
        now = subject.system.server_time_ms()
        ahead = received(q1, now, 1, hlc=format_stamp(now + (MAX_CLOCK_AHEAD_SECONDS + 60) * 1000, 0, "Q1"))
        within = received(q1, now, 2, hlc=format_stamp(now + 60_000, 0, "Q1"))
        assert self.push(subject, q1, ahead, within) == ["clock_ahead", "accepted"]

    def test_codes_belong_to_one_dossier_inside_the_senders_block(self, subject: Subject) -> None:
        q1 = self.enrolled(subject, block=(1, 100))
        now = subject.system.server_time_ms()
        first = received(q1, now, 1)
        outside = received(q1, now, 101)
        same_code = received(q1, now, 1)
        same_dossier = received(q1, now, 1, dossier_uuid=first["dossier_uuid"])
        assert self.push(subject, q1, first, outside, same_code, same_dossier) == [
            "accepted", "code_outside_block", "code_conflict", "dossier_conflict"]

    def test_status_changes_need_the_dossier_and_follow_the_lifecycle(self, subject: Subject) -> None:
        q1 = self.enrolled(subject)
        now = subject.system.server_time_ms()
        dossier = received(q1, now, 1)
        early = status_changed(q1, now, dossier, "processing")
        assert self.push(subject, q1, early) == ["unknown_dossier"]
        done, returned = status_changed(q1, now, dossier, "done"), status_changed(q1, now, dossier, "returned", 3)
        withdrawn = status_changed(q1, now, dossier, "withdrawn", 2)
        assert self.push(subject, q1, dossier, done, withdrawn, returned) == [
            "accepted", "accepted", "invalid_transition", "accepted"]
        moved = status_changed(q1, now, dossier, "processing", 4) | {"dossier_code": f"{UNIT_A}-261124-0002"}
        assert self.push(subject, q1, moved) == ["dossier_conflict"]

    def test_only_the_owner_writes_to_a_dossier_and_stamps_only_grow(self, subject: Subject) -> None:
        q1, q2 = self.enrolled(subject), self.enrolled(subject, counter_id="Q2", block=(5000, 9999))
        now = subject.system.server_time_ms()
        dossier = received(q1, now, 1)
        assert self.push(subject, q1, dossier) == ["accepted"]
        foreign = status_changed(q2, now, dossier, "withdrawn") | {"type": "fee_paid", "payload": {
            "amount": 1, "method": "cash", "receipt_no": 50_000_001, "receipt_year": 2026}}
        assert self.push(subject, q2, foreign) == ["not_owner"]
        past = status_changed(q1, now, dossier, "processing") | {"hlc": format_stamp(0, 0, "Q1")}
        assert self.push(subject, q1, past) == ["stale_stamp"]
        far = status_changed(q1, now, dossier, "processing", 5) | {
            "type": "rescheduled", "payload": {"new_due_at": "9999-12-31T17:00:00"}}
        assert self.push(subject, q1, far) == ["invalid_payload"]

    def test_a_notice_needs_the_citizens_consent_and_only_the_hub_reports_delivery(self, subject: Subject) -> None:
        q1 = self.enrolled(subject)
        now = subject.system.server_time_ms()
        plain = received(q1, now, 1)
        consent = {"phone": "0912345678", "notice_consent": True, "notice_consent_at": f"{DAY}T08:00:00"}
        agreed = received(q1, now, 2)
        agreed["payload"] |= consent
        landline = received(q1, now, 3)
        landline["payload"] |= consent | {"phone": "0241234567"}
        assert self.push(subject, q1, plain, agreed, landline) == ["accepted", "accepted", "invalid_payload"]

        def notice(dossier: dict[str, Any], tick: int, phone: str = "0912345678", kind: str = "notice_requested",
                   **payload: Any) -> dict[str, Any]:
            body = {"notice_id": uuid7(), "kind": "received", "phone": phone, "text": "Đã nhận hồ sơ",
                    "text_ascii": "Da nhan ho so"}
            return status_changed(q1, now, dossier, "processing", tick) | {"type": kind, "payload": body | payload}

        forged = notice(agreed, 4, kind="notice_state", state="sent", attempts=1, detail="")
        assert self.push(subject, q1, notice(plain, 1), notice(agreed, 2, "0987654321"), notice(agreed, 3),
                         forged) == ["no_consent", "invalid_payload", "accepted", "invalid_event"]

    # --- pull ------------------------------------------------------------------------------------

    def test_a_unit_sees_its_own_events_in_seq_order(self, subject: Subject) -> None:
        q1, q2 = self.enrolled(subject), self.enrolled(subject, counter_id="Q2", block=(5000, 9999))
        other_unit = self.enrolled(subject, unit=UNIT_B, counter_id="Q1")
        now = subject.system.server_time_ms()
        ours = [received(q1, now, 1), received(q2, now, 5000), received(q1, now, 2)]
        for event in ours:
            assert self.push(subject, q1 if event["counter_id"] == "Q1" else q2, event) == ["accepted"]
        assert self.push(subject, other_unit, received(other_unit, now, 1)) == ["accepted"]
        events, cursor, more = subject.system.events_after(q2, 0, 100, True)
        assert [e.id for e in events] == [e["id"] for e in ours] and not more
        assert [e.seq for e in events] == sorted({e.seq for e in events}) and cursor == events[-1].seq
        assert events[1].model_dump(exclude={"seq"}) == ours[1]
        others, cursor, _ = subject.system.events_after(q1, 0, 100, False)
        assert [e.id for e in others] == [ours[1]["id"]]
        rest, cursor, more = subject.system.events_after(q1, cursor, 100, False)
        assert (rest, more) == ([], False) and cursor >= events[-1].seq  # moved past its own events too

    def test_pull_pages_through_the_cursor(self, subject: Subject) -> None:
        q1 = self.enrolled(subject)
        now = subject.system.server_time_ms()
        pushed = [received(q1, now, n) for n in range(1, 8)]
        assert self.push(subject, q1, *pushed) == ["accepted"] * 7
        seen: list[str] = []
        cursor, more = 0, True
        while more:
            page, cursor, more = subject.system.events_after(q1, cursor, 3, True)
            assert len(page) <= 3
            seen += [event.id for event in page]
        assert seen == [event["id"] for event in pushed]
        page, after_end, more = subject.system.events_after(q1, cursor + 1000, 3, True)
        assert (page, more) == ([], False) and after_end >= cursor + 1000

    # --- audit heads ------------------------------------------------------------------------------

    def test_audit_heads_extend_or_are_flagged_for_good(self, subject: Subject) -> None:
        q1, q2 = self.enrolled(subject), self.enrolled(subject, counter_id="Q2", block=(5000, 9999))
        elsewhere = self.enrolled(subject, unit=UNIT_B, counter_id="Q1")
        record = subject.system.record_audit_head
        first = record(q1, 3, HEAD_1, 0, "")
        assert (first.status, first.count, first.head, first.flagged) == ("ok", 3, HEAD_1, ())
        assert record(q1, 5, HEAD_2, 3, HEAD_1).status == "ok"
        need = record(q1, 9, HEAD_3, 4, HEAD_1)
        assert (need.status, need.count) == ("need", 5)
        rewritten = record(q1, 9, HEAD_3, 5, HEAD_1)
        assert (rewritten.status, rewritten.count, rewritten.flagged) == ("broken", 9, ("Q1",))
        assert record(q1, 10, HEAD_1, 9, HEAD_3).flagged == ("Q1",)  # extends again, stays flagged
        assert record(q2, 1, HEAD_1, 0, "").flagged == ("Q1",)
        assert record(elsewhere, 1, HEAD_1, 0, "").flagged == ()

    # --- the system itself ------------------------------------------------------------------------

    def test_the_clock_is_the_present(self, subject: Subject) -> None:
        before = time.time_ns() // 1_000_000
        stamp = subject.system.server_time_ms()
        assert abs(stamp - before) < MAX_CLOCK_AHEAD_SECONDS * 1000
