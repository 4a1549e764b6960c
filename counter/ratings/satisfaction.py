"""`counter report satisfaction`: ratings of the dossiers received in a month, in total, by clerk and procedure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from counter.store import statements

FORMULA = "Tỉ lệ hài lòng = (số đánh giá “Rất hài lòng” + số đánh giá “Hài lòng”) / tổng số hồ sơ được đánh giá"


@dataclass
class Tally:
    """Rated dossiers by level, and the dossiers not rated."""

    by_level: dict[int, int] = field(default_factory=lambda: {3: 0, 2: 0, 1: 0})
    not_rated: int = 0

    @property
    def rated(self) -> int:
        """Dossiers with a rating."""
        return sum(self.by_level.values())

    @property
    def satisfaction_rate(self) -> float | None:
        """(Levels 3 and 2) over all rated; None while nothing is rated."""
        return (self.by_level[3] + self.by_level[2]) / self.rated if self.rated else None

    def add(self, level: int | None) -> None:
        """Count one dossier (level None: not rated)."""
        if level in self.by_level:
            self.by_level[level] += 1
        else:
            self.not_rated += 1

    def to_json(self) -> dict[str, Any]:
        """rated, by_level ({"3": n, "2": n, "1": n}), satisfaction_rate and not_rated."""
        rate = self.satisfaction_rate
        return {"rated": self.rated, "by_level": {str(k): v for k, v in self.by_level.items()},
                "satisfaction_rate": None if rate is None else round(rate, 4), "not_rated": self.not_rated}


@dataclass
class SatisfactionReport:
    """A period's ratings."""

    label: str
    total: Tally
    by_clerk: dict[str, Tally]
    by_procedure: dict[str, Tally]

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `counter report satisfaction --json`."""
        return {"month": self.label, **self.total.to_json(), "formula": FORMULA,
                "by_clerk": {k: v.to_json() for k, v in self.by_clerk.items()},
                "by_procedure": {k: v.to_json() for k, v in self.by_procedure.items()}}


def satisfaction(session: Session, start: date, end: date, label: str) -> SatisfactionReport:
    """Ratings of the dossiers received from `start` up to (not including) `end`."""
    bounds = (datetime.combine(start, datetime.min.time()), datetime.combine(end, datetime.min.time()))
    total, clerks, procedures = Tally(), dict[str, Tally](), dict[str, Tally]()
    for clerk, form_id, level in statements.first_ratings(session, *bounds):
        for tally in (total, clerks.setdefault(clerk, Tally()), procedures.setdefault(form_id, Tally())):
            tally.add(level)
    return SatisfactionReport(label, total, dict(sorted(clerks.items())), dict(sorted(procedures.items())))


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first day of the month and of the next."""
    return date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)


def percent(rate: float | None) -> str:
    """93,5 % (Vietnamese decimal comma), or a dash while nothing is rated."""
    return "—" if rate is None else f"{rate * 100:.1f} %".replace(".", ",")


SATISFACTION_COLUMNS = ("rated", "level_3", "level_2", "level_1", "satisfaction_rate", "not_rated")


def satisfaction_rows(report: SatisfactionReport, titles: dict[str, str]) -> list[list[Any]]:
    """A header and one row for the whole month, each clerk and each procedure (CSV and XLSX)."""
    def row(scope: str, key: str, name: str, tally: Tally) -> list[Any]:
        rate = tally.satisfaction_rate
        return [scope, key, name, tally.rated, tally.by_level[3], tally.by_level[2], tally.by_level[1],
                "" if rate is None else round(rate, 4), tally.not_rated]

    rows: list[list[Any]] = [["scope", "key", "name", *SATISFACTION_COLUMNS], row("total", "", "Tổng", report.total)]
    rows += [row("clerk", k, k, v) for k, v in report.by_clerk.items()]
    rows += [row("procedure", k, titles.get(k, k), v) for k, v in report.by_procedure.items()]
    return rows


def tally_line(tally: Tally) -> str:
    """One line: rated, each level, the rate and the not rated."""
    return (f"{tally.rated} đánh giá (Rất hài lòng {tally.by_level[3]}, Hài lòng {tally.by_level[2]}, "
            f"Không hài lòng {tally.by_level[1]}), tỉ lệ hài lòng {percent(tally.satisfaction_rate)}, "
            f"{tally.not_rated} hồ sơ chưa đánh giá")


def satisfaction_text(report: SatisfactionReport, titles: dict[str, str]) -> str:
    """The month's figures with the formula, then by clerk and by procedure."""
    total = report.total
    lines = [f"Mức độ hài lòng tháng {report.label}: {tally_line(total)}", FORMULA,
             f"= ({total.by_level[3]} + {total.by_level[2]}) / {total.rated} = {percent(total.satisfaction_rate)}"
             if total.rated else "= — (chưa có đánh giá)", "Theo cán bộ:"]
    lines += [f"  {name}: {tally_line(t)}" for name, t in report.by_clerk.items()]
    lines.append("Theo thủ tục:")
    lines += [f"  {titles.get(key, key)}: {tally_line(t)}" for key, t in report.by_procedure.items()]
    return "\n".join(lines)
