"""Supervisor figures for a day or a month: one source for screens and CLI.

Figures follow research/domain.md §4.4 (the provincial one-stop systems' formula), for a period
[start, end) judged at `as_of` = the earlier of the period's end and now:
- received: received in the period; carried_over: received earlier and still open at the start;
  to_handle (cần xử lý) = received + carried_over.
- finished (done or returned) in the period, split by the due date in force: early (finished on a day
  before the due day), on_time (on the due day, by the due time), late (after the due time).
- in_progress: received and still open at `as_of`; late_in_progress (= overdue): among those, past due.
- late rate = (late finished + late in progress) / to_handle; on_time_rate = 1 − late rate
  (None when there is nothing to handle). The due date in force is the rescheduled one, if any
  (rescheduling is allowed once, with an apology slip); `rescheduled` counts those dossiers.
All figures are computed in SQL (one grouped scan of the dossier table, counter.store.figures) over a plain
DB-API connection, so screens stay fast and `counter report daily` starts without the ORM.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any

from counter.fees import report as fee_report
from counter.store import figures as figure_rows

FORMULA = (
    "Tỉ lệ đúng hạn = 100% − (trễ hạn đã xử lý + trễ hạn đang xử lý) / cần xử lý; "
    "cần xử lý = tiếp nhận trong kỳ + kỳ trước chuyển sang."
)
FORMULA_KEY = "on_time_rate = 1 - (late_finished + late_in_progress) / (received + carried_over)"


@dataclass(frozen=True)
class Period:
    """A reporting period [start, end) of local time, with a label for screens and files."""

    kind: str
    start: datetime
    end: datetime
    label: str

    @classmethod
    def day(cls, day: date) -> Period:
        """One calendar day."""
        start = datetime.combine(day, time())
        return cls("day", start, start + timedelta(days=1), day.isoformat())

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month."""
        start = datetime(year, month, 1)
        end = datetime(year + month // 12, month % 12 + 1, 1)
        return cls("month", start, end, f"{year:04d}-{month:02d}")


@dataclass
class Figures:
    """Counts of one group (everything, one procedure or one clerk) over a period."""

    received: int = 0
    carried_over: int = 0
    finished: int = 0
    early: int = 0
    on_time: int = 0
    late_finished: int = 0
    returned: int = 0
    refused: int = 0
    withdrawn: int = 0
    in_progress: int = 0
    late_in_progress: int = 0
    rescheduled: int = 0
    outside_unit: int = 0
    """Received from citizens whose (resolved) address lies outside the unit's ward (Decree 118/2025)."""
    digitised_components: int = 0
    """Received in the period with at least one component (paper handed in) digitised on the dossier."""
    reused_components: int = 0
    """Received in the period with at least one component linked from an earlier digitisation."""
    digitised_results: int = 0
    """Returned in the period with the result digitised on the dossier."""

    @property
    def to_handle(self) -> int:
        """Cần xử lý: received in the period plus carried over from before."""
        return self.received + self.carried_over

    @property
    def overdue(self) -> int:
        """Open and past due at the moment the period is judged (same as late_in_progress)."""
        return self.late_in_progress

    @property
    def on_time_rate(self) -> float | None:
        """Share handled without lateness (domain.md §4.4), or None when nothing was to be handled."""
        if self.to_handle == 0:
            return None
        return 1 - (self.late_finished + self.late_in_progress) / self.to_handle

    def share(self, part: str, whole: str) -> float | None:
        """`part` over `whole` (received or returned), or None when the whole is 0."""
        total = getattr(self, whole)
        return None if total == 0 else getattr(self, part) / total

    def add(self, other: Figures) -> None:
        """Add another group's counts into this one."""
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def to_json(self) -> dict[str, Any]:
        """Plain field names, the derived ones included; the rate rounded to 4 decimals."""
        rate = self.on_time_rate
        shares = {f"{part}_share": self.share(part, whole) for part, whole in SHARES.items()}
        return {**asdict(self), "to_handle": self.to_handle, "overdue": self.overdue,
                "on_time_rate": None if rate is None else round(rate, 4),
                **{k: None if v is None else round(v, 4) for k, v in shares.items()}}


SHARES = {"digitised_components": "received", "reused_components": "received", "digitised_results": "returned"}
"""Digitisation figures and the count each is a share of."""
RATE_NAMES = ("on_time_rate", *(f"{part}_share" for part in SHARES))
FIGURE_NAMES = (*(f.name for f in fields(Figures)), "to_handle", "overdue", *RATE_NAMES)


@dataclass
class Report:
    """Figures of one period: in total, by procedure (form id) and by receiving clerk."""

    period: Period
    as_of: datetime
    total: Figures
    by_procedure: dict[str, Figures] = field(default_factory=dict)
    by_clerk: dict[str, Figures] = field(default_factory=dict)
    fees: fee_report.FeeReport | None = None
    """The fees taken, waived and owed in the period (as `counter report fees` gives them)."""

    def to_json(self, titles: dict[str, str] | None = None) -> dict[str, Any]:
        """The report as plain JSON: totals at top level, lists by procedure and by clerk, and `fees`."""
        titles = titles or {}
        fees = self.fees.to_json(titles) if self.fees else None
        return {
            "period": self.period.kind, "label": self.period.label,
            "start": self.period.start.isoformat(), "end": self.period.end.isoformat(),
            "as_of": self.as_of.isoformat(), "formula": FORMULA_KEY, **self.total.to_json(),
            "by_procedure": [{"procedure": k, "title": titles.get(k, k), **v.to_json()}
                             for k, v in self.by_procedure.items()],
            "by_clerk": [{"clerk": k, **v.to_json()} for k, v in self.by_clerk.items()],
            "fees": None if fees is None else {k: v for k, v in fees.items() if k != "period"},
        }


def compute(conn: Any, period: Period, now: datetime, unit_ward_code: int = 0) -> Report:
    """Every figure of `period` by procedure and clerk in one grouped SQL scan (`conn`: a DB-API connection).

    `outside_unit` counts only when the unit's ward code is known and the citizen's address is resolved.
    """
    as_of = min(period.end, max(now, period.start))
    report = Report(period, as_of, Figures())
    for form_id, clerk, *counts in figure_rows.figures(conn, period.start, as_of, unit_ward_code):
        figures = Figures(*counts)
        report.total.add(figures)
        report.by_procedure.setdefault(form_id, Figures()).add(figures)
        report.by_clerk.setdefault(clerk, Figures()).add(figures)
    report.by_procedure = dict(sorted(report.by_procedure.items()))
    report.by_clerk = dict(sorted(report.by_clerk.items()))
    first = period.start.date()
    label = f"{first:%d/%m/%Y}" if period.kind == "day" else f"{first:%m/%Y}"
    report.fees = fee_report.for_period(conn, period.kind, label, first, (period.end - timedelta(days=1)).date())
    return report


def daily(conn: Any, day: date, now: datetime, unit_ward_code: int = 0) -> Report:
    """Figures of one day."""
    return compute(conn, Period.day(day), now, unit_ward_code)


def monthly(conn: Any, year: int, month: int, now: datetime, unit_ward_code: int = 0) -> Report:
    """Figures of one month."""
    return compute(conn, Period.month(year, month), now, unit_ward_code)
