"""Run the reference hub with uvicorn, with a deadline for every request head and body."""

from __future__ import annotations

import asyncio

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.hub.app import create_app
from sync.hub.store import HubStore
from sync.protocol import MAX_CLOCK_AHEAD_SECONDS

REQUEST_TIMEOUT_SECONDS = 30
"""Longest wait for a request's head, for its body, and on an idle keep-alive connection."""


class DeadlineH11Protocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol, closing a connection that sends no complete request head in time.

    uvicorn times out idle keep-alive connections but not a client that connects and then sends its
    headers slowly or not at all (slowloris); this arms a deadline whenever no request is in progress.
    """

    head_timeout: float = REQUEST_TIMEOUT_SECONDS
    _deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the clock for the first request head."""
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        """Start the clock for the next request head."""
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        """Stop the clock."""
        if self._deadline is not None:
            self._deadline.cancel()
        super().connection_lost(exc)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(self.head_timeout, self._expire)

    def _expire(self) -> None:
        busy = self.cycle is not None and not self.cycle.response_complete
        if not busy and not self.transport.is_closing():
            self.transport.close()


def serve(
    db: str,
    host: str,
    port: int,
    timezone: str = "Asia/Ho_Chi_Minh",
    max_clock_ahead_seconds: int = MAX_CLOCK_AHEAD_SECONDS,
    request_timeout_seconds: int = REQUEST_TIMEOUT_SECONDS,
) -> None:
    """Serve protocol v1 and v2 over the hub database `db` until interrupted."""
    store = HubStore(db, timezone, max_clock_ahead_seconds)
    protocol = type("HubH11Protocol", (DeadlineH11Protocol,), {"head_timeout": float(request_timeout_seconds)})
    print(f"Hệ thống tỉnh mẫu (giao thức 2) phục vụ tại http://{host}:{port} — Ctrl+C để dừng.", flush=True)
    try:
        uvicorn.run(
            create_app(store, body_timeout=float(request_timeout_seconds)),
            host=host,
            port=port,
            http=protocol,
            log_level="warning",
            access_log=False,
            timeout_keep_alive=min(request_timeout_seconds, 30),
            limit_concurrency=200,
            server_header=False,
        )
    finally:
        store.close()
