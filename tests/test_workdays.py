"""Working days, holidays and the 15:00 same-day rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from counter.config import BUNDLED_CONFIG, load_config
from counter.workdays import WorkCalendar


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    config = load_config(BUNDLED_CONFIG)
    return WorkCalendar(config.hours, config.calendar)


def test_weekends_and_holidays_are_not_workdays(calendar: WorkCalendar) -> None:
    """Saturday, Sunday, Tết and Hùng Kings day are off; a swapped Saturday is worked."""
    assert not calendar.is_workday(date(2026, 11, 28))
    assert not calendar.is_workday(date(2026, 2, 17))
    assert not calendar.is_workday(date(2025, 4, 7))
    assert calendar.is_workday(date(2025, 4, 26))
    assert calendar.is_workday(date(2026, 11, 24))


def test_same_day_before_cutoff(calendar: WorkCalendar) -> None:
    """Received at 14:59 on a Tuesday: due the same day at closing time."""
    assert calendar.due_at(datetime(2026, 11, 24, 14, 59), 0, True) == datetime(2026, 11, 24, 17, 0)


def test_same_day_after_cutoff_is_next_workday(calendar: WorkCalendar) -> None:
    """Received at 15:01 on a Friday: due Monday."""
    assert calendar.due_at(datetime(2026, 11, 27, 15, 1), 0, True) == datetime(2026, 11, 30, 17, 0)


def test_cutoff_not_applied_when_form_says_so(calendar: WorkCalendar) -> None:
    """3 working days from Wednesday 16:00 without the cut-off rule: Monday."""
    assert calendar.due_at(datetime(2026, 11, 25, 16, 0), 3, False) == datetime(2026, 11, 30, 17, 0)


def test_processing_days_skip_tet(calendar: WorkCalendar) -> None:
    """3 working days from Friday 13 Feb 2026 jump over the Tết week."""
    assert calendar.due_at(datetime(2026, 2, 13, 9, 0), 3, False) == datetime(2026, 2, 25, 17, 0)


def test_received_on_a_holiday_counts_from_the_next_workday(calendar: WorkCalendar) -> None:
    """A same-day dossier taken on a Saturday is due Monday."""
    assert calendar.due_at(datetime(2026, 11, 28, 9, 0), 0, True) == datetime(2026, 11, 30, 17, 0)


def test_workdays_between(calendar: WorkCalendar) -> None:
    """Counting working days in (start, end]."""
    assert calendar.workdays_between(date(2026, 11, 20), date(2026, 11, 27)) == 5
    assert calendar.workdays_between(date(2026, 11, 27), date(2026, 11, 20)) == -5
