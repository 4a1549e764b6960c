"""Versioned schema migrations, applied in order on start; PRAGMA user_version is the version.

Each migration runs in its own transaction. Append new ones at the end; never edit a released one.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from counter.text.textfold import fold


@dataclass(frozen=True)
class Migration:
    """One step of the schema history."""

    version: int
    description: str
    apply: Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Execute SQL statements one by one inside the caller's transaction (executescript would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


def _v1_initial(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE citizen (
            id INTEGER PRIMARY KEY,
            id_number TEXT NOT NULL UNIQUE,
            old_id_number TEXT NOT NULL DEFAULT '',
            full_name TEXT NOT NULL,
            birth_date DATE NOT NULL,
            sex TEXT NOT NULL,
            address TEXT NOT NULL,
            issue_date DATE NOT NULL,
            card_kind TEXT NOT NULL,
            extra_json TEXT NOT NULL DEFAULT '[]',
            first_seen_at DATETIME NOT NULL,
            last_seen_at DATETIME NOT NULL
        );
        CREATE TABLE dossier (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            code TEXT NOT NULL UNIQUE,
            unit_code TEXT NOT NULL,
            received_day DATE NOT NULL,
            sequence INTEGER NOT NULL,
            form_id TEXT NOT NULL,
            status TEXT NOT NULL,
            values_json TEXT NOT NULL,
            people_json TEXT NOT NULL,
            applicant_id_number TEXT NOT NULL,
            applicant_name TEXT NOT NULL,
            received_at DATETIME NOT NULL,
            due_at DATETIME NOT NULL,
            finished_at DATETIME,
            returned_at DATETIME,
            rescheduled BOOLEAN NOT NULL DEFAULT 0,
            counter_id TEXT NOT NULL,
            clerk TEXT NOT NULL,
            last_hlc TEXT NOT NULL,
            event_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX ix_dossier_code ON dossier (code);
        CREATE INDEX ix_dossier_received_day ON dossier (received_day);
        CREATE INDEX ix_dossier_status ON dossier (status);
        CREATE INDEX ix_dossier_applicant_id_number ON dossier (applicant_id_number);
        CREATE UNIQUE INDEX ux_dossier_unit_day_sequence ON dossier (unit_code, received_day, sequence);
        CREATE TABLE dossier_event (
            id TEXT PRIMARY KEY,
            dossier_uuid TEXT NOT NULL,
            dossier_code TEXT NOT NULL,
            unit_code TEXT NOT NULL,
            type TEXT NOT NULL,
            payload_json TEXT NOT NULL,
            hlc TEXT NOT NULL,
            occurred_at DATETIME NOT NULL,
            clerk TEXT NOT NULL,
            counter_id TEXT NOT NULL,
            synced_at DATETIME,
            hub_seq INTEGER
        );
        CREATE INDEX ix_dossier_event_dossier_uuid ON dossier_event (dossier_uuid);
        CREATE INDEX ix_dossier_event_hlc ON dossier_event (hlc);
        CREATE INDEX ix_dossier_event_synced_at ON dossier_event (synced_at);
        CREATE TRIGGER dossier_event_no_delete BEFORE DELETE ON dossier_event
        BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;
        CREATE TRIGGER dossier_event_immutable
        BEFORE UPDATE OF id, dossier_uuid, dossier_code, unit_code, type, payload_json, hlc, occurred_at,
                         clerk, counter_id ON dossier_event
        BEGIN SELECT RAISE(ABORT, 'dossier events are append-only'); END;
        CREATE TABLE clerk (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL DEFAULT 'clerk',
            pin_hash TEXT,
            created_at DATETIME NOT NULL,
            active BOOLEAN NOT NULL DEFAULT 1
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at DATETIME NOT NULL,
            clerk TEXT NOT NULL,
            action TEXT NOT NULL,
            subject_kind TEXT NOT NULL,
            subject_ref TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX ix_audit_log_at ON audit_log (at);
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
        """
    )


def _v2_folded_names(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE citizen ADD COLUMN name_folded TEXT NOT NULL DEFAULT ''")
    rows = conn.execute("SELECT id, full_name FROM citizen").fetchall()
    conn.executemany("UPDATE citizen SET name_folded = ? WHERE id = ?", [(fold(n), i) for i, n in rows])
    conn.execute("CREATE INDEX ix_citizen_name_folded ON citizen (name_folded)")
    conn.execute("CREATE INDEX ix_citizen_id_number ON citizen (id_number)")


def _v3_sync_and_sign_in(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        ALTER TABLE dossier_event ADD COLUMN quarantine_reason TEXT;
        ALTER TABLE clerk ADD COLUMN failed_attempts INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE clerk ADD COLUMN locked_until DATETIME;
        """,
    )


def _v4_lifecycle_reports(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        ALTER TABLE dossier ADD COLUMN closed_at DATETIME;
        ALTER TABLE dossier ADD COLUMN returned_to TEXT NOT NULL DEFAULT '';
        UPDATE dossier SET closed_at = finished_at WHERE finished_at IS NOT NULL;
        UPDATE dossier SET closed_at = (
            SELECT MIN(e.occurred_at) FROM dossier_event e
            WHERE e.dossier_uuid = dossier.uuid AND e.type = 'status_changed'
              AND json_extract(e.payload_json, '$.to') IN ('refused', 'withdrawn'))
        WHERE closed_at IS NULL AND status IN ('refused', 'withdrawn');
        UPDATE dossier SET returned_to = COALESCE((
            SELECT json_extract(e.payload_json, '$.receiver') FROM dossier_event e
            WHERE e.dossier_uuid = dossier.uuid AND e.type = 'status_changed'
              AND json_extract(e.payload_json, '$.to') = 'returned'
            ORDER BY e.hlc DESC LIMIT 1), '')
        WHERE status = 'returned';
        CREATE INDEX ix_dossier_closed_at ON dossier (closed_at);
        CREATE INDEX ix_dossier_returned_at ON dossier (returned_at);
        CREATE INDEX ix_dossier_event_quarantined ON dossier_event (occurred_at)
            WHERE quarantine_reason IS NOT NULL;
        CREATE INDEX ix_dossier_event_counter_occurred ON dossier_event (counter_id, occurred_at);
        """,
    )


def _v5_search_and_report_indexes(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE dossier_person (
            id INTEGER PRIMARY KEY,
            dossier_id INTEGER NOT NULL REFERENCES dossier (id),
            role TEXT NOT NULL,
            id_number TEXT NOT NULL,
            name_folded TEXT NOT NULL,
            UNIQUE (dossier_id, role)
        );
        CREATE INDEX ix_dossier_person_id_number ON dossier_person (id_number);
        CREATE INDEX ix_dossier_person_name_folded ON dossier_person (name_folded);
        CREATE VIRTUAL TABLE dossier_person_fts USING fts5(
            name_folded, content='dossier_person', content_rowid='id', detail='none');
        CREATE TRIGGER dossier_person_fts_insert AFTER INSERT ON dossier_person BEGIN
            INSERT INTO dossier_person_fts (rowid, name_folded) VALUES (new.id, new.name_folded);
        END;
        CREATE TRIGGER dossier_person_fts_delete AFTER DELETE ON dossier_person BEGIN
            INSERT INTO dossier_person_fts (dossier_person_fts, rowid, name_folded)
            VALUES ('delete', old.id, old.name_folded);
        END;
        CREATE TRIGGER dossier_person_fts_update AFTER UPDATE ON dossier_person BEGIN
            INSERT INTO dossier_person_fts (dossier_person_fts, rowid, name_folded)
            VALUES ('delete', old.id, old.name_folded);
            INSERT INTO dossier_person_fts (rowid, name_folded) VALUES (new.id, new.name_folded);
        END;
        CREATE INDEX ix_dossier_received_at ON dossier (received_at);
        CREATE INDEX ix_dossier_finished_at ON dossier (finished_at);
        CREATE INDEX ix_dossier_due_at_open ON dossier (due_at) WHERE closed_at IS NULL;
        """,
    )
    people: dict[int, dict[str, dict[str, str]]] = {}
    for dossier_id, payload in conn.execute(
        "SELECT d.id, e.payload_json FROM dossier d JOIN dossier_event e"
        " ON e.dossier_uuid = d.uuid AND e.type = 'received' ORDER BY e.hlc"
    ):
        people[dossier_id] = json.loads(payload).get("people", {})
    conn.executemany(
        "INSERT INTO dossier_person (dossier_id, role, id_number, name_folded) VALUES (?, ?, ?, ?)",
        [(dossier_id, role, p.get("id_number", ""), fold(p.get("full_name", "")))
         for dossier_id, roles in people.items() for role, p in roles.items()],
    )
def _v11_audit_chain(conn: sqlite3.Connection) -> None:
    from counter.store.auditchain import GENESIS, content_digest, link

    run_script(
        conn,
        """
        DROP TRIGGER audit_log_no_update;
        ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE audit_log ADD COLUMN entry_hash TEXT NOT NULL DEFAULT '';
        """,
    )
    prev = GENESIS
    rows = conn.execute("SELECT id, at, clerk, action, subject_kind, subject_ref, detail FROM audit_log ORDER BY id")
    chained = []
    for row in rows.fetchall():
        entry_hash = link(prev, content_digest(*row))
        chained.append((prev, entry_hash, row[0]))
        prev = entry_hash
    conn.executemany("UPDATE audit_log SET prev_hash = ?, entry_hash = ? WHERE id = ?", chained)
    conn.execute("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
                 "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END")


def _v6_held_events(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE held_event (
            id TEXT PRIMARY KEY,
            dossier_code TEXT NOT NULL,
            type TEXT NOT NULL,
            counter_id TEXT NOT NULL,
            hub_seq INTEGER NOT NULL,
            reason TEXT NOT NULL,
            event_json TEXT NOT NULL,
            held_at DATETIME NOT NULL
        );
        """,
    )


LONG_RUNNING = ("closed_at IS NULL OR julianday(max(closed_at, COALESCE(returned_at, closed_at)))"
                " - julianday(received_at) > 60")
"""Dossiers open, or active (received to closed or returned) for more than 60 days: the few that an old
report period can touch although received long before it (counter.reporting.reports reads them by this index)."""


def _v7_long_running_index(conn: sqlite3.Connection) -> None:
    conn.execute(f"CREATE INDEX ix_dossier_long_running ON dossier (received_at) WHERE {LONG_RUNNING}")


def _v8_sessions_and_lockouts(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE cli_session (
            id INTEGER PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            clerk TEXT NOT NULL,
            os_user TEXT NOT NULL,
            created_at DATETIME NOT NULL,
            expires_at DATETIME NOT NULL,
            ended_at DATETIME
        );
        ALTER TABLE clerk ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
        """,
    )


def _v9_structured_addresses(conn: sqlite3.Connection) -> None:
    """Structured addresses on dossiers; older dossiers keep {} (their events carry none)."""
    run_script(
        conn,
        """
        ALTER TABLE dossier ADD COLUMN addresses_json TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE dossier ADD COLUMN residence_ward_code INTEGER;
        CREATE INDEX ix_dossier_residence_ward_code ON dossier (residence_ward_code);
        """,
    )


def _v10_pinned_forms(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE form_version (
            sha256 TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            version TEXT NOT NULL,
            content TEXT NOT NULL,
            first_used_at DATETIME NOT NULL
        );
        CREATE INDEX ix_form_version_form_id ON form_version (form_id);
        ALTER TABLE dossier ADD COLUMN form_version TEXT NOT NULL DEFAULT '';
        ALTER TABLE dossier ADD COLUMN form_sha256 TEXT NOT NULL DEFAULT '';
        """,
    )


def _v12_queue_tickets(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE queue_ticket (
            id INTEGER PRIMARY KEY,
            day DATE NOT NULL,
            group_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            label TEXT NOT NULL,
            state TEXT NOT NULL,
            taken_at DATETIME NOT NULL,
            called_at DATETIME,
            last_called_at DATETIME,
            called_by TEXT NOT NULL DEFAULT '',
            counter_id TEXT NOT NULL DEFAULT '',
            recalls INTEGER NOT NULL DEFAULT 0,
            finished_at DATETIME,
            dossier_code TEXT NOT NULL DEFAULT '',
            UNIQUE (day, group_id, number)
        );
        CREATE INDEX ix_queue_ticket_day ON queue_ticket (day);
        CREATE INDEX ix_queue_ticket_waiting ON queue_ticket (day, taken_at) WHERE state = 'waiting';
        """,
    )


def _v13_rating_tokens(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE rating_token (
            token_hash TEXT PRIMARY KEY,
            dossier_code TEXT NOT NULL,
            issued_at DATETIME NOT NULL,
            expires_at DATETIME NOT NULL,
            used_at DATETIME
        );
        CREATE INDEX ix_rating_token_dossier_code ON rating_token (dossier_code);
        CREATE INDEX ix_dossier_event_rated ON dossier_event (dossier_uuid) WHERE type = 'rated';
        """,
    )
def _v14_citizen_conflicts(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE citizen_conflict (
            id INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            role TEXT NOT NULL,
            id_number TEXT NOT NULL,
            dossier_code TEXT NOT NULL,
            counter_id TEXT NOT NULL,
            fields TEXT NOT NULL,
            pulled_json TEXT NOT NULL,
            noted_at DATETIME NOT NULL,
            UNIQUE (event_id, role)
        );
        CREATE INDEX ix_citizen_conflict_id_number ON citizen_conflict (id_number);
        """,
    )
    # A record dated in the future by a pulled dossier's own time would outrank every later card read.
    now = conn.execute("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime')").fetchone()[0]
    conn.execute("UPDATE citizen SET first_seen_at = min(first_seen_at, ?), last_seen_at = ? WHERE last_seen_at > ?",
                 (now, now, now))


def _v15_attachment_blobs(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE blob (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            media_type TEXT NOT NULL,
            chunk_bytes INTEGER NOT NULL,
            complete INTEGER NOT NULL DEFAULT 0,
            stored_at DATETIME NOT NULL,
            acked INTEGER NOT NULL DEFAULT 0,
            uploaded_at DATETIME
        );
        CREATE TABLE blob_chunk (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL,
            seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            UNIQUE (sha256, seq)
        );
        CREATE INDEX ix_dossier_event_attachment_sha ON dossier_event (json_extract(payload_json, '$.sha256'))
            WHERE type = 'attachment_added';
        CREATE INDEX ix_dossier_event_type ON dossier_event (type, dossier_uuid);
        ALTER TABLE dossier ADD COLUMN attached_components INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE dossier ADD COLUMN reused_components INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE dossier ADD COLUMN attached_results INTEGER NOT NULL DEFAULT 0;
        """,
    )


def _v16_fees(conn: sqlite3.Connection) -> None:
    """Each dossier's fee (as computed when received) and its current payment; fee events found by type."""
    run_script(
        conn,
        """
        ALTER TABLE dossier ADD COLUMN fee_json TEXT NOT NULL DEFAULT '';
        ALTER TABLE dossier ADD COLUMN fee_due INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE dossier ADD COLUMN payment_json TEXT NOT NULL DEFAULT '';
        ALTER TABLE dossier ADD COLUMN fee_paid_at DATETIME;
        CREATE INDEX ix_dossier_fee_due ON dossier (fee_due) WHERE fee_due > 0;
        CREATE INDEX ix_dossier_event_fee ON dossier_event (type, counter_id)
            WHERE type IN ('fee_paid', 'fee_refunded');
        """,
    )


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "citizens, dossiers, events, clerks, audit log", _v1_initial),
    Migration(2, "diacritic-free citizen names for search", _v2_folded_names),
    Migration(3, "sync state, event quarantine, sign-in lockout", _v3_sync_and_sign_in),
    Migration(4, "dossier closing time and receiver of the result, report indexes", _v4_lifecycle_reports),
    Migration(5, "people of each dossier with a full-text index on their names, report indexes",
              _v5_search_and_report_indexes),
    Migration(6, "pulled events the counter's rules refuse, kept aside", _v6_held_events),
    Migration(7, "index of long-running dossiers for reports by period", _v7_long_running_index),
    Migration(8, "command-line sessions, growing sign-in lockout", _v8_sessions_and_lockouts),
    Migration(9, "structured addresses of dossiers (detail, current ward and province codes)",
              _v9_structured_addresses),
    Migration(10, "every form version a dossier used, pinned by SHA-256", _v10_pinned_forms),
    Migration(11, "audit log hash chain (existing entries chained in order)", _v11_audit_chain),
    Migration(12, "queue tickets of the day (group, number, calls, service)", _v12_queue_tickets),
    Migration(13, "one-time rating links of dossiers (hashes only), index of ratings", _v13_rating_tokens),
    Migration(14, "people of pulled dossiers that differ from the counter's record; no citizen dated in the future",
              _v14_citizen_conflicts),
    Migration(15, "attachment bytes by SHA-256 in chunks (encrypted with the store), attachment indexes",
              _v15_attachment_blobs),
    Migration(16, "fees of dossiers and their payments", _v16_fees),
)


def current_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the database file."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int | None = None) -> list[int]:
    """Apply every pending migration up to `target` (default: all); returns the versions applied."""
    applied = []
    latest = MIGRATIONS[-1].version
    if current_version(conn) > latest:
        raise RuntimeError(
            f"database schema version {current_version(conn)} is newer than this app knows ({latest})"
        )
    for migration in MIGRATIONS:
        if current_version(conn) >= migration.version or (target is not None and migration.version > target):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(conn)
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
