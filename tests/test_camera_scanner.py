"""Cameras: a generated MJPG video file gives exactly one scan per card shown, whatever the frame count."""

from __future__ import annotations

import queue
from pathlib import Path

from counter.config import ScannerConfig
from counter.qr.decoders import Frame, Reader, Reading, ZxingDecoder, make_reader
from counter.scanners import start_sources
from counter.scanners.camera import CameraScanner, HoldFilter, parse_source
from tests.conftest import FATHER_PAYLOAD, MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.qrpictures import write_video

URL = "https://dichvucong.gov.vn/"


def run_camera(video: Path) -> tuple[list[tuple[str, str]], CameraScanner]:
    """Play the file through a CameraScanner to its end; the scans it made."""
    scans: list[tuple[str, str]] = []
    camera = CameraScanner(str(video), make_reader(), lambda p, s: scans.append((p, s))).start()
    camera.join(120)
    return scans, camera


def test_one_scan_per_card_held_in_front_of_the_camera(tmp_path: Path) -> None:
    """Three seconds of a card is one scan; taken away and shown again it is a new scan; others follow."""
    video = write_video(tmp_path / "counter.avi", [
        (None, 5), (VALID_PAYLOAD, 30), (None, 20), (VALID_PAYLOAD, 15), (MOTHER_PAYLOAD, 20),
        (None, 3), (URL, 12), (FATHER_PAYLOAD, 12),
    ])
    scans, camera = run_camera(video)
    assert camera.frames == 117
    assert scans == [(VALID_PAYLOAD, "camera"), (VALID_PAYLOAD, "camera"), (MOTHER_PAYLOAD, "camera"),
                     (URL, "camera"), (FATHER_PAYLOAD, "camera")]


def test_missing_video_file_ends_the_worker_with_a_status(tmp_path: Path) -> None:
    """A file that cannot be opened is reported and the worker ends instead of retrying forever."""
    statuses: list[str] = []
    missing = str(tmp_path / "none.avi")
    camera = CameraScanner(missing, make_reader(), lambda p, s: None,
                           lambda text, _ok: statuses.append(text)).start()
    camera.join(60)
    assert len(statuses) == 1 and "không mở được" in statuses[0]


def test_hold_filter_drops_repeats_until_the_code_has_left() -> None:
    """Repeats within the hold window are dropped, flicker does not re-trigger, a long absence does."""
    hold = HoldFilter(gone_seconds=1.5)
    seen = [hold.see(text, t) for text, t in [
        ("A", 0.0), ("A", 0.1), (None, 0.2), ("A", 0.3), ("A", 1.7), ("B", 1.8), ("A", 1.9), (None, 2.0),
        ("A", 3.3), ("A", 5.1),
    ]]
    assert seen == ["A", None, None, None, None, "B", "A", None, None, "A"]


def test_camera_setting_kinds() -> None:
    """A digit is a device index, a URL a stream, anything else a video file; only files end by themselves."""
    assert parse_source("0") == (0, True)
    assert parse_source("http://192.0.2.5:8080/video") == ("http://192.0.2.5:8080/video", True)
    assert parse_source("/tmp/x.avi") == ("/tmp/x.avi", False)


def test_start_sources_runs_the_configured_camera(tmp_path: Path) -> None:
    """`[scanner].camera` alone starts one camera worker whose scans reach the callback."""
    video = write_video(tmp_path / "one.avi", [(FATHER_PAYLOAD, 10)])
    scans: queue.Queue[tuple[str, str]] = queue.Queue()
    config = ScannerConfig(decoder="auto", serial_port="", serial_baudrate=9600, camera=str(video))
    sources = start_sources(config, lambda p, s: scans.put((p, s)))
    assert len(sources) == 1
    assert scans.get(timeout=60) == (FATHER_PAYLOAD, "camera")
    for source in sources:
        source.stop()


def test_live_stream_is_throttled_and_reopened_when_it_drops(tmp_path: Path) -> None:
    """A stream URL (a file:// URL here) is decoded at most decode_fps a second and reopened when it ends."""
    video = write_video(tmp_path / "phone.avi", [(VALID_PAYLOAD, 40)])
    scans: queue.Queue[tuple[str, str]] = queue.Queue()
    statuses: queue.Queue[str] = queue.Queue()
    reader = CountingReader()
    camera = CameraScanner(f"file://{video}", reader, lambda p, s: scans.put((p, s)),
                           lambda text, _ok: statuses.put(text), retry_seconds=0.01, decode_fps=0.2).start()
    try:
        assert scans.get(timeout=60) == (VALID_PAYLOAD, "camera")
        seen = [statuses.get(timeout=60) for _ in range(3)]
    finally:
        camera.stop()
    assert seen[0].endswith("đang đọc mã QR.") and "mất tín hiệu" in seen[1] and seen[2].endswith("đang đọc mã QR.")
    assert scans.empty()  # the replayed card is still the same card: no second scan within the hold window
    assert camera.frames >= 40 and reader.reads < camera.frames / 4  # frames read as fast as the file allows


class CountingReader(Reader):
    """The default reader, counting the frames it was asked to decode."""

    def __init__(self) -> None:
        super().__init__([ZxingDecoder()])
        self.reads = 0

    def read(self, frame: Frame) -> Reading | None:
        """Count, then decode."""
        self.reads += 1
        return super().read(frame)
