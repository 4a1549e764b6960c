"""Pictures of QR codes for the decoder, CLI and camera tests: real codes drawn by counter.qrdraw."""

from __future__ import annotations

import cv2
import numpy as np

from counter.qrdraw import qr_image


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
