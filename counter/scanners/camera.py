"""Cameras (webcam index, video file, phone stream URL): frames decoded in a worker, one scan per card shown.

Frames are read with OpenCV and handed to a counter.qr.decoders.Reader in the same worker thread. A live camera
is decoded at most `decode_fps` times a second (a 720p frame takes 1-12 ms here, more on an old counter PC;
a card is held up for a second or more, so 10 reads a second lose nothing). Frames are never stored.
A card held in front of the camera is seen in dozens of frames; HoldFilter turns them into one scan.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from counter.qr.decoders import Reader
from counter.scanners.serialport import ScanCallback, StatusCallback


class HoldFilter:
    """Passes a payload once per appearance: repeats are dropped until it has been out of view for a while."""

    def __init__(self, gone_seconds: float = 1.5) -> None:
        self.gone_seconds = gone_seconds
        self.last: str | None = None
        self.last_seen = float("-inf")

    def see(self, text: str | None, now: float) -> str | None:
        """The payload to scan for a frame read at `now` that showed `text` (None: no code), or None."""
        if text is None:
            return None
        repeat = text == self.last and now - self.last_seen <= self.gone_seconds
        self.last, self.last_seen = text, now
        return None if repeat else text


def parse_source(source: str) -> tuple[int | str, bool]:
    """The cv2.VideoCapture argument for a `[scanner].camera` setting, and whether it is a live source."""
    if source.strip().isdigit():
        return int(source), True
    if "://" in source:
        return source, True
    return str(Path(source).expanduser()), False


class CameraScanner:
    """A worker thread reading a camera and calling `on_scan(payload, "camera")` once per card shown."""

    source = "camera"

    def __init__(self, camera: str, reader: Reader, on_scan: ScanCallback,
                 on_status: StatusCallback | None = None, *, gone_seconds: float = 1.5,
                 retry_seconds: float = 2.0, decode_fps: float = 10.0) -> None:
        self.camera = camera
        self.reader = reader
        self.on_scan = on_scan
        self.on_status = on_status or (lambda _text, _ok: None)
        self.hold = HoldFilter(gone_seconds)
        self.retry_seconds = retry_seconds
        self.decode_interval = 1.0 / decode_fps
        self.frames = 0
        """Frames read so far (for the status line and tests)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"camera {camera}", daemon=True)

    def start(self) -> CameraScanner:
        """Start reading in the background."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        """Ask the thread to finish and wait for it (at most `timeout` seconds)."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def join(self, timeout: float | None = None) -> None:
        """Wait until the worker ends (a video file ends by itself; a live camera only when stopped)."""
        self._thread.join(timeout)

    def _run(self) -> None:
        import cv2

        target, live = parse_source(self.camera)
        announced_missing = False
        while not self._stop.is_set():
            capture = cv2.VideoCapture(target)
            if not capture.isOpened():
                capture.release()
                if not live:
                    self.on_status(f"Camera: không mở được tệp video {self.camera}.", False)
                    return
                if not announced_missing:
                    self.on_status(f"Camera {self.camera}: không mở được; đang thử lại.", False)
                    announced_missing = True
                self._stop.wait(self.retry_seconds)
                continue
            announced_missing = False
            if live:
                capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
            self.on_status(" ".join(filter(None, (f"Camera {self.camera}: đang đọc mã QR.", self.reader.notice))), True)
            try:
                self._read(capture, live)
            finally:
                capture.release()
            if not live:
                return
            self.on_status(f"Camera {self.camera}: mất tín hiệu; đang thử lại.", False)
            self._stop.wait(self.retry_seconds)

    def _read(self, capture: Any, live: bool) -> None:
        import cv2

        last_decode = float("-inf")
        while not self._stop.is_set():
            ok, frame = capture.read()
            if not ok or frame is None:
                return
            self.frames += 1
            # Video files are timed by their own clock and fully decoded, so a file replays exactly.
            now = time.monotonic() if live else capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if live and now - last_decode < self.decode_interval:
                continue
            last_decode = now
            reading = self.reader.read(frame)
            payload = self.hold.see(reading.text if reading is not None else None, now)
            if payload is not None:
                self.on_scan(payload, self.source)
