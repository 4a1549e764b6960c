"""A TCP proxy that breaks and shapes the link between a counter and the hub, for tests and benchmarks.

Shaping: per-direction bandwidth (bytes/s, serialised like a real bottleneck) and one-way delay.
Faults are armed in advance and consumed one per HTTP request, in order: drop the connection, answer
500 without forwarding, cut the request or the response after N bytes, or stall the response.
Request boundaries are found without parsing: client data after response data starts a new request
(HTTP/1.1 clients such as requests do not pipeline).
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass

SEGMENT = 1448
"""Bytes per scheduled segment (a typical TCP payload), so shaping is smooth."""


@dataclass
class Fault:
    """One fault for one request: kind is drop, fail, cut_request, cut_response or stall."""

    kind: str
    amount: float = 0
    """Bytes for the cuts, seconds for stall, HTTP status for fail."""
    match: bytes = b""
    """Only requests starting with these bytes (e.g. b"POST /v1/events") take this fault."""


class _Link:
    """One client connection and its upstream connection, pumped in both directions."""

    def __init__(self, proxy: FaultProxy, client: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream: socket.socket | None = None
        self.response_seen = True
        self.request_left: int | None = None
        self.response_left: int | None = None
        self.stall = 0.0
        self._closed = False
        self._lock = threading.Lock()

    def start(self) -> None:
        try:
            self.upstream = socket.create_connection(self.proxy.upstream, timeout=5)
            self.upstream.settimeout(None)
        except OSError:
            self.close()
            return
        _Pump(self, self.client, self.upstream, up=True).start()
        _Pump(self, self.upstream, self.client, up=False).start()

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
        for sock in (self.client, self.upstream):
            if sock is None:
                continue
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.proxy._forget(self)

    def filter_up(self, data: bytes) -> tuple[bytes, bool]:
        """What of the client's bytes to forward, and whether to close after them."""
        if self.response_seen:
            self.response_seen = False
            self.request_left = self.response_left = None
            fault = self.proxy._take_fault(data)
            if fault is not None:
                if fault.kind == "drop":
                    return b"", True
                if fault.kind == "fail":
                    self._answer_failure(data, int(fault.amount or 500))
                    return b"", True
                if fault.kind == "cut_request":
                    self.request_left = int(fault.amount)
                elif fault.kind == "cut_response":
                    self.response_left = int(fault.amount)
                elif fault.kind == "stall":
                    self.stall = float(fault.amount)
        if self.request_left is None:
            return data, False
        data = data[: self.request_left]
        self.request_left -= len(data)
        return data, self.request_left <= 0

    def filter_down(self, data: bytes) -> tuple[bytes, bool]:
        """What of the hub's bytes to forward, and whether to close after them."""
        self.response_seen = True
        if self.response_left is None:
            return data, False
        data = data[: self.response_left]
        self.response_left -= len(data)
        return data, self.response_left <= 0

    def _answer_failure(self, first: bytes, status: int) -> None:
        """Read the whole request, then answer `status` as a broken hub would."""
        buffer = first
        try:
            while b"\r\n\r\n" not in buffer:
                chunk = self.client.recv(65536)
                if not chunk:
                    return
                buffer += chunk
            head, _, body = buffer.partition(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value.strip())
            while len(body) < length:
                chunk = self.client.recv(65536)
                if not chunk:
                    return
                body += chunk
            text = b'{"error":"internal","reason":"injected failure"}'
            self.client.sendall(
                b"HTTP/1.1 %d Injected\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                b"Connection: close\r\n\r\n%s" % (status, len(text), text)
            )
        except OSError:
            return


class _Pump:
    """One direction of a link: a reader that schedules segments and a writer that delivers them."""

    def __init__(self, link: _Link, source: socket.socket, target: socket.socket, up: bool) -> None:
        self.link, self.source, self.target, self.up = link, source, target, up
        self.queue: queue.Queue[tuple[float, bytes] | None] = queue.Queue()
        self.free_at = 0.0

    def start(self) -> None:
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._write, daemon=True).start()

    def _schedule(self, data: bytes) -> None:
        proxy = self.link.proxy
        rate = proxy.up_rate if self.up else proxy.down_rate
        extra = 0.0
        if not self.up:
            extra, self.link.stall = self.link.stall, 0.0
        delay = proxy.delay + extra
        for start in range(0, len(data), SEGMENT):
            segment = data[start : start + SEGMENT]
            now = time.monotonic()
            if rate:
                self.free_at = max(now, self.free_at) + len(segment) / rate
                due = self.free_at + delay
            else:
                due = now + delay
            self.queue.put((due, segment))

    def _read(self) -> None:
        while True:
            try:
                data = self.source.recv(65536)
            except OSError:
                data = b""
            if not data:
                self.queue.put(None)
                return
            data, close_after = self.link.filter_up(data) if self.up else self.link.filter_down(data)
            if data:
                self._schedule(data)
            if close_after:
                self.queue.put(None)
                return

    def _write(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                self.link.close()
                return
            due, segment = item
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            try:
                self.target.sendall(segment)
            except OSError:
                self.link.close()
                return
            self.link.proxy._count(self.up, len(segment))


class FaultProxy:
    """Listen on 127.0.0.1 (a free port) and forward to `upstream`, shaping and breaking on demand."""

    def __init__(
        self,
        upstream_port: int,
        upstream_host: str = "127.0.0.1",
        up_rate: float | None = None,
        down_rate: float | None = None,
        delay: float = 0.0,
    ) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.up_rate, self.down_rate, self.delay = up_rate, down_rate, delay
        self.bytes_up = self.bytes_down = self.requests = self.connections = 0
        self._faults: deque[Fault] = deque()
        self._links: set[_Link] = set()
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def url(self) -> str:
        """Base URL to give the counter."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        """Start accepting connections."""
        self._thread.start()
        return self

    def arm(self, kind: str, amount: float = 0, times: int = 1, match: bytes = b"") -> None:
        """Queue a fault for the next `times` matching requests."""
        with self._lock:
            self._faults.extend(Fault(kind, amount, match) for _ in range(times))

    def disarm(self) -> None:
        """Forget every fault not yet used."""
        with self._lock:
            self._faults.clear()

    def pending_faults(self) -> int:
        """Faults armed but not yet used."""
        with self._lock:
            return len(self._faults)

    def kill_connections(self) -> None:
        """Close every open connection at once (a cell handover)."""
        with self._lock:
            links = list(self._links)
        for link in links:
            link.close()

    def close(self) -> None:
        """Stop listening and close every connection."""
        self._server.close()
        self.kill_connections()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            link = _Link(self, client)
            with self._lock:
                self._links.add(link)
                self.connections += 1
            threading.Thread(target=link.start, daemon=True).start()

    def _take_fault(self, request_start: bytes) -> Fault | None:
        with self._lock:
            self.requests += 1
            for fault in self._faults:
                if request_start.startswith(fault.match):
                    self._faults.remove(fault)
                    return fault
        return None

    def _count(self, up: bool, size: int) -> None:
        with self._lock:
            if up:
                self.bytes_up += size
            else:
                self.bytes_down += size

    def _forget(self, link: _Link) -> None:
        with self._lock:
            self._links.discard(link)
