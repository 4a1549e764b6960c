"""Working days, holidays and the 15:00 same-day rule."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from counter.config import BUNDLED_CONFIG, load_config, parse_config
from counter.law.workdays import WorkCalendar, calendar_reminder


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    config = load_config(BUNDLED_CONFIG)
    return WorkCalendar(config.hours, config.calendar)


def test_weekends_and_holidays_are_not_workdays(calendar: WorkCalendar) -> None:
    """Saturday, Sunday, Tết, Hùng Kings day and Culture Day are off; swapped Saturdays are worked."""
    assert not calendar.is_workday(date(2026, 11, 28))
    assert not calendar.is_workday(date(2026, 2, 17))
    assert not calendar.is_workday(date(2025, 4, 7))
    assert not calendar.is_workday(date(2026, 11, 24))  # Ngày Văn hóa Việt Nam, from 2026
    assert not calendar.is_workday(date(2026, 8, 31))  # swapped with Saturday 22/8
    assert calendar.is_workday(date(2026, 8, 22))
    assert calendar.is_workday(date(2025, 4, 26))
    assert calendar.is_workday(date(2026, 11, 17))


def test_same_day_before_cutoff(calendar: WorkCalendar) -> None:
    """Received at 14:59 on a Tuesday: due the same day at closing time."""
    assert calendar.due_at(datetime(2026, 11, 17, 14, 59), 0, True) == datetime(2026, 11, 17, 17, 0)


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
    assert calendar.workdays_between(date(2026, 11, 13), date(2026, 11, 20)) == 5
    assert calendar.workdays_between(date(2026, 11, 20), date(2026, 11, 13)) == -5
    assert calendar.workdays_between(date(2026, 11, 20), date(2026, 11, 27)) == 4  # 24/11 is off


def test_without_configuration_tet_is_a_holiday() -> None:
    """No file and no [calendar]: the holidays package still gives Tết, for any year."""
    config = parse_config({}, "(mặc định)")
    calendar = WorkCalendar(config.hours, config.calendar)
    assert not calendar.is_workday(date(2027, 2, 8))  # mùng 3 Tết Đinh Mùi
    assert not calendar.is_workday(date(2031, 1, 23))  # mùng 1 Tết Tân Hợi
    assert calendar.is_workday(date(2027, 2, 15))


def test_announced_days_change_the_package_calendar() -> None:
    """[calendar] adds announced days off, make-up Saturdays, and days the announcement keeps open."""
    config = parse_config({"calendar": {"holidays": ["2027-02-11"], "make_up_workdays": ["2027-02-13"],
                                        "not_holidays": ["2027-02-04"]}}, "t")
    calendar = WorkCalendar(config.hours, config.calendar)
    assert not calendar.is_workday(date(2027, 2, 11))
    assert calendar.is_workday(date(2027, 2, 13))
    assert calendar.is_workday(date(2027, 2, 4))


def test_reminder_when_the_next_60_days_rely_on_no_announcement() -> None:
    """Past announced_through, a day off within 60 days gives one sentence; before it, none."""
    config = parse_config({"calendar": {"announced_through": "2026-12-31"}}, "t")
    assert calendar_reminder(config.calendar, date(2026, 10, 1)) == ""
    warning = calendar_reminder(config.calendar, date(2026, 12, 1))
    assert "01/01/2027" in warning and "31/12/2026" in warning and "[calendar]" in warning
    assert calendar_reminder(parse_config({}, "t").calendar, date(2026, 12, 1)) == ""
