"""`counter qr decode` on generated PNG/JPEG files: the configured decoder, exit 1 when there is no ID."""

from __future__ import annotations

import json
from pathlib import Path

import cv2

from tests.conftest import VALID_PAYLOAD, run_cli, write_config
from tests.qrpictures import scene


def _write(path: Path, payload: str | None) -> Path:
    cv2.imwrite(str(path), scene(payload, size=(800, 600), side=240, angle=12))
    return path


def test_decode_valid_non_id_and_empty_images(tmp_path: Path) -> None:
    """One JSON line per file; the valid card has its identity, the others a reason; exit status 1."""
    valid = _write(tmp_path / "card.png", VALID_PAYLOAD)
    url = _write(tmp_path / "url.jpg", "https://dichvucong.gov.vn/")
    empty = _write(tmp_path / "empty.png", None)
    config = write_config(tmp_path / "c")
    result = run_cli("qr", "decode", str(valid), str(url), str(empty), config=config)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1
    assert lines[0]["payload"] == VALID_PAYLOAD and lines[0]["identity"]["full_name"] == "Trần Văn Bình"
    assert lines[0]["decoder"] == "zxing" and "error" not in lines[0]
    assert lines[1]["payload"] == "https://dichvucong.gov.vn/" and "URL" in lines[1]["error"]
    assert lines[2] == {"file": str(empty), "payload": None, "error": "Không tìm thấy mã QR trong ảnh."}


def test_valid_image_alone_exits_zero_with_configured_decoder(tmp_path: Path) -> None:
    """`[scanner].decoder` picks the decoder; `--decoder` overrides it."""
    valid = _write(tmp_path / "card.png", VALID_PAYLOAD)
    config = write_config(tmp_path / "c", extra='\n[scanner]\ndecoder = "zbar"\n')
    configured = run_cli("qr", "decode", str(valid), config=config)
    overridden = run_cli("qr", "decode", "--decoder", "opencv", str(valid), config=config)
    assert configured.returncode == 0 and json.loads(configured.stdout)["decoder"] == "zbar"
    assert overridden.returncode == 0 and json.loads(overridden.stdout)["decoder"] == "opencv"
