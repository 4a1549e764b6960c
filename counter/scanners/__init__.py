"""Background scan sources (serial scanners, cameras) that call `on_scan(payload, source)` from a thread.

The TUI starts them with `start_sources` and turns each call into a ScanReceived message; nothing here
imports textual. Keyboard-wedge scanners need no worker: the TUI reads them as keystrokes.
"""

from __future__ import annotations

from typing import Protocol

from counter.config import ScannerConfig
from counter.scanners.serialport import ScanCallback, StatusCallback


class ScanSource(Protocol):
    """A running scan source."""

    def stop(self, timeout: float = ...) -> None:
        """Stop reading and wait for the worker thread."""
        ...


def start_sources(scanner: ScannerConfig, on_scan: ScanCallback,
                  on_status: StatusCallback | None = None) -> list[ScanSource]:
    """Start a worker for the serial scanner and for the camera when `[scanner]` names them."""
    sources: list[ScanSource] = []
    if scanner.serial_port:
        from counter.scanners.serialport import SerialScanner

        serial = SerialScanner(scanner.serial_port, scanner.serial_baudrate, on_scan, on_status)
        sources.append(serial.start())
    if scanner.camera:
        from counter.qr.decoders import make_reader
        from counter.scanners.camera import CameraScanner

        camera = CameraScanner(scanner.camera, make_reader(scanner.decoder), on_scan, on_status)
        sources.append(camera.start())
    return sources
