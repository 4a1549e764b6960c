"""The background sync worker: passes in a thread, scheduled by timers, never blocking the clerk.

A pass runs when something is pending or `[sync].interval_seconds` have passed (to pull what others
did); after a failure the next try waits a capped exponential backoff with full jitter
(`[sync].max_backoff_seconds`). "Đồng bộ ngay" runs one at once. Results reach the UI through
`call_from_thread`; the worker never touches widgets.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.timer import Timer

from counter.tui.desk import Desk, StatusSetter
from sync.backoff import backoff_delay

if TYPE_CHECKING:
    from sync.client import SyncReport
    from sync.state import SyncStatus

MIN_DELAY = 0.05
"""Shortest timer delay: Textual's timer divides by its interval, so it must not be zero."""
BACKOFF_BASE = 5.0
"""Seconds of the first retry ceiling after a failure (then 10, 20, … up to the cap)."""


class SyncController:
    """Owns the schedule and state of background sync for one running app."""

    def __init__(self, app: App[Any], desk: Desk, set_status: StatusSetter) -> None:
        self.app = app
        self.desk = desk
        self.set_status = set_status
        self.busy = False
        self.failures = 0
        """Consecutive passes that could not reach the hub."""
        self.passes = 0
        self.next_at: float | None = None
        """time.monotonic() of the next scheduled pass."""
        self.enrolled = True
        self.last_report: SyncReport | None = None
        self._timer: Timer | None = None

    def start(self) -> None:
        """Begin: a first pass at once (it also tells whether the counter is enrolled)."""
        self._schedule(MIN_DELAY)

    def run_now(self) -> None:
        """The clerk asked for a pass ("Đồng bộ ngay")."""
        if self.busy:
            self.app.notify("Đang đồng bộ, vui lòng đợi.", timeout=3)
            return
        self._run()

    def nudge(self, pending: int) -> None:
        """Something new waits to be sent: sync soon if the link is up (not while backing off)."""
        if pending and not self.busy and self.failures == 0 and self.enrolled:
            self._schedule(0.5)

    def retry_at(self) -> datetime | None:
        """Wall-clock time of the next scheduled pass, if any."""
        if self.next_at is None:
            return None
        return datetime.now() + timedelta(seconds=max(0.0, self.next_at - time.monotonic()))

    def _schedule(self, delay: float) -> None:
        delay = max(MIN_DELAY, delay)
        if self._timer is not None:
            self._timer.stop()
        self.next_at = time.monotonic() + delay
        self._timer = self.app.set_timer(delay, self._tick, name="sync")

    def _tick(self) -> None:
        self._timer = None
        if not self.busy:
            self._run()

    def _run(self) -> None:
        self.busy = True
        self.next_at = None
        self._show(None)
        self.app.run_worker(self._pass, thread=True, group="sync", exit_on_error=False)

    def _pass(self) -> None:
        """In a worker thread: one pass, then the status read back from the database."""
        from sync.client import SyncReport, run_pass
        from sync.state import OFFLINE, read_status

        ctx = self.desk.ctx
        status: SyncStatus | None = None
        try:
            report = run_pass(ctx)
            status = read_status(ctx)
        except Exception as exc:  # an unexpected failure must not stop background sync for good
            report = SyncReport(link=OFFLINE, errors=[f"Lỗi khi đồng bộ: {exc}"])
        self.app.call_from_thread(self._finished, report, status)

    def _finished(self, report: SyncReport, status: SyncStatus | None) -> None:
        """Back on the UI thread: decide the next pass and update the status bar."""
        self.busy = False
        self.passes += 1
        self.last_report = report
        config = self.desk.config.sync
        self.enrolled = report.enrolled
        from sync.state import ONLINE

        if report.link == ONLINE:
            self.failures = 0
            progressed = report.pushed or report.duplicates
            delay = 0.5 if status is not None and status.pending and progressed else float(config.interval_seconds)
        else:
            self.failures += 1
            delay = max(1.0, backoff_delay(self.failures, BACKOFF_BASE, float(config.max_backoff_seconds)))
        self._schedule(delay)
        if status is None:
            self.set_status("sync_link", "Tỉnh: lỗi khi đồng bộ", "-error")
            self.set_status("sync_error", f"Lỗi: {report.errors[0]}", "-error")
        else:
            self._show(status)

    def _show(self, status: SyncStatus | None) -> None:
        from counter.tui.sync.segments import status_segments

        """Update the status bar: busy while a pass runs (status None), else every sync segment."""
        if status is None:
            self.set_status("sync_link", "Tỉnh: đang đồng bộ…", "-busy")
            return
        for name, (text, css_class) in status_segments(status, self.busy, self.retry_at(), self.enrolled).items():
            self.set_status(name, text, css_class)
