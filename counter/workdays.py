"""Working-day arithmetic: statutory processing times, holidays and the 15:00 same-day rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from counter.config import CalendarConfig, HoursConfig


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days and when the counter closes."""

    hours: HoursConfig
    calendar: CalendarConfig

    def is_workday(self, day: date) -> bool:
        """True when the counter works on `day`."""
        if day in self.calendar.make_up_workdays:
            return True
        return day.weekday() in self.hours.workdays and day not in self.calendar.holidays

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
