"""`counter report waiting`: waiting and service times (p50/p90) by group and by clerk, arrivals by hour."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from counter.queue.tickets import SKIPPED, WAITING
from counter.store.models import QueueTicket


def percentile(values: list[float], share: float) -> float | None:
    """The `share` percentile (nearest rank) of `values`, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


@dataclass
class Times:
    """Tickets of one group or clerk and their waiting and service minutes."""

    taken: int = 0
    served: int = 0
    skipped: int = 0
    still_waiting: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def add(self, ticket: QueueTicket) -> None:
        """Count one ticket."""
        self.taken += 1
        self.skipped += ticket.state == SKIPPED
        self.still_waiting += ticket.state == WAITING
        if ticket.called_at is not None:
            self.waits.append((ticket.called_at - ticket.taken_at).total_seconds() / 60)
            if ticket.finished_at is not None and ticket.state != SKIPPED:
                self.served += 1
                self.services.append((ticket.finished_at - ticket.called_at).total_seconds() / 60)

    def to_json(self) -> dict[str, Any]:
        """Counts and p50/p90 minutes, one decimal."""
        def rounded(values: list[float], share: float) -> float | None:
            found = percentile(values, share)
            return None if found is None else round(found, 1)

        return {"taken": self.taken, "served": self.served, "skipped": self.skipped,
                "still_waiting": self.still_waiting,
                "wait_p50_min": rounded(self.waits, 0.5), "wait_p90_min": rounded(self.waits, 0.9),
                "service_p50_min": rounded(self.services, 0.5), "service_p90_min": rounded(self.services, 0.9)}


@dataclass
class WaitingReport:
    """One day's queue figures."""

    day: date
    total: Times
    by_group: dict[str, Times]
    by_clerk: dict[str, Times]
    arrivals: dict[int, int]
    """Hour of the day → tickets taken in it."""

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `counter report waiting --json`."""
        return {"date": self.day.isoformat(), "total": self.total.to_json(),
                "by_group": {k: v.to_json() for k, v in self.by_group.items()},
                "by_clerk": {k: v.to_json() for k, v in self.by_clerk.items()},
                "arrivals": {f"{hour:02d}": n for hour, n in sorted(self.arrivals.items())}}


def waiting_report(session: Session, day: date) -> WaitingReport:
    """Every ticket of `day`, counted in total, by group and by the clerk who called it."""
    tickets = list(session.exec(select(QueueTicket).where(QueueTicket.day == day).order_by(col(QueueTicket.id))))
    total = Times()
    groups: defaultdict[str, Times] = defaultdict(Times)
    clerks: defaultdict[str, Times] = defaultdict(Times)
    for ticket in tickets:
        total.add(ticket)
        groups[ticket.group_id].add(ticket)
        if ticket.called_by:
            clerks[ticket.called_by].add(ticket)
    arrivals = Counter(t.taken_at.hour for t in tickets)
    return WaitingReport(day, total, dict(sorted(groups.items())), dict(sorted(clerks.items())), dict(arrivals))


CSV_COLUMNS = ("taken", "served", "skipped", "still_waiting", "wait_p50_min", "wait_p90_min", "service_p50_min",
               "service_p90_min")


def to_csv_rows(report: WaitingReport) -> list[list[Any]]:
    """Rows [scope, key, figures…] for the whole day, each group and each clerk, then [arrivals, hour, n]."""
    rows: list[list[Any]] = [["scope", "key", *CSV_COLUMNS]]
    scopes = [("total", "", report.total)] + [("group", k, v) for k, v in report.by_group.items()]
    scopes += [("clerk", k, v) for k, v in report.by_clerk.items()]
    for scope, key, times in scopes:
        figures = times.to_json()
        rows.append([scope, key, *("" if figures[c] is None else figures[c] for c in CSV_COLUMNS)])
    rows += [["arrivals", f"{hour:02d}", n] for hour, n in sorted(report.arrivals.items())]
    return rows


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}".replace(".", ",") + " phút"


def _line(name: str, times: Times) -> str:
    f = times.to_json()
    return (f"  {name:<22} {f['taken']:>4} số, {f['served']:>4} đã phục vụ, {f['skipped']:>3} bỏ qua, "
            f"{f['still_waiting']:>3} đang chờ | chờ p50 {_minutes(f['wait_p50_min'])}, "
            f"p90 {_minutes(f['wait_p90_min'])} | phục vụ p50 {_minutes(f['service_p50_min'])}, "
            f"p90 {_minutes(f['service_p90_min'])}")


def to_text(report: WaitingReport, group_names: dict[str, str]) -> str:
    """The day's figures and an hour-by-hour bar chart of arrivals."""
    lines = [f"Hàng chờ ngày {report.day:%d/%m/%Y} (p50, p90: trung vị và 90% số người chờ không quá)",
             _line("Tổng", report.total), "Theo nhóm:"]
    lines += [_line(f"{key} {group_names.get(key, '')}"[:22], times) for key, times in report.by_group.items()]
    lines.append("Theo cán bộ:")
    lines += [_line(name[:22], times) for name, times in report.by_clerk.items()]
    lines.append("Người đến theo giờ:")
    most = max(report.arrivals.values(), default=0)
    for hour, count in sorted(report.arrivals.items()):
        lines.append(f"  {hour:02d}h {'█' * max(1, round(30 * count / most))} {count}")
    return "\n".join(lines)
