"""SQLModel tables; the schema itself is created by the versioned migrations in migrations.py.

Times are naive local times of the unit's time zone (config [hours].timezone), as printed on receipts.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlmodel import Field, SQLModel


class Citizen(SQLModel, table=True):
    """The last identity read from a citizen's card; keyed by the 12-digit ID number."""

    __tablename__ = "citizen"

    id: int | None = Field(default=None, primary_key=True)
    id_number: str = Field(unique=True, index=True)
    old_id_number: str = ""
    full_name: str
    name_folded: str = Field(index=True)
    birth_date: date
    sex: str
    address: str
    issue_date: date
    card_kind: str
    extra_json: str = "[]"
    first_seen_at: NaiveDatetime
    last_seen_at: NaiveDatetime


class Dossier(SQLModel, table=True):
    """Current state of one dossier: a projection of its events."""

    __tablename__ = "dossier"

    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(unique=True)
    code: str = Field(unique=True, index=True)
    unit_code: str
    received_day: date = Field(index=True)
    sequence: int
    form_id: str
    status: str = Field(index=True)
    values_json: str
    addresses_json: str = "{}"
    """Address field id → structured address (counter/addresses/fields.py), folded from the events."""
    residence_ward_code: int | None = Field(default=None, index=True)
    """Today's ward of the first person's address when resolved: what reports count as outside the unit."""
    people_json: str
    """Role id → citizen ID number of the people scanned for this dossier."""
    applicant_id_number: str = Field(index=True)
    applicant_name: str
    received_at: NaiveDatetime
    due_at: NaiveDatetime
    finished_at: NaiveDatetime | None = None
    returned_at: NaiveDatetime | None = None
    closed_at: NaiveDatetime | None = None
    """When the dossier first left the open statuses (finished, refused or withdrawn)."""
    returned_to: str = ""
    """Who received the result (the citizen or their representative)."""
    rescheduled: bool = False
    counter_id: str
    clerk: str
    last_hlc: str
    event_count: int = 0
    form_version: str = ""
    form_sha256: str = ""
    """SHA-256 of the form content this dossier was taken on (a row of form_version); "" before pinning."""
    attached_components: int = 0
    """Component attachments in place (folded from attachment events; reports count dossiers with any)."""
    reused_components: int = 0
    """Of those, the ones linked from an earlier digitisation."""
    attached_results: int = 0
    """Result attachments in place."""
    fee_json: str = ""
    """The fee computed when the dossier was received (counter.fees.amounts.Fee.to_json); "" when none."""
    fee_due: int = 0
    """What the citizen owes (0 when free, exempt or without a schedule)."""
    payment_json: str = ""
    """The current payment (from the last `fee_paid` not refunded since); "" when unpaid or refunded."""
    fee_paid_at: NaiveDatetime | None = None


class DossierPerson(SQLModel, table=True):
    """One person scanned for a dossier, by role: the index behind search by ID number and by name."""

    __tablename__ = "dossier_person"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id")
    role: str
    id_number: str = Field(index=True)
    name_folded: str = Field(index=True)
    """Diacritic-free name, also indexed by the FTS5 table dossier_person_fts (kept by triggers)."""


class EventRecord(SQLModel):
    """The ten fields of a dossier event, as every counter writes them: the one place they are spelled out
    (the stored row adds its sync state; the protocol's form is built from these fields)."""

    id: str = Field(primary_key=True)
    """UUIDv7 generated before insert; also the idempotency key of sync."""
    dossier_uuid: str = Field(index=True)
    dossier_code: str
    unit_code: str
    type: str
    payload_json: str
    hlc: str = Field(index=True)
    occurred_at: NaiveDatetime
    clerk: str
    counter_id: str


class DossierEvent(EventRecord, table=True):
    """Append-only history of a dossier; the outbox is the rows with synced_at NULL."""

    __tablename__ = "dossier_event"

    synced_at: NaiveDatetime | None = Field(default=None, index=True)
    hub_seq: int | None = None
    quarantine_reason: str | None = None
    """Why the hub rejected this event; quarantined events are not pushed until re-queued."""


class FormVersion(SQLModel, table=True):
    """Every form version a dossier was taken on, kept so it reprints and is checked as it was."""

    __tablename__ = "form_version"

    sha256: str = Field(primary_key=True)
    form_id: str = Field(index=True)
    version: str
    content: str
    """The form file's canonical JSON (counter.law.forms.canonical_content)."""
    first_used_at: NaiveDatetime


class Clerk(SQLModel, table=True):
    """A person who works at the counter."""

    __tablename__ = "clerk"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    role: str = "clerk"
    pin_hash: str | None = None
    created_at: NaiveDatetime
    active: bool = True
    failed_attempts: int = 0
    locked_until: NaiveDatetime | None = None
    lockouts: int = 0


class CliSession(SQLModel, table=True):
    """A `counter login` session: only the SHA-256 of its random token is kept (see counter/accounts/sessions.py)."""

    __tablename__ = "cli_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(unique=True)
    clerk: str
    os_user: str
    created_at: NaiveDatetime
    expires_at: NaiveDatetime
    ended_at: NaiveDatetime | None = None


class HeldEvent(SQLModel, table=True):
    """A pulled event this counter's rules refuse (lifecycle, codes, text): kept aside, never applied."""

    __tablename__ = "held_event"

    id: str = Field(primary_key=True)
    dossier_code: str
    type: str
    counter_id: str
    hub_seq: int
    reason: str
    """One Vietnamese sentence: why the counter did not apply it."""
    event_json: str
    """The event as the hub sent it."""
    held_at: NaiveDatetime


class CitizenConflict(SQLModel, table=True):
    """A person in a pulled dossier who differs from this counter's record of the same ID number.

    The counter's record is not changed (a card read here, or the first pulled copy); the pulled dossier
    keeps its own copy; the supervisor sees the difference (`counter report stuck`).
    """

    __tablename__ = "citizen_conflict"

    id: int | None = Field(default=None, primary_key=True)
    event_id: str
    role: str
    id_number: str = Field(index=True)
    dossier_code: str
    counter_id: str
    fields: str
    """The differing fields, comma-separated (full_name, birth_date, sex, address, old_id_number)."""
    pulled_json: str
    """The person as the pulled dossier names them."""
    noted_at: NaiveDatetime


RESTORED_KEY = "restored_from_backup"
"""sync_state key set by a restore and cleared once the counter has taken back its events from the hub (or a
supervisor confirmed it works offline for good); while set, no new dossier code is issued."""


class SyncState(SQLModel, table=True):
    """Small key/value facts of the sync client (pull cursor, last success, last error, token)."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True)
    value: str


class AuditEntry(SQLModel, table=True):
    """Who viewed or changed which citizen or dossier, and when; never updated or deleted."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    clerk: str
    action: str
    subject_kind: str
    subject_ref: str
    detail: str = ""
    prev_hash: str = ""
    """Hash of the entry before (counter.store.auditchain.GENESIS for the first)."""
    entry_hash: str = ""
    """SHA-256 over prev_hash and this entry's canonical content."""


class QueueTicket(SQLModel, table=True):
    """A queue ticket of the day ("A-012"): taken, called to a counter, then done or skipped; no personal data."""

    __tablename__ = "queue_ticket"

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(index=True)
    group_id: str
    number: int
    label: str
    """"A-012": the group letter and the day's number in that group."""
    state: str
    """waiting, called, done or skipped."""
    taken_at: NaiveDatetime
    called_at: NaiveDatetime | None = None
    """The first call (waiting time ends here)."""
    last_called_at: NaiveDatetime | None = None
    """The latest call or recall (what the display shows)."""
    called_by: str = ""
    counter_id: str = ""
    recalls: int = 0
    finished_at: NaiveDatetime | None = None
    """When service ended: the dossier saved with it, or the counter's next call."""
    dossier_code: str = ""


class RatingToken(SQLModel, table=True):
    """A one-time link to rate one dossier: only the SHA-256 of the token is kept."""

    __tablename__ = "rating_token"

    token_hash: str = Field(primary_key=True)
    dossier_code: str = Field(index=True)
    issued_at: NaiveDatetime
    expires_at: NaiveDatetime
    used_at: NaiveDatetime | None = None
