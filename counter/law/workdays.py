"""Working-day arithmetic: statutory processing times, holidays and the 15:00 same-day rule.

Days off come from the maintained `holidays` package (country VN: Tết and the other lunar dates for any
year, and the swaps it has recorded), plus what counter.toml's [calendar] adds from the government's
yearly announcement; without any configuration Tết is still a day off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from counter.config import CalendarConfig, HoursConfig

REMINDER_DAYS = 60


@cache
def package_days_off(year: int) -> frozenset[date]:
    """Vietnam's public holidays of `year` (with observed days) according to the `holidays` package."""
    import holidays

    return frozenset(holidays.country_holidays("VN", years=year))


@cache
def package_make_up_workdays() -> frozenset[date]:
    """Weekend days the `holidays` package records as worked in exchange for a swapped day off."""
    from holidays.countries.vietnam import VietnamStaticHolidays

    worked: set[date] = set()
    table: dict[int, Any] = VietnamStaticHolidays.special_public_holidays
    for year, swaps in table.items():
        for swap in swaps if isinstance(swaps[0], tuple) else (swaps,):
            # (month off, day off, month worked, day worked[, year worked])
            worked.add(date(swap[4] if len(swap) > 4 else year, swap[2], swap[3]))
    return frozenset(worked)


def calendar_reminder(calendar: CalendarConfig, today: date) -> str:
    """A warning when the next 60 days have days off that no checked announcement covers ("" if none)."""
    checked = calendar.announced_through
    if checked is None:
        return ""
    end = today + timedelta(days=REMINDER_DAYS)
    unchecked = [day for year in range(today.year, end.year + 1) for day in package_days_off(year)
                 if max(today, checked) < day <= end]
    if not unchecked:
        return ""
    return (f"Lịch nghỉ lễ từ ngày {min(unchecked):%d/%m/%Y} chưa đối chiếu với thông báo của Chính phủ "
            f"(counter.toml đã đối chiếu đến {checked:%d/%m/%Y}); kiểm tra và cập nhật mục [calendar].")


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days and when the counter closes."""

    hours: HoursConfig
    calendar: CalendarConfig

    def is_workday(self, day: date) -> bool:
        """True when the counter works on `day`."""
        if day in self.calendar.make_up_workdays or day in package_make_up_workdays():
            return True
        if day.weekday() not in self.hours.workdays or day in self.calendar.holidays:
            return False
        return day in self.calendar.not_holidays or day not in package_days_off(day.year)

    def next_workday(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def add_workdays(self, day: date, count: int) -> date:
        """The `count`-th working day after `day` (`day` itself when count is 0 and it is a workday)."""
        if count == 0:
            return day if self.is_workday(day) else self.next_workday(day)
        for _ in range(count):
            day = self.next_workday(day)
        return day

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end < start:
            return -self.workdays_between(end, start)
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=n)))

    def effective_receipt_day(self, received_at: datetime, cutoff_applies: bool) -> date:
        """The working day a dossier counts as received on (after the cut-off or on a day off: the next)."""
        day = received_at.date()
        late = cutoff_applies and received_at.time() > self.hours.same_day_cutoff
        if not self.is_workday(day) or late or received_at.time() >= self.hours.closes:
            return self.next_workday(day)
        return day

    def due_at(self, received_at: datetime, processing_days: int, cutoff_applies: bool) -> datetime:
        """When the result is due: `processing_days` working days after receipt, at closing time."""
        start = self.effective_receipt_day(received_at, cutoff_applies)
        return datetime.combine(self.add_workdays(start, processing_days), self.hours.closes)


OVERDUE = "overdue"
DUE_SOON = "due_soon"
DEADLINE_FILTERS = (OVERDUE, DUE_SOON)
"""The deadline states a queue can be filtered by."""


def deadline_state(is_open: bool, due_at: datetime, now: datetime, calendar: WorkCalendar) -> str:
    """"overdue", "due_soon" (open and due by the end of the next working day) or "" for the rest."""
    if not is_open:
        return ""
    if now > due_at:
        return OVERDUE
    return DUE_SOON if due_at.date() <= calendar.next_workday(now.date()) else ""
