"""The SQL the domain runs on the counter's tables where the ORM would be slow or cannot say it: each
statement behind one function, inside the caller's transaction (counter/store/ is the only package that
spells out SQL naming a table; tests/test_sql_in_store.py checks it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from counter.store.rows import driver, to_sql

# --- dossiers and the people on them ---------------------------------------------------------------


def max_sequence(session: Session, unit_code: str, day: date, first: int, last: int) -> int | None:
    """The highest sequence number of `day` within one counter's block [first, last], or None."""
    row = driver(session).execute(
        "SELECT MAX(sequence) FROM dossier WHERE unit_code = ? AND received_day = ? AND sequence BETWEEN ? AND ?",
        (unit_code, day.isoformat(), first, last)).fetchone()
    return None if row[0] is None else int(row[0])


def replace_people(session: Session, dossier_id: int, people: Iterable[tuple[str, str, str]]) -> None:
    """Replace the dossier's rows in `dossier_person` (role, ID number, folded name), and so its name index."""
    conn = driver(session)
    conn.execute("DELETE FROM dossier_person WHERE dossier_id = ?", (dossier_id,))
    conn.executemany("INSERT INTO dossier_person (dossier_id, role, id_number, name_folded) VALUES (?, ?, ?, ?)",
                     [(dossier_id, *person) for person in people])


def has_other_events(session: Session, dossier_uuid: str, event_id: str) -> bool:
    """True when the dossier has events besides `event_id`."""
    found = driver(session).execute(
        "SELECT 1 FROM dossier_event WHERE dossier_uuid = ? AND id <> ? LIMIT 1", (dossier_uuid, event_id))
    return found.fetchone() is not None


def event_dossier_uuids(session: Session) -> list[str]:
    """Every dossier that has events."""
    return [row[0] for row in driver(session).execute("SELECT DISTINCT dossier_uuid FROM dossier_event")]


def rebuild_name_index(session: Session) -> None:
    """Rebuild the FTS5 index of folded names from `dossier_person`."""
    driver(session).execute("INSERT INTO dossier_person_fts (dossier_person_fts) VALUES ('rebuild')")


CITIZEN_COLUMNS = ("id_number", "old_id_number", "full_name", "name_folded", "birth_date", "sex", "address",
                   "issue_date", "card_kind", "extra_json", "first_seen_at", "last_seen_at")
_UPSERT_CITIZEN = f"""
    INSERT INTO citizen ({", ".join(CITIZEN_COLUMNS)})
    VALUES ({", ".join("?" * len(CITIZEN_COLUMNS))})
    ON CONFLICT (id_number) DO UPDATE SET
        old_id_number = excluded.old_id_number, full_name = excluded.full_name,
        name_folded = excluded.name_folded, birth_date = excluded.birth_date, sex = excluded.sex,
        address = excluded.address, issue_date = excluded.issue_date, card_kind = excluded.card_kind,
        extra_json = excluded.extra_json, last_seen_at = excluded.last_seen_at
    WHERE excluded.last_seen_at >= citizen.last_seen_at
"""


def upsert_citizen(session: Session, values: Mapping[str, Any]) -> None:
    """Store a citizen read from a card (CITIZEN_COLUMNS), updating an older record of the same ID number."""
    driver(session).execute(_UPSERT_CITIZEN, [to_sql(values[column]) for column in CITIZEN_COLUMNS])


CONFLICT_COLUMNS = ("event_id", "role", "id_number", "dossier_code", "counter_id", "fields", "pulled_json",
                    "noted_at")
_ADD_CONFLICT = (f"INSERT INTO citizen_conflict ({', '.join(CONFLICT_COLUMNS)})"
                 f" VALUES ({', '.join('?' * len(CONFLICT_COLUMNS))}) ON CONFLICT (event_id, role) DO NOTHING")


def add_citizen_conflict(session: Session, values: Mapping[str, Any]) -> int:
    """Keep one pulled person that differs from the counter's record (CONFLICT_COLUMNS), once per event
    and role; 1 when it is new."""
    cursor = driver(session).execute(_ADD_CONFLICT, [to_sql(values[column]) for column in CONFLICT_COLUMNS])
    return int(cursor.rowcount or 0)


_IN_ORDER = " ORDER BY d.received_at DESC, d.id DESC LIMIT :limit"
NAME_TIERS = (
    # 0: someone on the dossier has exactly this name.
    "SELECT d.id FROM dossier d WHERE d.id IN (SELECT dossier_id FROM dossier_person WHERE name_folded = :name)"
    + _IN_ORDER,
    # 1: someone's name starts with the query (and nobody's is exactly it).
    "SELECT d.id FROM dossier d WHERE d.id IN (SELECT dossier_id FROM dossier_person"
    " WHERE name_folded > :name AND name_folded < :upper)"
    " AND d.id NOT IN (SELECT dossier_id FROM dossier_person WHERE name_folded = :name)" + _IN_ORDER,
    # 2: every word of the query starts a word of someone's name (FTS5), and no name starts with the query.
    "SELECT d.id FROM dossier d WHERE d.id IN (SELECT p.dossier_id FROM dossier_person_fts f"
    " JOIN dossier_person p ON p.id = f.rowid WHERE dossier_person_fts MATCH :match)"
    " AND d.id NOT IN (SELECT dossier_id FROM dossier_person WHERE name_folded >= :name AND name_folded < :upper)"
    + _IN_ORDER,
)
"""The ranks of a name search, each read through an index; a page stops at the first ranks that fill it."""


def ids_by_name(session: Session, tier: int, params: Mapping[str, Any]) -> list[int]:
    """Dossier ids of one rank of a name search (`name`, `upper`, `match`, `limit`), newest first."""
    return [row[0] for row in session.execute(sa.text(NAME_TIERS[tier]), dict(params))]


# --- reports ---------------------------------------------------------------------------------------

_FIRST_RATINGS = sa.text("""
    SELECT d.clerk, d.form_id, (
        SELECT CAST(json_extract(e.payload_json, '$.level') AS INTEGER) FROM dossier_event e
        WHERE e.dossier_uuid = d.uuid AND e.type = 'rated' ORDER BY e.hlc LIMIT 1) AS level
    FROM dossier d WHERE d.received_at >= :start AND d.received_at < :end
""")


def first_ratings(session: Session, start: datetime, end: datetime) -> list[tuple[str, str, int | None]]:
    """(clerk, form id, first rating level or None) of each dossier received from `start` up to `end`."""
    params = {"start": start.isoformat(" "), "end": end.isoformat(" ")}
    return [(row[0], row[1], row[2]) for row in session.execute(_FIRST_RATINGS, params)]


_LAST_EVENT_PER_COUNTER = sa.text("""
    WITH RECURSIVE c(id) AS (
        SELECT MIN(counter_id) FROM dossier_event
        UNION ALL
        SELECT (SELECT MIN(counter_id) FROM dossier_event WHERE counter_id > c.id)
        FROM c WHERE c.id IS NOT NULL)
    SELECT id, (SELECT MAX(occurred_at) FROM dossier_event WHERE counter_id = c.id)
    FROM c WHERE id IS NOT NULL
""")


def last_event_per_counter(session: Session) -> list[tuple[str, Any]]:
    """Each counter's newest event time, by a loose index scan (a few index probes instead of every event)."""
    return [(row[0], row[1]) for row in session.connection().execute(_LAST_EVENT_PER_COUNTER)]


# --- sync ------------------------------------------------------------------------------------------

_MARK_SYNCED = sa.text(
    "UPDATE dossier_event SET synced_at = :at, hub_seq = :seq WHERE id = :event_id"
).bindparams(sa.bindparam("at", type_=sa.DateTime))


def mark_synced(session: Session, acknowledged: list[dict[str, Any]]) -> None:
    """Mark events acknowledged by the hub ({"at", "seq", "event_id"} each) in one executemany."""
    session.connection().execute(_MARK_SYNCED, acknowledged)


def dossier_id_numbers(session: Session, dossier_id: int | None) -> list[str]:
    """The ID numbers of the people on a dossier (from `dossier_person`)."""
    return [str(r[0]) for r in driver(session).execute(
        "SELECT id_number FROM dossier_person WHERE dossier_id = ?", (dossier_id,))]
