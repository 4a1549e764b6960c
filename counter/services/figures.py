"""The figures a supervisor views or exports for a day or a month, read over a plain DB-API connection (no
ORM: `counter report daily` starts at once), the view or export audited in the same transaction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from counter.context import CounterContext
from counter.custody import audit
from counter.errors import CounterError
from counter.reporting import figures as periods
from counter.reporting.report_export import write_xlsx

DAY, MONTH = "day", "month"
SHOWN_IN_APP = "tui"
"""How the app shows figures (the CLI says text, json, csv or xlsx); anything but text or tui is an export."""


def titles(ctx: CounterContext) -> dict[str, str]:
    """Form id → title, as reports name the procedures."""
    return {f.id: f.title for f in ctx.forms.values()}


def figures(ctx: CounterContext, viewer: str, kind: str, day: date, shown_as: str = SHOWN_IN_APP,
            xlsx: Path | None = None) -> periods.Report:
    """The figures of the day (or month) holding `day`, saved to `xlsx` when given; viewed or exported, audited.

    A workbook that cannot be written leaves no audit record: the transaction is rolled back.
    """
    now = ctx.now()
    with ctx.store.transaction() as conn:
        if kind == DAY:
            report = periods.daily(conn, day, now, ctx.config.unit.ward_code)
        else:
            report = periods.monthly(conn, day.year, day.month, now, ctx.config.unit.ward_code)
        if xlsx is not None:
            try:
                write_xlsx(report, titles(ctx), xlsx)
            except OSError as exc:
                raise CounterError(f"Không ghi được tệp {xlsx}: {exc.strerror or exc}.") from None
        action = "view" if shown_as in (SHOWN_IN_APP, "text") else "export"
        audit.record_on(conn, viewer, action, "report", f"{report.period.kind} {report.period.label}", shown_as,
                        at=now)
    return report
