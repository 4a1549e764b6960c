"""Run the reference hub with uvicorn."""

from __future__ import annotations

import uvicorn

from sync.hub.app import create_app
from sync.hub.store import HubStore


def serve(db: str, host: str, port: int, timezone: str = "Asia/Ho_Chi_Minh") -> None:
    """Serve protocol v1 over the hub database `db` until interrupted."""
    store = HubStore(db, timezone)
    print(f"Hệ thống tỉnh mẫu (giao thức v1) phục vụ tại http://{host}:{port} — Ctrl+C để dừng.", flush=True)
    try:
        uvicorn.run(
            create_app(store),
            host=host,
            port=port,
            log_level="warning",
            access_log=False,
            timeout_keep_alive=30,
            server_header=False,
        )
    finally:
        store.close()
