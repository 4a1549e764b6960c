"""The app starts the configured serial scanner and camera, and their scans reach the clerk's screen."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import cv2
from textual.pilot import Pilot
from textual.widgets import Input

from counter.tui.common.statusbar import StatusBar
from tests.conftest import FATHER_PAYLOAD, VALID_PAYLOAD, write_config
from tests.qrpictures import scene, write_video
from tests.tui_helpers import make_app, ready

WRONG_CHARSET_PAYLOAD = (Path(__file__).parent / "data" / "zbar_wrong_charset.txt").read_text("utf-8").split("\n")[0]


async def _until(pilot: Pilot[None], condition: Callable[[], bool], rounds: int = 400) -> bool:
    """Let the app run until `condition()` holds (True) or the rounds are used up (False)."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause(0.05)
    return False


def _status(pilot: Pilot[None]) -> str:
    """The scanner segment of the status bar."""
    return pilot.app.screen.query_one(StatusBar).segment_text("scanner")


async def test_serial_scanner_scan_shows_the_citizen(tmp_path: Path) -> None:
    """A payload sent by a (pty) serial scanner becomes the citizen on the home screen; the bar says connected."""
    master, slave = os.openpty()
    link = tmp_path / "ttyACM0"
    link.symlink_to(os.ttyname(slave))
    os.close(slave)
    app = make_app(write_config(tmp_path / "c", extra=f'\n[scanner]\nserial_port = "{link}"\n'))
    try:
        async with app.run_test() as pilot:
            await ready(pilot)
            assert await _until(pilot, lambda: "đã kết nối" in _status(pilot))
            os.write(master, (VALID_PAYLOAD + "\r").encode("utf-8"))
            assert await _until(pilot, lambda: app.home().person is not None)
            person = app.home().person
            assert person is not None and person.full_name == "Trần Văn Bình"
    finally:
        os.close(master)
    assert app.scan_devices.sources == []


async def test_camera_scan_shows_the_citizen(tmp_path: Path) -> None:
    """A card shown to the configured camera (a video file here) becomes the citizen on the home screen."""
    video = write_video(tmp_path / "cam.avi", [(None, 3), (FATHER_PAYLOAD, 15)])
    app = make_app(write_config(tmp_path / "c", extra=f'\n[scanner]\ncamera = "{video}"\n'))
    async with app.run_test() as pilot:
        await ready(pilot)
        assert await _until(pilot, lambda: app.home().person is not None)
        person = app.home().person
        assert person is not None and person.full_name == "Phạm Quốc Huy"


async def test_open_image_uses_the_configured_decoder(tmp_path: Path) -> None:
    """F5 "Mở ảnh QR" reads a photo with `[scanner].decoder` and shows the citizen exactly."""
    photo = tmp_path / "zalo.jpg"
    cv2.imwrite(str(photo), scene(WRONG_CHARSET_PAYLOAD, size=(900, 700), side=260, angle=30))
    app = make_app(write_config(tmp_path / "c", extra='\n[scanner]\ndecoder = "zbar"\n'))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("f5")
        await pilot.pause()
        app.screen.query_one("#image-path", Input).value = str(photo)
        await pilot.press("enter")
        assert await _until(pilot, lambda: app.home().person is not None)
        person = app.home().person
        assert person is not None and person.full_name == WRONG_CHARSET_PAYLOAD.split("|")[2]
