"""What the sync client remembers in `sync_state`, and the status the TUI and CLI show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from counter.context import CounterContext
from counter.records.dossiers import pending_event_count
from counter.records.projection import project
from counter.store.keyvalue import RESTORED as RESTORED
from counter.store.keyvalue import get_value as get_value
from counter.store.keyvalue import set_values as set_values
from counter.store.models import DossierEvent, HeldEvent

PULL_CURSOR = "pull_cursor"
LAST_SUCCESS = "last_success_at"
LAST_ERROR = "last_error"
LAST_ERROR_AT = "last_error_at"
LINK_STATE = "link_state"
CLOCK_SKEW = "clock_skew_ms"
AUDIT_ACKED = "audit_head_acked_count"
"""How many audit entries the hub acknowledged in the last head it kept."""
AUDIT_FLAGGED = "audit_flagged_counters"
"""JSON list of this unit's counters whose audit chain the hub flagged as rewritten."""
AUDIT_BROKEN = "audit_head_broken_at"
"""When the hub last said this counter's head did not extend the one it held."""

ONLINE = "online"
"""The last pass reached the hub and finished."""
OFFLINE = "offline"
"""The last pass could not reach the hub (network, timeout, hub error); it will be retried."""
REFUSED = "refused"
"""The hub refused this counter or the configuration is wrong; retrying will not help."""
NEVER = "never"
"""No pass has run yet."""

SKEW_WARNING_MS = 120_000
"""A clock further than two minutes from the hub's is shown to the clerk."""

LINK_LABELS = {ONLINE: "Đã kết nối", OFFLINE: "Mất kết nối", REFUSED: "Bị từ chối", NEVER: "Chưa đồng bộ"}


def outbox_filter() -> Any:
    """Events still to send: not acknowledged by the hub and not quarantined."""
    return col(DossierEvent.synced_at).is_(None) & col(DossierEvent.quarantine_reason).is_(None)


def pending_count(session: Session) -> int:
    """Events waiting to be sent (the same count the app shows as pending)."""
    return pending_event_count(session)


def quarantined(session: Session) -> list[DossierEvent]:
    """Events the hub rejected, oldest first."""
    return list(
        session.exec(
            select(DossierEvent)
            .where(col(DossierEvent.quarantine_reason).is_not(None), col(DossierEvent.synced_at).is_(None))
            .order_by(col(DossierEvent.hlc))
        )
    )


def requeue(ctx: CounterContext, event_ids: list[str] | None = None) -> int:
    """Put quarantined events (all, or those listed) back in the outbox; returns how many."""
    query = update(DossierEvent).where(
        col(DossierEvent.quarantine_reason).is_not(None), col(DossierEvent.synced_at).is_(None)
    )
    if event_ids:
        query = query.where(col(DossierEvent.id).in_(event_ids))
    with ctx.store.write() as session:
        result = session.exec(query.values(quarantine_reason=None).returning(col(DossierEvent.dossier_uuid)))
        requeued = [row[0] for row in result]
        for dossier_uuid in set(requeued):
            project(session, dossier_uuid)
        return len(requeued)


@dataclass(frozen=True)
class SyncStatus:
    """Link state, outbox and clock facts for the status bar, read from the database only."""

    link: str
    pending: int
    quarantined: int
    last_success: datetime | None
    last_error: str
    last_error_at: datetime | None
    skew_ms: int | None
    held: int = 0
    """Pulled events kept aside because this counter's rules refuse them (sync/pulled.py)."""

    @property
    def skew_warning(self) -> bool:
        """True when the counter's clock is more than two minutes away from the hub's."""
        return self.skew_ms is not None and abs(self.skew_ms) > SKEW_WARNING_MS

    @property
    def link_label(self) -> str:
        """Vietnamese label of the link state."""
        return LINK_LABELS.get(self.link, self.link)

    def to_json(self) -> dict[str, Any]:
        """The JSON shape of `counter sync --status --json`."""
        return {
            "link": self.link,
            "pending": self.pending,
            "quarantined": self.quarantined,
            "last_success": self.last_success.isoformat() if self.last_success else None,
            "last_error": self.last_error or None,
            "last_error_at": self.last_error_at.isoformat() if self.last_error_at else None,
            "clock_skew_ms": self.skew_ms,
            "clock_skew_warning": self.skew_warning,
            "held": self.held,
        }


def skew_message(skew_ms: int) -> str:
    """One sentence telling the clerk how far the clock is off (positive: the counter is ahead)."""
    side = "nhanh" if skew_ms > 0 else "chậm"
    return f"Đồng hồ máy {side} {abs(skew_ms) // 1000} giây so với hệ thống tỉnh; hãy chỉnh lại giờ."


def _moment(text: str) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def read_status(ctx: CounterContext) -> SyncStatus:
    """The current sync status of this counter (no network)."""
    with ctx.store.read() as session:
        skew = get_value(session, CLOCK_SKEW)
        return SyncStatus(
            link=get_value(session, LINK_STATE, NEVER),
            pending=pending_count(session),
            quarantined=len(quarantined(session)),
            last_success=_moment(get_value(session, LAST_SUCCESS)),
            last_error=get_value(session, LAST_ERROR),
            last_error_at=_moment(get_value(session, LAST_ERROR_AT)),
            skew_ms=int(skew) if skew else None,
            held=int(session.exec(select(func.count()).select_from(HeldEvent)).one()),
        )
