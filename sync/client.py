"""One sync pass of a counter: push the outbox in gzip batches, then pull the unit's new events.

Events are marked synced only from the hub's per-event answer; a lost answer means a resend, which
the hub answers `duplicate`. A rejected event is quarantined with its reason and the rest go on.
Auth or configuration errors stop the pass; network errors end it early and are retried later.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import requests
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select, update

from counter.context import CounterContext
from counter.errors import ConfigError, CounterError
from counter.records.ids import wall_ms
from counter.records.projection import RECEIVED, project
from counter.store import auditchain, statements
from counter.store.models import DossierEvent, EventRecord
from sync import identities, pulled, state
from sync.audithead import PATH as AUDIT_HEAD_PATH
from sync.audithead import AuditHeadResponse
from sync.credentials import Credentials, NotEnrolled, load_credentials, verify_setting
from sync.dossier_checks import KnownForms
from sync.protocol import (
    API_PREFIX,
    CLOCK_AHEAD,
    DUPLICATE,
    PROTOCOL_VERSION,
    REJECTED,
    HubEvent,
    PullResponse,
    PushResponse,
    encode_body,
)
from sync.state import AUDIT_ACKED, AUDIT_BROKEN, AUDIT_FLAGGED, OFFLINE, ONLINE, REFUSED, RESTORED

PULL_PAGE = 500
MAX_BATCH_JSON = 600_000
"""JSON bytes per push (about 150–200 KB gzip): a dropped batch wastes at most ~15 s at 100 kbit/s."""
EVENT_OVERHEAD = 400
"""JSON bytes of an event besides its payload (ids, code, stamps), for sizing batches."""
DEFAULT_TIMEOUT = (10.0, 60.0)
"""(connect, read) seconds; requests has no default timeout and would wait forever."""


class LinkDown(CounterError):
    """The hub could not be reached or answered with a server error; try again later."""

    title = "Mất kết nối"


class Refused(CounterError):
    """The hub refused this counter (auth or unit); retrying will not help until someone acts."""

    title = "Hệ thống tỉnh từ chối"


class BatchRefused(CounterError):
    """The hub refused a whole batch as malformed or oversized (HTTP 400/413)."""


@dataclass
class SyncReport:
    """What one pass did."""

    pushed: int = 0
    duplicates: int = 0
    pulled: int = 0
    pending: int = 0
    quarantined: int = 0
    held: int = 0
    """Pulled events this pass kept aside because the counter's own rules refuse them."""
    identity_conflicts: int = 0
    """People in pulled dossiers who differ from this counter's record of the same ID number."""
    errors: list[str] = field(default_factory=list)
    link: str = ONLINE
    skew_ms: int | None = None
    enrolled: bool = True
    """False when the counter has no token yet (`counter enroll` is needed)."""
    blobs_sent: int = 0
    """Attachment blobs this pass completed at the hub."""

    def to_json(self) -> dict[str, Any]:
        """The JSON shape printed by `counter sync --json`."""
        return {
            "pushed": self.pushed,
            "duplicates": self.duplicates,
            "pulled": self.pulled,
            "pending": self.pending,
            "quarantined": self.quarantined,
            "held": self.held,
            "identity_conflicts": self.identity_conflicts,
            "errors": self.errors,
            "link": self.link,
            "clock_skew_ms": self.skew_ms,
            "blobs_sent": self.blobs_sent,
        }


def _parse[M: BaseModel](model: type[M], document: Any) -> M:
    """A hub answer as `model`; one that does not fit the protocol counts as a broken link."""
    try:
        return model.model_validate(document)
    except ValidationError:
        raise LinkDown("Câu trả lời của hệ thống tỉnh không đúng giao thức.") from None


def make_session(ctx: CounterContext, credentials: Credentials) -> requests.Session:
    """One keep-alive HTTP session with the bearer token and TLS verification on."""
    session = requests.Session()
    session.verify = verify_setting(ctx.config)
    session.headers.update(
        {
            "Authorization": f"Bearer {credentials.token}",
            "Accept-Encoding": "gzip",
            "User-Agent": "motcua-counter-sync/2",
        }
    )
    return session


def event_message(event: DossierEvent) -> dict[str, Any]:
    """The protocol form of a stored event."""
    message: dict[str, Any] = {}
    for name in EventRecord.model_fields:
        value = getattr(event, name)
        if name == "payload_json":
            message["payload"] = json.loads(value)
        else:
            message[name] = value.isoformat() if name == "occurred_at" else value
    return message


def stored_fields(event: HubEvent) -> dict[str, Any]:
    """The columns of a pulled protocol event, as `event_message` made it (payload as JSON text)."""
    fields = {name: getattr(event, name) for name in EventRecord.model_fields if name != "payload_json"}
    fields["occurred_at"] = datetime.fromisoformat(event.occurred_at)
    return fields | {"payload_json": json.dumps(event.payload, ensure_ascii=False)}


class SyncClient:
    """Runs passes for one counter over one keep-alive session."""

    def __init__(
        self,
        ctx: CounterContext,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        self.ctx = ctx
        self.timeout = timeout
        self.credentials = load_credentials(ctx)
        self.session = session or make_session(ctx, self.credentials)
        self.base = self.credentials.hub_url + API_PREFIX
        self.skew_ms: int | None = None

    def close(self) -> None:
        """Close the HTTP connection."""
        self.session.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send one request; the JSON answer of a 200, else LinkDown, Refused or BatchRefused."""
        started = time.time()
        try:
            response = self.session.request(method, self.base + path, timeout=self.timeout, **kwargs)
            document = response.json() if response.content else None
        except requests.exceptions.SSLError:
            raise ConfigError(
                "Không xác minh được chứng chỉ TLS của hệ thống tỉnh; kiểm tra [sync].ca_bundle."
            ) from None
        except (requests.RequestException, ValueError):
            raise LinkDown("Không liên lạc được với hệ thống tỉnh.") from None
        reason = document.get("reason", "") if isinstance(document, dict) else ""
        if response.status_code in (401, 403):
            raise Refused(reason or f"Hệ thống tỉnh từ chối quầy (mã {response.status_code}).")
        if response.status_code in (400, 413, 415):
            raise BatchRefused(reason or f"Hệ thống tỉnh từ chối gói tin (mã {response.status_code}).")
        if response.status_code != 200 or not isinstance(document, dict):
            raise LinkDown(f"Hệ thống tỉnh đang gặp sự cố (mã {response.status_code}).")
        if isinstance(document.get("server_time_ms"), int):
            midpoint_ms = (started + time.time()) / 2 * 1000
            self.skew_ms = int(midpoint_ms - document["server_time_ms"])
        return document

    # --- push ------------------------------------------------------------------------------------

    def _outbox(self) -> list[DossierEvent]:
        """The next batch: oldest first, up to `batch_size` events and MAX_BATCH_JSON bytes of JSON."""
        with self.ctx.store.read() as session:
            query = select(DossierEvent).where(state.outbox_filter())
            rows = session.exec(query.order_by(col(DossierEvent.hlc)).limit(self.ctx.config.sync.batch_size))
            batch: list[DossierEvent] = []
            size = 0
            for row in rows:
                size += len(row.payload_json) + EVENT_OVERHEAD
                if batch and size > MAX_BATCH_JSON:
                    break
                batch.append(row)
            return batch

    def push(self, report: SyncReport) -> None:
        """Send the outbox batch by batch until it is empty (or the hub defers events stamped ahead)."""
        while batch := self._outbox():
            if self._push_batch(batch, report):
                return

    def _push_batch(self, batch: list[DossierEvent], report: SyncReport) -> bool:
        """Push one batch; a refused batch is split until the bad event is found and quarantined.

        Returns True when the hub deferred events whose stamp is ahead of its clock (`clock_ahead`):
        a stamp this counter made is never a reason to quarantine; they stay in the outbox for later.
        """
        body = {
            "protocol": PROTOCOL_VERSION,
            "unit_code": self.ctx.config.unit.code,
            "events": [event_message(e) for e in batch],
        }
        try:
            document = self._request(
                "POST",
                "/events",
                data=encode_body(body),
                headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
            )
        except BatchRefused as exc:
            if len(batch) == 1:
                self._quarantine({batch[0].id: exc.message}, report)
                return False
            middle = len(batch) // 2
            first_deferred = self._push_batch(batch[:middle], report)
            return self._push_batch(batch[middle:], report) or first_deferred
        answer = _parse(PushResponse, document)
        if len(answer.results) != len(batch):
            raise LinkDown("Câu trả lời của hệ thống tỉnh không khớp gói đã gửi.")
        now = self.ctx.now()
        rejected: dict[str, str] = {}
        acknowledged: list[dict[str, Any]] = []
        deferred = ""
        for event, result in zip(batch, answer.results, strict=True):
            if result.status == REJECTED and result.code == CLOCK_AHEAD:
                deferred = result.reason or "Đồng hồ của máy quầy đi trước hệ thống tỉnh."
                continue
            if result.status == REJECTED:
                rejected[event.id] = result.reason or result.code or "Bị từ chối."
                continue
            acknowledged.append({"event_id": event.id, "at": now, "seq": result.seq})
            report.pushed += result.status != DUPLICATE
            report.duplicates += result.status == DUPLICATE
        if acknowledged:
            with self.ctx.store.write() as session:
                statements.mark_synced(session, acknowledged)
        if rejected:
            self._quarantine(rejected, report)
        if deferred:
            report.errors.append(f"Chưa gửi được một số sự kiện: {deferred}")
        return bool(deferred)

    def _quarantine(self, reasons: dict[str, str], report: SyncReport) -> None:
        """Set refused events aside with their reason and re-project their dossiers without them."""
        with self.ctx.store.write() as session:
            for event_id, reason in reasons.items():
                session.exec(
                    update(DossierEvent)
                    .where(col(DossierEvent.id) == event_id)
                    .values(quarantine_reason=reason)
                )
            dossiers = session.exec(select(DossierEvent.dossier_uuid).where(col(DossierEvent.id).in_(list(reasons))))
            for dossier_uuid in set(dossiers):
                project(session, dossier_uuid)
        report.errors.extend(f"Sự kiện {i} bị từ chối: {r}" for i, r in reasons.items())

    # --- pull ------------------------------------------------------------------------------------

    def pull(self, report: SyncReport, own_too: bool = False) -> None:
        """Fetch this unit's events after the stored cursor and apply each once (this counter's own too
        when `own_too`, as after a restore)."""
        with self.ctx.store.read() as session:
            cursor = int(state.get_value(session, state.PULL_CURSOR, "0"))
            own = session.exec(
                select(DossierEvent.id).where(DossierEvent.counter_id == self.ctx.config.counter.id).limit(1)
            ).first()
        include_own = "1" if own_too or (cursor == 0 and own is None) else "0"
        while True:
            document = self._request(
                "GET", "/events", params={"after": cursor, "limit": PULL_PAGE, "include_own": include_own}
            )
            page = _parse(PullResponse, document)
            report.pulled += self._apply(page.events, page.next_after, report)
            cursor = page.next_after
            if not page.more:
                return

    def _apply(self, events: list[HubEvent], next_after: int, report: SyncReport) -> int:
        """Insert new events, upsert citizens, re-project dossiers and move the cursor, atomically."""
        unit = self.ctx.config.unit.code
        now = self.ctx.now()
        inserted = 0
        touched: dict[str, str] = {}
        bounds = pulled.Bounds(wall_ms(), self.ctx.config.hub.max_clock_ahead_seconds * 1000, self.ctx.forms)
        with self.ctx.store.write() as session:
            known = pulled.Known.load(session, events, KnownForms(self.ctx.forms))
            for event in events:
                existing = session.get(DossierEvent, event.id)
                if existing is not None:
                    if existing.synced_at is None:
                        existing.synced_at, existing.hub_seq = now, event.seq
                        session.add(existing)
                        known.apply(event)
                    continue
                if event.unit_code != unit:
                    continue
                refused = pulled.problem(session, event, known, bounds)
                if refused is not None:
                    pulled.hold(session, event, refused, now)
                    report.held += 1
                    continue
                known.apply(event)
                session.add(DossierEvent(**stored_fields(event), synced_at=now, hub_seq=event.seq))
                self.ctx.clock.observe(event.hlc)
                if event.type == RECEIVED:
                    self._citizens(session, event, report)
                touched[event.dossier_uuid] = event.dossier_code
                inserted += 1
            session.flush()
            for dossier_uuid, code in touched.items():
                try:
                    with session.begin_nested():
                        project(session, dossier_uuid)
                except (IntegrityError, KeyError, ValueError, TypeError):
                    report.errors.append(f"Hồ sơ {code} nhận từ hệ thống tỉnh trùng mã hoặc sai nội dung.")
            state.set_values(session, **{state.PULL_CURSOR: str(next_after)})
        return inserted

    def _citizens(self, session: Any, event: HubEvent, report: SyncReport) -> None:
        try:
            report.identity_conflicts += identities.adopt(session, event, self.ctx.now())
        except (KeyError, ValueError, TypeError, AttributeError):
            report.errors.append(f"Hồ sơ {event.dossier_code}: thông tin công dân nhận về không hợp lệ.")

    # --- one pass --------------------------------------------------------------------------------

    def send_audit_head(self) -> None:
        """Send this counter's audit head (with its hash at the count the hub holds); keep the answer.
        A hub that does not keep heads (404) or refuses the message does not stop the sync."""
        conn = self.ctx.store.connect()
        try:
            with self.ctx.store.read() as session:
                acked = state.get_value(session, AUDIT_ACKED, "")
            prior = int(acked) if acked.isdigit() else 0
            for _attempt in range(2):
                count, head = auditchain.head(conn)
                body = {"protocol": PROTOCOL_VERSION, "count": count, "head": head, "prior_count": prior,
                        "prior_hash": auditchain.hash_at(conn, prior) or ""}
                try:
                    document = self._request("POST", AUDIT_HEAD_PATH, data=encode_body(body),
                                             headers={"Content-Type": "application/json",
                                                      "Content-Encoding": "gzip"})
                    answer = AuditHeadResponse.model_validate(document)
                except (LinkDown, BatchRefused, ValidationError) as exc:
                    if isinstance(exc, LinkDown) and "404" not in exc.message:
                        raise
                    return
                if answer.status != "need":
                    break
                prior = answer.count
            else:
                return
        finally:
            conn.close()
        with self.ctx.store.write() as session:
            values = {AUDIT_ACKED: str(answer.count), AUDIT_FLAGGED: json.dumps(answer.flagged, ensure_ascii=False)}
            if answer.status == "broken":
                values[AUDIT_BROKEN] = self.ctx.now().isoformat()
            state.set_values(session, **values)

    def send_blobs(self, report: SyncReport) -> None:
        """Upload attachment blobs the hub lacks (after the events, which never wait for them); a blob that
        could not be sent whole is one error line and is resumed next pass."""
        from sync.blobclient import BlobClient

        try:
            report.blobs_sent = BlobClient(self.ctx, self.session, self.base, self.timeout).upload_pending()
        except CounterError as exc:
            report.errors.append(f"Tệp đính kèm: {exc.message}")

    def _restored(self) -> bool:
        with self.ctx.store.read() as session:
            return bool(state.get_value(session, RESTORED, ""))

    def run_pass(self) -> SyncReport:
        """Push then pull (after a restore: this counter's own events first); record last success or last
        error and the clock skew in sync_state."""
        report = SyncReport()
        error = ""
        try:
            if self._restored():  # first take back what reached the hub after the backup: nothing is sent twice
                self.pull(report, own_too=True)
                with self.ctx.store.write() as session:
                    state.set_values(session, **{RESTORED: ""})
            self.push(report)
            self.pull(report)
            self.send_audit_head()
            self.send_blobs(report)
        except LinkDown as exc:
            report.link, error = OFFLINE, exc.message
        except (Refused, ConfigError, BatchRefused) as exc:
            report.link, error = REFUSED, exc.message
        report.skew_ms = self.skew_ms
        if error:
            report.errors.append(error)
        record_outcome(self.ctx, report, error)
        return report


def record_outcome(ctx: CounterContext, report: SyncReport, error: str) -> None:
    """Store link state, last success or error and skew; fill the report's outbox counts."""
    now = ctx.now().isoformat()
    values = {state.LINK_STATE: report.link}
    if report.skew_ms is not None:
        values[state.CLOCK_SKEW] = str(report.skew_ms)
    if error:
        values.update({state.LAST_ERROR: error, state.LAST_ERROR_AT: now})
    else:
        values[state.LAST_SUCCESS] = now
    with ctx.store.write() as session:
        state.set_values(session, **values)
        report.pending = state.pending_count(session)
        report.quarantined = len(state.quarantined(session))


def run_pass(ctx: CounterContext, timeout: tuple[float, float] = DEFAULT_TIMEOUT) -> SyncReport:
    """One complete pass with a fresh session; a missing enrolment is reported, not raised."""
    try:
        client = SyncClient(ctx, timeout)
    except (NotEnrolled, ConfigError) as exc:
        report = SyncReport(link=REFUSED, errors=[exc.message], enrolled=not isinstance(exc, NotEnrolled))
        record_outcome(ctx, report, exc.message)
        return report
    try:
        return client.run_pass()
    finally:
        client.close()
