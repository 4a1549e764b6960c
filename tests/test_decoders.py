"""Decoders return the exact payload text (zbar's wrong-charset cases included) and never a wrong identity."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from pyzbar import pyzbar

from counter.errors import CounterError
from counter.qr import decoders
from counter.qr.qrdraw import qr_image
from tests.qrpictures import code_pixels, scene

CORPUS = Path(__file__).parent / "data" / "zbar_wrong_charset.txt"
WRONG_CHARSET = CORPUS.read_text(encoding="utf-8").splitlines()
ALL = ("zxing", "zbar", "opencv")


def reader_for(name: str) -> decoders.Reader:
    """A reader using exactly one decoder."""
    return decoders.Reader([decoders.DECODER_CLASSES[name]()])


def test_corpus_really_triggers_zbar_charset_guess() -> None:
    """Without binary mode, zbar turns every corpus payload into mojibake (the bug the corpus guards)."""
    assert len(WRONG_CHARSET) >= 10
    for payload in WRONG_CHARSET:
        plain = pyzbar.decode(qr_image(payload, box_size=3), symbols=[pyzbar.ZBarSymbol.QRCODE])
        assert plain[0].data.decode("utf-8") != payload


@pytest.mark.parametrize("name", ALL)
def test_wrong_charset_payloads_come_back_exactly(name: str) -> None:
    """Every decoder returns the exact text and identity of payloads zbar's charset guess garbles."""
    reader = reader_for(name)
    for payload in WRONG_CHARSET:
        reading = reader.read(code_pixels(payload))
        assert reading is not None and reading.text == payload
        assert reading.person is not None
        assert reading.person.full_name == payload.split("|")[2]


@pytest.mark.parametrize("name", ALL)
def test_rotated_code_in_a_colour_frame(name: str) -> None:
    """A BGR camera frame with a turned code is read exactly by each decoder."""
    payload = WRONG_CHARSET[0]
    frame = cv2.cvtColor(scene(payload, side=260, angle=23), cv2.COLOR_GRAY2BGR)
    reading = reader_for(name).read(frame)
    assert reading is not None and reading.text == payload and reading.decoder == name


def test_non_id_code_is_read_but_gives_no_identity() -> None:
    """A URL code is reported with the reason, not turned into a citizen."""
    reading = decoders.make_reader().read(scene("https://dichvucong.gov.vn/"))
    assert reading is not None and reading.person is None
    assert reading.text == "https://dichvucong.gov.vn/" and "URL" in reading.error


def test_id_shaped_but_invalid_payload_is_refused() -> None:
    """An 11-digit ID number never becomes an identity, whatever decoder read it."""
    payload = "03609000012|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh|20052021"
    reading = decoders.make_reader().read(scene(payload))
    assert reading is not None and reading.person is None and "12 chữ số" in reading.error


def test_frame_without_code_reads_nothing() -> None:
    """An empty desk gives no reading at all."""
    assert decoders.make_reader().read(scene(None)) is None


def test_blurred_dim_frame_needs_a_preprocessing_pass() -> None:
    """A dark, noisy, soft frame is unreadable as is and read exactly after the sharpen pass."""
    payload = WRONG_CHARSET[1]
    frame = scene(payload, side=240, angle=8).astype("float32") * 0.35 + 30
    frame = cv2.GaussianBlur(frame, (0, 0), 2.0) + np.random.default_rng(1).normal(0, 8, frame.shape)
    frame = frame.clip(0, 255).astype("uint8")
    plain = decoders.Reader([decoders.ZxingDecoder()], passes=()).read(frame)
    reading = decoders.make_reader("zxing").read(frame)
    assert plain is None
    assert reading is not None and reading.text == payload and reading.step != "plain"


def test_auto_prefers_zxing_and_settings_name_one_decoder() -> None:
    """`auto` is the best installed decoder; explicit names are kept; unknown names are refused."""
    assert decoders.decoder_names("auto") == ["zxing"]
    assert decoders.decoder_names("zbar") == ["zbar"]
    with pytest.raises(CounterError):
        decoders.decoder_names("wechat")


def test_read_file_refuses_what_is_not_an_image(tmp_path: Path) -> None:
    """A text file is refused with a Vietnamese reason naming the file."""
    bogus = tmp_path / "note.png"
    bogus.write_text("không phải ảnh", encoding="utf-8")
    with pytest.raises(CounterError, match=r"note\.png"):
        decoders.read_file(bogus, decoders.make_reader())


def test_importing_decoders_and_scanners_loads_no_image_library() -> None:
    """cv2, zxingcpp, numpy and pyserial load on first use only (the app's start-up budget is 0.5 s)."""
    code = ("import sys, counter.qr.decoders, counter.scanners.camera, counter.scanners.serialport; "
            "print([m for m in ('cv2', 'zxingcpp', 'numpy', 'serial') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
