"""Pluggable QR decoders returning the exact payload bytes, and the reader turning a frame into an identity.

Measured by bench/bench_decoders.py: zxing-cpp reads more codes than zbar or OpenCV at a fraction of the time,
so `auto` uses it (zbar, then OpenCV, only when it is not installed); the preprocessing passes (sharpen,
deblur) run only on frames where the plain pass read nothing. Every decoder hands back raw bytes that we
decode as UTF-8 ourselves (zbar's charset guess is switched off, see counter.qr.qrimage), and a result becomes
an identity only through identity.parse, so a garbled read is refused rather than shown as somebody else.
cv2 and zxingcpp are imported on first use.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from counter import platform
from counter.citizens import identity
from counter.errors import CounterError
from counter.qr import qrimage

if TYPE_CHECKING:
    import numpy as np

Frame = Any
"""A numpy uint8 image: greyscale (H×W) or BGR (H×W×3)."""


class Decoder(Protocol):
    """Reads every QR code in a greyscale frame and returns the raw payload bytes of each."""

    name: str

    def decode(self, grey: np.ndarray) -> list[bytes]:
        """Raw payload bytes of the QR codes found in `grey`."""
        ...


class ZxingDecoder:
    """zxing-cpp: the fastest and most tolerant decoder measured; raw bytes from Barcode.bytes."""

    name = "zxing"

    def decode(self, grey: np.ndarray) -> list[bytes]:
        """Raw payload bytes of the QR codes found in `grey`."""
        import zxingcpp

        qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        found = zxingcpp.read_barcodes(grey, formats=qr_only, try_rotate=False, try_invert=False)
        return [bytes(code.bytes) for code in found if code.valid]


class ZbarDecoder:
    """zbar through pyzbar in binary mode (counter.qr.qrimage), the decoder named in the design."""

    name = "zbar"

    def decode(self, grey: np.ndarray) -> list[bytes]:
        """Raw payload bytes of the QR codes found in `grey`."""
        import numpy as np

        pixels = np.ascontiguousarray(grey)
        return qrimage.decode_pixels(pixels.tobytes(), pixels.shape[1], pixels.shape[0])


class OpenCVDecoder:
    """OpenCV's ArUco-based QR detector (it beat the classic QRCodeDetector everywhere)."""

    name = "opencv"

    def __init__(self) -> None:
        self._detector: Any = None

    def decode(self, grey: np.ndarray) -> list[bytes]:
        """Raw payload bytes of the QR codes found in `grey`."""
        import cv2

        if self._detector is None:
            self._detector = cv2.QRCodeDetectorAruco()
        data, _points, _straight = self._detector.detectAndDecodeBytes(grey)
        return [bytes(data)] if data else []


DECODER_CLASSES: dict[str, Callable[[], Decoder]] = {
    "zxing": ZxingDecoder, "zbar": ZbarDecoder, "opencv": OpenCVDecoder,
}
AUTO_ORDER = ("zxing", "zbar", "opencv")
_MODULES = {"zxing": "zxingcpp", "zbar": "pyzbar", "opencv": "cv2"}
_LOADED = {"zxing": "zxingcpp", "zbar": "pyzbar.pyzbar", "opencv": "cv2"}
"""The module whose import loads the native library (pyzbar.pyzbar loads libzbar / libzbar-64.dll)."""
LABELS = {"zxing": "zxing-cpp", "zbar": "zbar", "opencv": "OpenCV"}


def available(name: str) -> bool:
    """True when the library behind decoder `name` is installed (checked without importing it)."""
    return importlib.util.find_spec(_MODULES[name]) is not None


def _unsharp(grey: np.ndarray, sigma: float, amount: float) -> np.ndarray:
    import cv2

    soft = cv2.GaussianBlur(grey, (0, 0), sigma)
    return cv2.addWeighted(grey, 1.0 + amount, soft, -amount, 0)


def sharpen(grey: np.ndarray) -> np.ndarray:
    """Light denoise then unsharp mask: recovers dim, noisy and soft frames (a webcam in a dark room)."""
    import cv2

    return _unsharp(cv2.GaussianBlur(grey, (0, 0), 0.7), 2.0, 2.0)


def deblur(grey: np.ndarray) -> np.ndarray:
    """Strong, narrow unsharp mask: restores module edges of an out-of-focus card held too close."""
    return _unsharp(grey, 1.5, 3.0)


PASSES: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sharpen": sharpen, "deblur": deblur}
DEFAULT_PASSES = ("sharpen", "deblur")


@dataclass(frozen=True)
class Reading:
    """What a frame held: the exact payload text, and the identity when it is a citizen-ID code."""

    text: str
    person: identity.Identity | None
    error: str
    """Why the code is not an acceptable ID (Vietnamese, one sentence); empty when `person` is set."""
    decoder: str
    step: str
    """The preprocessing pass that made it readable ("plain" for none)."""


class Reader:
    """Tries each decoder on the plain frame, then after each preprocessing pass, up to the first identity."""

    def __init__(self, decoders: Sequence[Decoder], passes: Sequence[str] = DEFAULT_PASSES,
                 notice: str = "") -> None:
        self.decoders = list(decoders)
        self.passes = [(name, PASSES[name]) for name in passes]
        self.notice = notice
        """One sentence when the configured decoder failed to load and another stands in ("" otherwise)."""

    def read(self, frame: Frame) -> Reading | None:
        """The best reading of `frame`: an identity if any code holds one, else a non-ID code, else None."""
        grey = to_grey(frame)
        fallback: Reading | None = None
        steps: list[tuple[str, Callable[[np.ndarray], np.ndarray] | None]] = [("plain", None), *self.passes]
        for step, transform in steps:
            image = grey if transform is None else transform(grey)
            for decoder in self.decoders:
                for data in decoder.decode(image):
                    reading = _reading(data, decoder.name, step)
                    if reading.person is not None:
                        return reading
                    fallback = fallback or reading
            if fallback is not None:
                return fallback
        return None


def _reading(data: bytes, decoder: str, step: str) -> Reading:
    text = qrimage.payload_text(data)
    try:
        person = identity.parse(text)
    except identity.IdentityError as exc:
        return Reading(text, None, exc.message, decoder, step)
    return Reading(text, person, "", decoder, step)


def to_grey(frame: Frame) -> np.ndarray:
    """A contiguous 8-bit greyscale view of a greyscale, BGR or BGRA frame."""
    import cv2
    import numpy as np

    if frame.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if frame.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        frame = cv2.cvtColor(frame, code)
    return np.ascontiguousarray(frame, dtype=np.uint8)


def decoder_names(setting: str) -> list[str]:
    """The decoder a `[scanner].decoder` setting stands for; `auto` is the best one installed.

    Falling back from zxing-cpp to zbar or OpenCV on frames it cannot read recovered none of them in the
    benchmark and cost 10-25 ms per empty camera frame, so `auto` uses one decoder, not a chain.
    """
    if setting == "auto":
        for name in AUTO_ORDER:
            if available(name):
                return [name]
        raise qrimage.ImageError("Chưa cài thư viện giải mã QR nào (zxing-cpp, pyzbar hoặc OpenCV).")
    if setting not in DECODER_CLASSES:
        raise CounterError(f"Bộ giải mã QR “{setting}” không được hỗ trợ.")
    return [setting]


def make_reader(setting: str = "auto") -> Reader:
    """The reader for a `[scanner].decoder` setting; a decoder whose library fails to load in any way
    (pyzbar's DLL without the Visual C++ 2013 runtime raises OSError) gives way to zxing-cpp, and
    the reader's notice says which and why."""
    wanted = decoder_names(setting)[0]
    failures: list[str] = []
    for name in (wanted, *(n for n in AUTO_ORDER if n != wanted)):
        _module, why = platform.try_import(_LOADED[name])
        if not why:
            return Reader([DECODER_CLASSES[name]()], notice=fallback_notice(wanted, name, failures[0]) if failures
                          else "")
        failures.append(why)
    raise qrimage.ImageError(f"Không nạp được thư viện giải mã QR nào ({'; '.join(failures)}).")


def fallback_notice(wanted: str, used: str, why: str) -> str:
    """The sentence telling the clerk which decoder stands in for which, and why."""
    return f"Không nạp được bộ giải mã {LABELS[wanted]} ({why}); dùng {LABELS[used]} thay thế."


def read_file(path: Path, reader: Reader) -> Reading | None:
    """Read the QR code of an image file (never stored anywhere); ImageError if it is not a readable image."""
    import numpy as np
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            grey = np.asarray(image.convert("L"))
    except FileNotFoundError:
        raise qrimage.ImageError(f"Không tìm thấy tệp ảnh {path}.") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise qrimage.ImageError(f"Tệp {path} không phải ảnh đọc được ({exc}).") from None
    return reader.read(grey)
