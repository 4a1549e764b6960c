"""ESC/POS bytes for a thermal printer: the document as a raster image (GS v 0), then feed and cut."""

from __future__ import annotations

from typing import Any

INIT = b"\x1b@"
FEED_AND_CUT = b"\x1b\x64\x04" + b"\x1dV\x42\x00"
BAND_ROWS = 256
"""Rows per GS v 0 command: many printers buffer only a few hundred rows of one image."""


def raster_commands(image: Any) -> bytes:
    """GS v 0 commands printing a 1-bit image (black = 1 bits), in bands of BAND_ROWS rows."""
    from PIL import Image

    mono = image.convert("1")
    width_bytes = (mono.width + 7) // 8
    padded = Image.new("1", (width_bytes * 8, mono.height), 1)
    padded.paste(mono, (0, 0))
    # PIL packs mode "1" with white = 1; ESC/POS wants black = 1.
    data = bytes(b ^ 0xFF for b in padded.tobytes())
    out = bytearray()
    for top in range(0, mono.height, BAND_ROWS):
        rows = min(BAND_ROWS, mono.height - top)
        out += b"\x1dv0\x00" + width_bytes.to_bytes(2, "little") + rows.to_bytes(2, "little")
        out += data[top * width_bytes:(top + rows) * width_bytes]
    return bytes(out)


def job_bytes(image: Any) -> bytes:
    """A whole print job: initialise, the raster, feed and cut."""
    return INIT + raster_commands(image) + FEED_AND_CUT
