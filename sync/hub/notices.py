"""The hub sends the citizens' status notices: a sender adapter, retries with backoff, state back as events.

Counters push `notice_requested` events with the others (checked like every event: sync/dossier_checks.py);
a worker thread of `counter hub serve` copies new ones into `hub_notice`, sends those that are due through
the configured sender (a log by default, or an HTTP SMS gateway), retries a failure with capped exponential
backoff and full jitter, and records the outcome as a `notice_state` event of the dossier (sent, or failed
after the last attempt) that the counters pull, in the same transaction as the notice's row. Nothing waits
on a gateway while holding the database: a gateway that fails or hangs delays only the notices, never sync.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import requests
from sqlalchemy import Connection, func, select

from sync.hub.schema import hub_event, hub_notice
from sync.hub.store import HubStore
from sync.protocol import UUID_PATTERN, payload_problem

log = logging.getLogger("sync.hub.notices")
PENDING, SENT, FAILED = "pending", "sent", "failed"
NOTICE_REQUESTED, NOTICE_STATE = "notice_requested", "notice_state"
GATEWAY_TIMEOUT_SECONDS = 10.0
"""Longest wait for the SMS gateway's answer; a gateway that hangs longer is a failed attempt."""


@dataclass(frozen=True)
class NoticeSettings:
    """How the reference hub sends citizens' notices ([hub] notice_* of the configuration)."""

    sender: str = "log"
    gateway_url: str = ""
    gateway_token: str = ""
    interval_seconds: float = 10
    max_attempts: int = 6


class SendFailed(Exception):
    """A notice the sender could not hand over (it is retried until the last attempt)."""


@dataclass(frozen=True)
class Notice:
    """One SMS to send: its id, the dossier it tells about, the number and the no-diacritics text."""

    notice_id: str
    dossier_uuid: str
    dossier_code: str
    phone: str
    text: str


class NoticeSender(Protocol):
    """Where notices go (a log, an SMS gateway; Zalo ZNS can be another implementation)."""

    def send(self, notice: Notice) -> None:
        """Hand the notice over, or raise SendFailed with one sentence."""
        ...


def masked(phone: str) -> str:
    """091****678."""
    return phone[:3] + "****" + phone[-3:] if len(phone) >= 7 else "****"


class LogSender:
    """The default: each notice becomes one line on the hub's console (nothing leaves the hub)."""

    def send(self, notice: Notice) -> None:
        """Print the notice with the number masked."""
        print(f"Thông báo {notice.dossier_code} tới {masked(notice.phone)}: {notice.text}", flush=True)


class HttpGatewaySender:
    """An SMS gateway over HTTP: POST {"id", "to", "text"} with a bearer token; any 2xx is delivered."""

    def __init__(self, url: str, token: str, timeout: float = GATEWAY_TIMEOUT_SECONDS) -> None:
        self.url, self.token, self.timeout = url, token, timeout
        self.http = requests.Session()

    def send(self, notice: Notice) -> None:
        """POST the notice; a timeout, a refused connection or a non-2xx answer raise SendFailed."""
        try:
            answer = self.http.post(self.url, json={"id": notice.notice_id, "to": notice.phone, "text": notice.text},
                                    headers={"Authorization": f"Bearer {self.token}"}, timeout=self.timeout)
        except (requests.RequestException, ValueError) as exc:  # ValueError: a header the URL or token cannot carry
            raise SendFailed(f"Không gửi được tới cổng SMS: {type(exc).__name__}.") from None
        if not 200 <= answer.status_code < 300:
            raise SendFailed(f"Cổng SMS trả lời HTTP {answer.status_code}.")


def make_sender(settings: NoticeSettings) -> NoticeSender:
    """The sender named in the hub's configuration: "log" or "http" (with the gateway's URL and token)."""
    if settings.sender == "http":
        return HttpGatewaySender(settings.gateway_url, settings.gateway_token)
    return LogSender()


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


DUPLICATE_ID = "Mã thông báo trùng một thông báo đã có; không gửi."
UUID = re.compile(UUID_PATTERN)


def _pending_row(row: Any, now: datetime, taken: set[str]) -> dict[str, Any]:
    """The hub_notice row of a stored `notice_requested` event: pending, or failed at once when its payload is
    not valid or its notice id is taken already (then kept under "x-<seq>": never sent, never reported)."""
    payload = json.loads(row.payload_json)
    problem = payload_problem(NOTICE_REQUESTED, payload)
    notice_id = str(payload.get("notice_id", ""))
    error = DUPLICATE_ID if notice_id in taken else f"Thông báo không hợp lệ (trường {problem})." if problem else ""
    key = notice_id if UUID.fullmatch(notice_id) and notice_id not in taken else f"x-{row.seq}"
    taken.add(key)
    return {"notice_id": key, "event_seq": row.seq, "dossier_uuid": row.dossier_uuid,
            "dossier_code": row.dossier_code, "phone": str(payload.get("phone", ""))[:16],
            "text": str(payload.get("text_ascii", "")), "state": FAILED if error else PENDING, "attempts": 0,
            "next_attempt_at": now, "last_error": error, "updated_at": now}


class NoticeWorker:
    """Collects, sends and retries notices of one hub; `run_once` is one pass, `start` a daemon thread."""

    def __init__(self, store: HubStore, sender: NoticeSender, max_attempts: int = 6, base_seconds: float = 30,
                 cap_seconds: float = 3600, rng: random.Random | None = None) -> None:
        self.store, self.sender = store, sender
        self.max_attempts, self.base, self.cap = max_attempts, base_seconds, cap_seconds
        self.rng = rng or random.Random()
        self.stop = threading.Event()

    def collect(self, now: datetime) -> int:
        """Copy `notice_requested` events not seen yet into hub_notice (as pending); returns how many."""
        with self.store.engine.begin() as conn:
            seen = conn.execute(select(func.max(hub_notice.c.event_seq))).scalar() or 0
            rows = conn.execute(select(hub_event).where(hub_event.c.type == NOTICE_REQUESTED, hub_event.c.seq > seen)
                                .order_by(hub_event.c.seq).limit(500)).all()
            asked = [str(json.loads(row.payload_json).get("notice_id", "")) for row in rows]
            taken = set(conn.execute(select(hub_notice.c.notice_id).where(hub_notice.c.notice_id.in_(asked))).scalars())
            fresh = [_pending_row(row, now, taken) for row in rows]
            if fresh:
                conn.execute(hub_notice.insert(), fresh)
            for refused in (f for f in fresh if f["state"] == FAILED and UUID.fullmatch(f["notice_id"])):
                self._report(conn, refused["dossier_uuid"], refused["notice_id"], FAILED, 0, refused["last_error"])
        return len(fresh)

    def _report(self, conn: Connection, dossier_uuid: str, notice_id: str, state: str, attempts: int,
                detail: str) -> None:
        """The outcome as a `notice_state` event of the dossier, pulled by its counters."""
        self.store.add_hub_event(conn, dossier_uuid, NOTICE_STATE,
                                 {"notice_id": notice_id, "state": state, "attempts": attempts, "detail": detail})

    def delay(self, attempts: int) -> timedelta:
        """Full jitter over a capped exponential backoff."""
        return timedelta(seconds=self.rng.uniform(0, min(self.cap, self.base * 2 ** (attempts - 1))))

    def send_due(self, now: datetime) -> int:
        """Send every pending notice that is due (no database connection held while sending); returns how many
        were sent."""
        with self.store.engine.connect() as conn:
            due = conn.execute(select(hub_notice).where(hub_notice.c.state == PENDING,
                                                        hub_notice.c.next_attempt_at <= now)
                               .order_by(hub_notice.c.event_seq).limit(100)).all()
        sent = 0
        for row in due:
            if self.stop.is_set():
                break
            attempts = row.attempts + 1
            try:
                self.sender.send(Notice(row.notice_id, row.dossier_uuid, row.dossier_code, row.phone, row.text))
            except SendFailed as exc:
                final = attempts >= self.max_attempts
                self._settle(row, FAILED if final else PENDING, attempts, str(exc), now + self.delay(attempts))
                continue
            self._settle(row, SENT, attempts, "", now)
            sent += 1
        return sent

    def _settle(self, row: Any, state: str, attempts: int, error: str, next_at: datetime) -> None:
        """Record one attempt; a final outcome also becomes the dossier's `notice_state` event (one transaction)."""
        with self.store.engine.begin() as conn:
            conn.execute(hub_notice.update().where(hub_notice.c.notice_id == row.notice_id).values(
                state=state, attempts=attempts, last_error=error, next_attempt_at=next_at, updated_at=_utcnow()))
            if state != PENDING:
                self._report(conn, row.dossier_uuid, row.notice_id, state, attempts, error)

    def run_once(self, now: datetime | None = None) -> int:
        """Collect, then send what is due; returns the notices sent."""
        now = now or _utcnow()
        self.collect(now)
        return self.send_due(now)

    def start(self, interval: float) -> threading.Thread:
        """Run passes every `interval` seconds in a daemon thread until `stop` is set; failures are logged."""
        def loop() -> None:
            while not self.stop.is_set():
                try:
                    self.run_once()
                except Exception:
                    log.exception("hub: notices pass failed")
                self.stop.wait(interval)

        thread = threading.Thread(target=loop, name="hub-notices", daemon=True)
        thread.start()
        return thread


def start_worker(system: object, settings: NoticeSettings) -> NoticeWorker | None:
    """Start the reference hub's notice worker (another provincial system sends its notices its own way)."""
    if not isinstance(system, HubStore):
        return None
    worker = NoticeWorker(system, make_sender(settings), settings.max_attempts)
    worker.start(settings.interval_seconds)
    print(f"Thông báo cho công dân: gửi qua “{settings.sender}”, mỗi {settings.interval_seconds:g} giây.", flush=True)
    return worker
