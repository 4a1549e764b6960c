"""The SQL of a period's figures (counter.reporting.figures): one grouped scan of the dossiers the period
touches, read by index, on a plain DB-API connection."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from counter.store.migrations import LONG_RUNNING
from counter.store.rows import to_sql

LONG_SPAN = timedelta(days=60)
"""Must match the 60 days of LONG_RUNNING (the partial index ix_dossier_long_running)."""
_STILL_THERE = "(closed_at IS NULL OR closed_at >= :start OR returned_at >= :start)"
TOUCHING_IDS = (
    f"SELECT id FROM dossier WHERE received_at >= :recent AND received_at < :as_of AND {_STILL_THERE}"
    f" UNION ALL SELECT id FROM dossier WHERE received_at < :recent AND ({LONG_RUNNING}) AND {_STILL_THERE}"
)
"""Ids of the dossiers received before `as_of` and still open, closed or returned at or after `start`: those
received within LONG_SPAN before the period (received_at), plus the long-running ones received earlier (the
partial index ix_dossier_long_running), so nothing scans the whole table."""

_RECEIVED = "(received_at >= :start AND received_at < :as_of)"
_CARRIED_OVER = "(received_at < :start AND (closed_at IS NULL OR closed_at >= :start))"
_FINISHED = "(finished_at >= :start AND finished_at < :as_of)"
_CLOSED_IN = "(closed_at >= :start AND closed_at < :as_of)"
_RETURNED = "(returned_at >= :start AND returned_at < :as_of)"
_OPEN_AT_END = "(closed_at IS NULL OR closed_at >= :as_of)"
COUNTED = (
    _RECEIVED,
    _CARRIED_OVER,
    _FINISHED,
    f"{_FINISHED} AND date(finished_at) < date(due_at)",
    f"{_FINISHED} AND date(finished_at) >= date(due_at) AND finished_at <= due_at",
    f"{_FINISHED} AND finished_at > due_at",
    _RETURNED,
    f"{_CLOSED_IN} AND status = 'refused'",
    f"{_CLOSED_IN} AND status = 'withdrawn'",
    _OPEN_AT_END,
    f"{_OPEN_AT_END} AND due_at < :as_of",
    f"rescheduled = 1 AND ({_RECEIVED} OR {_CARRIED_OVER})",
    f"{_RECEIVED} AND residence_ward_code IS NOT NULL AND residence_ward_code <> :ward AND :ward <> 0",
    f"{_RECEIVED} AND attached_components > 0",
    f"{_RECEIVED} AND reused_components > 0",
    f"{_RETURNED} AND attached_results > 0",
)
"""What each figure counts, in the order of counter.reporting.figures.Figures' fields."""
FIGURES = (
    "SELECT form_id, clerk, " + ", ".join(f"SUM(CASE WHEN {c} THEN 1 ELSE 0 END)" for c in COUNTED)
    + f" FROM dossier WHERE id IN ({TOUCHING_IDS}) GROUP BY form_id, clerk"
)


def figure_params(start: datetime, as_of: datetime, unit_ward_code: int) -> dict[str, Any]:
    """The parameters of FIGURES (and TOUCHING_IDS) for a period from `start` judged at `as_of`."""
    return {"start": to_sql(start), "as_of": to_sql(as_of), "recent": to_sql(start - LONG_SPAN),
            "ward": unit_ward_code}


def figures(conn: Any, start: datetime, as_of: datetime, unit_ward_code: int) -> list[tuple[Any, ...]]:
    """(form id, clerk, *counts in COUNTED order) of each group of dossiers the period touches."""
    return [tuple(row) for row in conn.execute(FIGURES, figure_params(start, as_of, unit_ward_code))]
