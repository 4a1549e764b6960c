"""Serial (USB-CDC) scanners: raw bytes through pyserial, one scan per payload, reconnecting after unplug.

A scanner in serial mode sends the exact UTF-8 bytes of the code, so Vietnamese diacritics survive (unlike
keyboard-wedge mode). A payload ends at CR, LF or Tab; a scanner configured with no suffix is handled too:
the buffer becomes a scan once it has the full structure of an ID payload and the line has gone quiet, or,
whatever it holds, after a longer silence (so a partial read reaches the clerk as a refusal, never lost).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from counter.citizens import identity
from counter.qr import qrimage

ScanCallback = Callable[[str, str], None]
StatusCallback = Callable[[str, bool], None]
"""Called with a one-sentence Vietnamese status and whether the source is working."""
TERMINATORS = b"\r\n\t"
MAX_BUFFER = identity.MAX_PAYLOAD_CHARS * 4


class PayloadSplitter:
    """Cuts a stream of scanner bytes into payloads (terminated, or complete and followed by silence)."""

    def __init__(self, quiet_seconds: float = 0.08, flush_seconds: float = 0.6) -> None:
        self.quiet_seconds = quiet_seconds
        self.flush_seconds = flush_seconds
        self.buffer = bytearray()
        self.last_byte_at = 0.0

    def feed(self, chunk: bytes, now: float) -> list[str]:
        """Add bytes received at `now`; return the payloads they complete."""
        payloads: list[str] = []
        if chunk:
            self.last_byte_at = now
        for byte in chunk:
            if byte in TERMINATORS:
                payloads += self._take()
            else:
                self.buffer.append(byte)
        if len(self.buffer) > MAX_BUFFER:  # a stuck stream: hand it on so the clerk sees why
            payloads += self._take()
        return payloads

    def idle(self, now: float) -> list[str]:
        """Payloads that the silence since the last byte completes (for scanners sending no suffix)."""
        if not self.buffer:
            return []
        silent = now - self.last_byte_at
        if silent >= self.flush_seconds:
            return self._take()
        if silent >= self.quiet_seconds and identity.looks_complete(qrimage.payload_text(bytes(self.buffer))):
            return self._take()
        return []

    def _take(self) -> list[str]:
        data, self.buffer = bytes(self.buffer), bytearray()
        text = qrimage.payload_text(data)
        return [text] if text.strip() else []


class SerialScanner:
    """A worker thread reading one serial scanner and calling `on_scan(payload, "serial")` per scan."""

    source = "serial"

    def __init__(self, port: str, baudrate: int, on_scan: ScanCallback,
                 on_status: StatusCallback | None = None, *, retry_seconds: float = 1.0) -> None:
        self.port = port
        self.baudrate = baudrate
        self.on_scan = on_scan
        self.on_status = on_status or (lambda _text, _ok: None)
        self.retry_seconds = retry_seconds
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"serial-scanner {port}", daemon=True)

    def start(self) -> SerialScanner:
        """Start reading in the background."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to finish and wait for it (at most `timeout` seconds)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        import serial

        announced_missing = False
        while not self._stop.is_set():
            try:
                port = serial.serial_for_url(self.port, baudrate=self.baudrate, timeout=0.05)
            except (serial.SerialException, OSError, ValueError):
                if not announced_missing:
                    self.on_status(f"Máy quét cổng {self.port}: chưa kết nối; đang thử lại.", False)
                    announced_missing = True
                self._stop.wait(self.retry_seconds)
                continue
            announced_missing = False
            self.connected.set()
            self.on_status(f"Máy quét cổng {self.port}: đã kết nối.", True)
            try:
                self._read(port)
            except (serial.SerialException, OSError):
                self.on_status(f"Máy quét cổng {self.port}: mất kết nối; đang thử lại.", False)
                announced_missing = True
            finally:
                self.connected.clear()
                port.close()
            self._stop.wait(self.retry_seconds)

    def _read(self, port: Any) -> None:
        splitter = PayloadSplitter()
        while not self._stop.is_set():
            chunk = port.read(max(1, port.in_waiting))
            now = time.monotonic()
            for payload in splitter.feed(chunk, now) + splitter.idle(now):
                self.on_scan(payload, self.source)
