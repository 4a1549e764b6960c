"""Plain DB-API statements on the counter's tables, importable without SQLAlchemy: what the commands that
must start at once run (`dossier show`, `report daily`, the sign-in check) and the hot write path.

Rows come back as frozen dataclasses with the names and types of the ORM models (counter.store.models),
so views written for one read the other. Every function runs inside the caller's connection or transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from counter.store.rows import to_sql

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def _moment(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


_CONVERT: dict[str, Callable[[Any], Any]] = {
    "datetime": _moment, "datetime | None": _moment, "date": lambda v: date.fromisoformat(str(v)), "bool": bool}
"""How a column's stored text becomes the model's type, by the dataclass field's annotation."""


def _columns(kind: type[DataclassInstance]) -> str:
    return ", ".join(f.name for f in fields(kind))


def _build[Row: DataclassInstance](kind: type[Row], values: Any) -> Row:
    """A row dataclass from the values of its columns, in field order."""
    converted = [_CONVERT.get(str(f.type), lambda v: v)(v) for f, v in zip(fields(kind), values, strict=True)]
    return kind(*converted)


@dataclass(frozen=True)
class DossierRow:
    """One `dossier` row: the columns of the Dossier model, with the same names and types."""

    id: int
    uuid: str
    code: str
    unit_code: str
    received_day: date
    sequence: int
    form_id: str
    status: str
    values_json: str
    addresses_json: str
    residence_ward_code: int | None
    people_json: str
    applicant_id_number: str
    applicant_name: str
    received_at: datetime
    due_at: datetime
    finished_at: datetime | None
    returned_at: datetime | None
    closed_at: datetime | None
    returned_to: str
    rescheduled: bool
    counter_id: str
    clerk: str
    last_hlc: str
    event_count: int
    form_version: str
    form_sha256: str
    attached_components: int
    reused_components: int
    attached_results: int
    fee_json: str
    fee_due: int
    payment_json: str
    fee_paid_at: datetime | None


@dataclass(frozen=True)
class EventRow:
    """One `dossier_event` row: the columns of the DossierEvent model, with the same names and types."""

    id: str
    dossier_uuid: str
    dossier_code: str
    unit_code: str
    type: str
    payload_json: str
    hlc: str
    occurred_at: datetime
    clerk: str
    counter_id: str
    synced_at: datetime | None
    hub_seq: int | None
    quarantine_reason: str | None


def dossier_by_code(conn: Any, code: str) -> DossierRow | None:
    """The dossier with this code, or None."""
    found = conn.execute(f"SELECT {_columns(DossierRow)} FROM dossier WHERE code = ?", (code,)).fetchone()
    return None if found is None else _build(DossierRow, found)


def events_of(conn: Any, dossier_uuid: str) -> list[EventRow]:
    """Every event of a dossier in clock order."""
    return [_build(EventRow, found) for found in conn.execute(
        f"SELECT {_columns(EventRow)} FROM dossier_event WHERE dossier_uuid = ? ORDER BY hlc", (dossier_uuid,))]


def citizen_names(conn: Any, id_numbers: list[str]) -> dict[str, str]:
    """ID number → full name of the citizens this counter holds among `id_numbers`."""
    marks = ", ".join("?" * len(id_numbers))
    return {str(n): str(name) for n, name in conn.execute(
        f"SELECT id_number, full_name FROM citizen WHERE id_number IN ({marks})", id_numbers)}


def last_hlc(conn: Any) -> str | None:
    """The newest hybrid logical clock stamp of any stored event, or None."""
    found = conn.execute("SELECT hlc FROM dossier_event ORDER BY hlc DESC LIMIT 1").fetchone()
    return None if found is None else str(found[0])


def pinned_form(conn: Any, sha256: str) -> tuple[str, str, str] | None:
    """(form id, version, canonical content) of the stored form version with this SHA-256, or None."""
    found = conn.execute("SELECT form_id, version, content FROM form_version WHERE sha256 = ?", (sha256,)).fetchone()
    return None if found is None else (str(found[0]), str(found[1]), str(found[2]))


def pin_form(conn: Any, sha256: str, form_id: str, version: str, content: str, at: datetime) -> None:
    """Keep a form version (once per SHA-256)."""
    conn.execute("INSERT INTO form_version (sha256, form_id, version, content, first_used_at) VALUES (?, ?, ?, ?, ?)"
                 " ON CONFLICT (sha256) DO NOTHING", (sha256, form_id, version, content, to_sql(at)))


# --- attachments (folded from their events by counter/attachments/records.py) ---------------------------------

ATTACHMENT_EVENTS = ("attachment_added", "attachment_removed")
_ATTACHMENT_COLUMNS = ("e.id, e.dossier_uuid, e.dossier_code, e.type, e.payload_json, e.clerk, e.occurred_at, "
                       "e.counter_id")


def attachment_events(conn: Any, dossier_uuid: str) -> list[Any]:
    """A dossier's attachment events in clock order (id, uuid, code, type, payload, clerk, time, counter)."""
    return list(conn.execute(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM dossier_event e WHERE e.dossier_uuid = ? AND e.type IN (?, ?) "
        "ORDER BY e.hlc", (dossier_uuid, *ATTACHMENT_EVENTS)).fetchall())


def citizen_attachment_events(conn: Any, id_number: str) -> list[Any]:
    """The attachment events, in clock order, of every dossier where the citizen is one of the people."""
    return list(conn.execute(
        f"SELECT {_ATTACHMENT_COLUMNS} FROM dossier_event e WHERE e.type IN (?, ?) AND e.dossier_uuid IN ("
        " SELECT d.uuid FROM dossier d JOIN dossier_person p ON p.dossier_id = d.id WHERE p.id_number = ?)"
        " ORDER BY e.hlc", (*ATTACHMENT_EVENTS, id_number)).fetchall())


def dossiers_attaching(conn: Any, sha256: str) -> list[str]:
    """uuids of the dossiers that were ever given these bytes (whether still attached or not)."""
    return [str(r[0]) for r in conn.execute(
        "SELECT DISTINCT dossier_uuid FROM dossier_event WHERE type = 'attachment_added' "
        "AND json_extract(payload_json, '$.sha256') = ?", (sha256,))]
