"""Serve a provincial system (the reference hub by default) with uvicorn, with a deadline for every request
head and body."""

from __future__ import annotations

import asyncio
from pathlib import Path

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from sync.adapter import SystemSettings, open_system
from sync.blobproto import DEFAULT_MAX_BLOB_MB
from sync.hub.app import create_app
from sync.hub.blobsql import DatabaseBlobStorage
from sync.hub.blobstore import BlobStorage, DirectoryBlobStorage
from sync.hub.notices import NoticeSettings, start_worker
from sync.hub.schema import make_engine

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


def default_blobs_dir(db: str) -> str:
    """Blobs beside a SQLite hub database (`hub.db` → `hub.db.blobs`), else `hub-blobs` here."""
    if db.startswith("postgresql"):
        return "hub-blobs"
    path = db.removeprefix("sqlite:///")
    return f"{path}.blobs"


def blob_storage(blobs: str, db: str) -> BlobStorage:
    """`--blobs db`: in the hub's database (tables hub_blob, hub_blob_chunk); otherwise a directory."""
    if blobs == "db":
        return DatabaseBlobStorage(make_engine(db))
    return DirectoryBlobStorage(Path(blobs or default_blobs_dir(db)))


def serve(
    system_name: str,
    settings: SystemSettings,
    host: str,
    port: int,
    request_timeout_seconds: int = REQUEST_TIMEOUT_SECONDS,
    blobs_dir: str = "",
    max_blob_mb: int = DEFAULT_MAX_BLOB_MB,
    notices: NoticeSettings | None = None,
) -> None:
    """Serve protocol v1 and v2 over the provincial system registered as `system_name`, and attachment blobs in
    `blobs_dir` (default: beside a SQLite database, else ./hub-blobs; "db": in the hub's database), until
    interrupted; the reference hub sends the citizens' notices meanwhile (sync/hub/notices.py)."""
    system = open_system(system_name, settings)
    blobs = blob_storage(blobs_dir, settings.db)
    worker = start_worker(system, notices or NoticeSettings())
    protocol = type("HubH11Protocol", (DeadlineH11Protocol,), {"head_timeout": float(request_timeout_seconds)})
    print(f"Hệ thống tỉnh “{system_name}” (giao thức 2) phục vụ tại http://{host}:{port} — Ctrl+C để dừng.",
          flush=True)
    try:
        uvicorn.run(
            create_app(system, body_timeout=float(request_timeout_seconds), blobs=blobs,
                       max_blob_bytes=max_blob_mb * 1_048_576),
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
        if worker is not None:
            worker.stop.set()
        system.close()
