"""Pictures of QR codes for the decoder, CLI and camera tests: real codes drawn by counter.qr.qrdraw."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from counter.qr.qrdraw import qr_image


def code_pixels(payload: str, box_size: int = 3) -> np.ndarray:
    """The QR code of `payload` as a greyscale array, quiet zone included."""
    return np.asarray(qr_image(payload, box_size=box_size).convert("L"))


def scene(payload: str | None, size: tuple[int, int] = (640, 480), side: int = 220, angle: float = 0.0,
          shift: tuple[int, int] = (0, 0), background: int = 120) -> np.ndarray:
    """A greyscale frame (width, height) with the code of `payload` at `side` px, turned by `angle`°."""
    width, height = size
    frame = np.full((height, width), background, np.uint8)
    cv2.rectangle(frame, (20, 20), (140, 90), 30, -1)  # something that is not a code
    if payload is None:
        return frame
    code = code_pixels(payload)
    code = cv2.resize(code, (side, side), interpolation=cv2.INTER_AREA)
    centre = (width / 2 + shift[0], height / 2 + shift[1])
    matrix = cv2.getRotationMatrix2D((side / 2, side / 2), angle, 1.0)
    matrix[:, 2] += np.array(centre) - side / 2
    mask = cv2.warpAffine(np.full_like(code, 255), matrix, size)
    warped = cv2.warpAffine(code, matrix, size, flags=cv2.INTER_LINEAR)
    return np.where(mask > 0, warped, frame).astype(np.uint8)


def write_video(path: Path, shots: list[tuple[str | None, int]], fps: float = 10.0) -> Path:
    """An MJPG .avi at 10 fps: per (payload or None, frames), a card moving a little or an empty desk."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (640, 480))
    assert writer.isOpened()
    rng = np.random.default_rng(7)
    for payload, count in shots:
        for n in range(count):
            shift = (int(rng.integers(-15, 16)), int(rng.integers(-10, 11)))
            hidden = payload is not None and n in (8, 9)  # the hand covers the code for two frames
            frame = scene(None if hidden else payload, side=200, angle=float(rng.uniform(-8, 8)), shift=shift)
            writer.write(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR))
    writer.release()
    return path
