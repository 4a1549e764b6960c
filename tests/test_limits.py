"""Every limit of the law and the protocol at the limit and one step either side.

The same-day cut-off instant, the first and last sequence of a counter's block (on the counter and at the
hub), the hub's clock bound, PIN lengths and the lockout count: a mutant that moves any of them by one
step fails here.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from counter.accounts import users
from counter.config import BUNDLED_CONFIG, load_config
from counter.context import open_context
from counter.law.workdays import WorkCalendar
from counter.records.dossiers import SequenceExhausted, dossier_code
from counter.records.ids import format_stamp, uuid7
from counter.services.dossiers import create_dossier
from sync.adapter import CounterIdentity
from sync.checks import clock_problem, code_problem
from sync.protocol import Event
from tests.conftest import write_config
from tests.test_dossiers import marital_draft

TUESDAY = datetime(2026, 11, 17)  # a working day followed by a working day
UNIT = "000.00.36.H40"


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    config = load_config(BUNDLED_CONFIG)
    return WorkCalendar(config.hours, config.calendar)


@pytest.mark.parametrize(("at", "due_day"), [
    (time(14, 59, 59), 17),  # a second before the cut-off: today
    (time(15, 0, 0), 17),  # at the cut-off instant: still today ("after 15:00" is strictly after)
    (time(15, 0, 0, 1), 18),  # a microsecond after: the next working day
    (time(15, 0, 1), 18),
])
def test_same_day_cut_off_instant(calendar: WorkCalendar, at: time, due_day: int) -> None:
    """A same-day procedure received up to 15:00:00 is due today; any instant after is due the next working day."""
    received = datetime.combine(TUESDAY.date(), at)
    assert calendar.due_at(received, 0, True) == datetime(2026, 11, due_day, 17, 0)


def test_first_and_last_sequence_of_a_block(tmp_path: Path) -> None:
    """A block 10–12 issues exactly …-0010, …-0011 and …-0012 on a day; the fourth is refused; the next day
    starts again at 10."""
    ctx = open_context(write_config(tmp_path / "q", "Q3", 10, 12))
    at = TUESDAY.replace(hour=9)
    codes = [create_dossier(ctx, marital_draft(), "Lan", received_at=at).code for _ in range(3)]
    assert codes == [dossier_code(UNIT, at.date(), n) for n in (10, 11, 12)]
    with pytest.raises(SequenceExhausted, match="10–12"):
        create_dossier(ctx, marital_draft(), "Lan", received_at=at)
    next_day = at + timedelta(days=1)
    assert create_dossier(ctx, marital_draft(), "Lan", received_at=next_day).code == dossier_code(
        UNIT, next_day.date(), 10)
    ctx.close()


def _received(sequence: int, counter_id: str = "Q1", physical_ms: int = 1_700_000_000_000) -> Event:
    day = TUESDAY.date()
    return Event(id=uuid7(), dossier_uuid=uuid7(), dossier_code=dossier_code(UNIT, day, sequence), unit_code=UNIT,
                 type="received", payload={"received_day": day.isoformat(), "sequence": sequence},
                 hlc=format_stamp(physical_ms, 0, counter_id), occurred_at=f"{day.isoformat()}T09:00:00",
                 clerk="Lan", counter_id=counter_id)


@pytest.mark.parametrize(("sequence", "refused"), [(99, True), (100, False), (199, False), (200, True)])
def test_hub_accepts_exactly_the_senders_block(sequence: int, refused: bool) -> None:
    """The hub takes sequences 100–199 from a counter enrolled with that block, and neither neighbour."""
    counter = CounterIdentity(UNIT, "Q1", 100, 199)
    found = code_problem(counter, _received(sequence))
    assert (found is not None and found[0] == "code_outside_block") == refused
    assert found is None or str(sequence) in found[1]


@pytest.mark.parametrize(("ahead_ms", "refused"), [(-1, False), (0, False), (60_000, False), (60_001, True)])
def test_hub_clock_bound(ahead_ms: int, refused: bool) -> None:
    """A stamp up to the allowed skew ahead of the hub's clock is taken; a millisecond more is refused."""
    now_ms = 1_700_000_000_000
    counter = CounterIdentity(UNIT, "Q1", 1, 4999)
    found = clock_problem(counter, _received(1, physical_ms=now_ms + ahead_ms), now_ms, 60_000)
    assert (found is not None and found[0] == "clock_ahead") == refused


@pytest.mark.parametrize(("pin", "ok"), [
    ("86420", False), ("864209", True), ("864209753102", True), ("8642097531029", False),
])
def test_pin_lengths(pin: str, ok: bool) -> None:
    """PINs of 6 and 12 digits are accepted; 5 and 13 are not."""
    assert (users.pin_problem(pin) is None) == ok


def test_lockout_after_exactly_the_configured_wrong_pins(tmp_path: Path) -> None:
    """With max_failed_pins wrong PINs the account waits; one fewer does not lock it, and the right PIN then
    signs in."""
    ctx = open_context(write_config(tmp_path / "c"))
    users.add_clerk(ctx, "Trần Thị Thu", "clerk", "864209", by="test")
    limit = ctx.config.security.max_failed_pins
    now = TUESDAY.replace(hour=9)
    for _ in range(limit - 1):
        with pytest.raises(users.SignInRefused):
            users.sign_in(ctx, "Trần Thị Thu", "975310", now=now)
    assert users.sign_in(ctx, "Trần Thị Thu", "864209", now=now).name == "Trần Thị Thu"
    for _ in range(limit):
        with pytest.raises(users.SignInRefused):
            users.sign_in(ctx, "Trần Thị Thu", "975310", now=now)
    with pytest.raises(users.SignInRefused, match="chờ"):
        users.sign_in(ctx, "Trần Thị Thu", "864209", now=now)
    ctx.close()
