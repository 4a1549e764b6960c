"""A fake SMS gateway for the tests: a real HTTP server on 127.0.0.1 that records what it is sent.

`fail` answers HTTP 503 that many times first; `hold` makes every request wait until it is cleared.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Gateway:
    """The server, its received requests and its behaviour."""

    def __init__(self, fail: int = 0) -> None:
        self.received: list[dict[str, Any]] = []
        self.fail = fail
        self.hold = threading.Event()
        self.hold.set()
        self.arrived = threading.Event()
        """Set when a request has come in (before it waits on `hold`)."""
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                gateway.arrived.set()
                gateway.hold.wait(60)
                gateway.received.append({"auth": self.headers.get("Authorization"), **json.loads(body)})
                status = 503 if gateway.fail > 0 else 200
                gateway.fail -= 1
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: object) -> None:
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        """Stop serving."""
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()
