"""Read QR codes from images with zbar (pyzbar), returning the exact bytes of each code.

zbar guesses a character set for QR byte segments and sometimes picks Shift-JIS for Vietnamese
UTF-8 (research/perf-reliability.md §1.3). We switch on zbar's binary mode so it returns the raw
bytes, and decode them as UTF-8 ourselves; where the library is too old for that, the identity
parser's mojibake repair still recovers the text.
"""

from __future__ import annotations

import ctypes
from pathlib import Path
from typing import Any

from counter import platform
from counter.errors import CounterError

ZBAR_CFG_BINARY = 4


class ImageError(CounterError):
    """The image cannot be read or holds no QR code."""

    title = "Không đọc được ảnh"


def _zbar() -> Any:
    pyzbar, why = platform.try_import("pyzbar.pyzbar")
    if pyzbar is None:  # ImportError without libzbar0; OSError on Windows without the VC++ 2013 runtime
        remedy = "cài Visual C++ 2013 Redistributable (x64)" if platform.WINDOWS else "cài gói libzbar0"
        raise ImageError(f"Không nạp được thư viện giải mã QR zbar ({why}); {remedy} hoặc dùng zxing-cpp.")
    from pyzbar import wrapper

    return pyzbar, wrapper


def decode_pixels(pixels: bytes, width: int, height: int) -> list[bytes]:
    """Raw payload bytes of every QR code in an 8-bit greyscale image."""
    pyzbar, wrapper = _zbar()
    results: list[bytes] = []
    with pyzbar._image_scanner() as scanner:
        for symbol in wrapper.ZBarSymbol:
            wrapper.zbar_image_scanner_set_config(scanner, symbol, wrapper.ZBarConfig.CFG_ENABLE, 0)
        qr = wrapper.ZBarSymbol.QRCODE
        wrapper.zbar_image_scanner_set_config(scanner, qr, wrapper.ZBarConfig.CFG_ENABLE, 1)
        wrapper.zbar_image_scanner_set_config(scanner, qr, ZBAR_CFG_BINARY, 1)
        with pyzbar._image() as image:
            wrapper.zbar_image_set_format(image, pyzbar._FOURCC["L800"])
            wrapper.zbar_image_set_size(image, width, height)
            buffer = ctypes.c_char_p(pixels)
            wrapper.zbar_image_set_data(image, ctypes.cast(buffer, ctypes.c_void_p), len(pixels), None)
            if wrapper.zbar_scan_image(scanner, image) > 0:
                for symbol in pyzbar._symbols_for_image(image):
                    results.append(ctypes.string_at(wrapper.zbar_symbol_get_data(symbol),
                                                    wrapper.zbar_symbol_get_data_length(symbol)))
    return results


def decode_image(image: Any) -> list[bytes]:
    """Raw payload bytes of every QR code in a PIL image."""
    grey = image.convert("L")
    return decode_pixels(grey.tobytes(), grey.width, grey.height)


def decode_file(path: Path) -> list[bytes]:
    """Raw payload bytes of every QR code in an image file; ImageError if it cannot be read."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.load()
            return decode_image(image)
    except FileNotFoundError:
        raise ImageError(f"Không tìm thấy tệp ảnh {path}.") from None
    except (UnidentifiedImageError, OSError) as exc:
        raise ImageError(f"Tệp {path} không phải ảnh đọc được ({exc}).") from None


def payload_text(data: bytes) -> str:
    """Text of a QR payload: UTF-8 when valid, else Latin-1 so that nothing is lost before repair."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
