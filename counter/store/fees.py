"""Queries behind fee receipts and fee reports (the SQL stays in the store), on a DB-API connection."""

from __future__ import annotations

from typing import Any

FEE_EVENTS = ("fee_paid", "fee_refunded")


def highest_receipt(conn: Any, counter_id: str, year: int, low: int, high: int) -> int | None:
    """This counter's largest fee receipt number of `year` inside its block, from its own `fee_paid` events.

    Read from the events (not the dossier rows) so a refunded payment's number is never reissued, and
    after a restore the events taken back from the hub count too.
    """
    found = conn.execute(
        "SELECT MAX(json_extract(payload_json, '$.receipt_no')) FROM dossier_event"
        " WHERE type = 'fee_paid' AND counter_id = ? AND json_extract(payload_json, '$.receipt_year') = ?"
        " AND json_extract(payload_json, '$.receipt_no') BETWEEN ? AND ?",
        (counter_id, year, low, high)).fetchone()[0]
    return None if found is None else int(found)


def fee_events(conn: Any, since: str, until: str) -> list[dict[str, Any]]:
    """Payments and refunds that happened in [since, until) (local ISO times), with their dossier's form and fee."""
    cursor = conn.execute(
        "SELECT e.type, e.payload_json, e.occurred_at, e.clerk, e.counter_id, e.dossier_code, d.form_id, d.fee_json"
        " FROM dossier_event e JOIN dossier d ON d.uuid = e.dossier_uuid"
        " WHERE e.type IN ('fee_paid', 'fee_refunded') AND e.occurred_at >= ? AND e.occurred_at < ?"
        " ORDER BY e.occurred_at, e.hlc", (since, until))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def received_fees(conn: Any, since: str, until: str) -> list[dict[str, Any]]:
    """Dossiers received in [since, until) that carry a fee: code, form, fee, payment and status."""
    cursor = conn.execute(
        "SELECT code, form_id, status, fee_json, fee_due, payment_json, clerk, counter_id FROM dossier"
        " WHERE fee_json <> '' AND received_at >= ? AND received_at < ? ORDER BY received_at, code", (since, until))
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
