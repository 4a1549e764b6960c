"""The fees of a day or month: takings by method, procedure, clerk and day, what was waived and what is unpaid.

`total` is the payments of the period less its refunds (a refund counts on its own day, against the
method and procedure of the payment it gives back).
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from counter.law import lifecycle
from counter.store import fees as fee_rows

PAID, REFUNDED = "fee_paid", "fee_refunded"


@dataclass
class Tally:
    """How many and how much."""

    count: int = 0
    amount: int = 0

    def add(self, amount: int, count: int = 1) -> None:
        """Count one more (a refund: count −1 and a negative amount)."""
        self.count += count
        self.amount += amount

    def to_json(self) -> dict[str, int]:
        """{"count", "amount"}."""
        return {"count": self.count, "amount": self.amount}


@dataclass
class FeeReport:
    """The figures of one period."""

    kind: str
    label: str
    first: date
    last: date
    paid: Tally = field(default_factory=Tally)
    refunded: Tally = field(default_factory=Tally)
    by_method: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_procedure: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    by_clerk: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    daily: dict[str, int] = field(default_factory=dict)
    exempt: Tally = field(default_factory=Tally)
    unpaid: Tally = field(default_factory=Tally)
    unpaid_codes: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Payments less refunds."""
        return self.paid.amount - self.refunded.amount

    @property
    def cash(self) -> int:
        """Cash taken less cash given back: what the drawer should hold from this period."""
        return self.by_method["cash"].amount if "cash" in self.by_method else 0

    def to_json(self, titles: dict[str, str]) -> dict[str, Any]:
        """The JSON of `counter report fees --json`."""
        def table(tallies: dict[str, Tally]) -> dict[str, dict[str, int]]:
            return {key: tallies[key].to_json() for key in sorted(tallies)}

        return {
            "period": {"kind": self.kind, "label": self.label, "from": self.first.isoformat(),
                       "to": self.last.isoformat()},
            "currency": "VND", "total": self.total, "paid": self.paid.to_json(), "refunded": self.refunded.to_json(),
            "by_method": table(self.by_method),
            "by_procedure": {k: {"title": titles.get(k, k), **v} for k, v in table(self.by_procedure).items()},
            "by_clerk": table(self.by_clerk), "daily": dict(sorted(self.daily.items())),
            "exempt": self.exempt.to_json(),
            "unpaid": {**self.unpaid.to_json(), "dossiers": self.unpaid_codes},
        }


def build(kind: str, label: str, first: date, last: date, events: list[dict[str, Any]],
          received: list[dict[str, Any]]) -> FeeReport:
    """The report from the period's fee events and the dossiers received in it (counter.store.fees)."""
    report = FeeReport(kind, label, first, last)
    for offset in range((last - first).days + 1):
        report.daily[date.fromordinal(first.toordinal() + offset).isoformat()] = 0
    for event in events:
        payload = json.loads(event["payload_json"])
        sign = 1 if event["type"] == PAID else -1
        amount = sign * int(payload["amount"])
        (report.paid if sign > 0 else report.refunded).add(abs(amount))
        report.by_method[str(payload.get("method", "cash"))].add(amount, sign)
        report.by_procedure[event["form_id"]].add(amount, sign)
        report.by_clerk[event["clerk"]].add(amount, sign)
        day = str(event["occurred_at"])[:10]
        report.daily[day] = report.daily.get(day, 0) + amount
    for row in received:
        fee = json.loads(row["fee_json"])
        if fee.get("exempt"):
            report.exempt.add(int(fee.get("waived", 0)))
        elif row["fee_due"] > 0 and not row["payment_json"] and row["status"] != lifecycle.WITHDRAWN:
            report.unpaid.add(int(row["fee_due"]))
            report.unpaid_codes.append(row["code"])
    return report


def for_period(conn: Any, kind: str, label: str, first: date, last: date) -> FeeReport:
    """The fee report of the days `first`..`last` (inclusive), read inside the caller's transaction
    (`conn`: a DB-API connection)."""
    since, until = first.isoformat(), (last + timedelta(days=1)).isoformat()
    return build(kind, label, first, last, fee_rows.fee_events(conn, since, until),
                 fee_rows.received_fees(conn, since, until))
