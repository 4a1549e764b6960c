"""Status-bar segments for sync, from a SyncStatus: what the clerk sees about the link to the province."""

from __future__ import annotations

from datetime import datetime

from sync.state import NEVER, OFFLINE, ONLINE, REFUSED, SyncStatus, skew_message

Segment = tuple[str, str | None]
"""(text, CSS class) of one status-bar segment; empty text hides it."""

SEGMENTS = ("sync_link", "pending", "sync_quarantine", "sync_last", "sync_error", "sync_clock")
"""The segments sync owns ("pending" is shared with the app's own outbox count)."""


def link_segment(status: SyncStatus, busy: bool, retry_at: datetime | None, enrolled: bool) -> Segment:
    """The link state: syncing, connected, offline (with the next retry), refused, not enrolled."""
    if busy:
        return "Tỉnh: đang đồng bộ…", "-busy"
    if not enrolled:
        return "Tỉnh: chưa đăng ký (ngoại tuyến)", None
    if status.link == ONLINE:
        return "Tỉnh: đã kết nối", "-ok"
    if status.link == OFFLINE:
        later = f", thử lại lúc {retry_at:%H:%M:%S}" if retry_at is not None else ""
        return f"Tỉnh: mất kết nối{later}", "-warning"
    if status.link == REFUSED:
        return "Tỉnh: bị từ chối", "-error"
    return ("Tỉnh: chưa đồng bộ", None) if status.link == NEVER else (status.link, None)


def status_segments(
    status: SyncStatus, busy: bool = False, retry_at: datetime | None = None, enrolled: bool = True
) -> dict[str, Segment]:
    """Every sync segment; the last error shows only while an enrolled counter's link is not up."""
    pending: Segment = (f"Chờ gửi tỉnh: {status.pending}", "-warning") if status.pending else ("Đã gửi hết", "-ok")
    quarantine: Segment = (f"Bị tỉnh từ chối: {status.quarantined}", "-error") if status.quarantined else ("", None)
    last: Segment = (f"Đồng bộ lúc {status.last_success:%H:%M %d/%m}", None) if status.last_success else ("", None)
    error: Segment = ("", None)
    if status.last_error and status.link != ONLINE and not busy and enrolled:
        error = (f"Lỗi: {status.last_error}", "-error")
    clock: Segment = (skew_message(status.skew_ms or 0), "-warning") if status.skew_warning else ("", None)
    return {
        "sync_link": link_segment(status, busy, retry_at, enrolled),
        "pending": pending,
        "sync_quarantine": quarantine,
        "sync_last": last,
        "sync_error": error,
        "sync_clock": clock,
    }
