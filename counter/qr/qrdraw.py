"""Draw QR codes: as images (receipts, tests) and as half-block text for the terminal."""

from __future__ import annotations

from typing import Any


def make_qr(payload: str, border: int = 2) -> Any:
    """A qrcode.QRCode holding `payload` as UTF-8 bytes, error correction M."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=border)
    code.add_data(payload.encode("utf-8"))
    code.make(fit=True)
    return code


def qr_image(payload: str, box_size: int = 4, border: int = 4) -> Any:
    """A PIL image of the QR code of `payload`."""
    code = make_qr(payload, border)
    code.box_size = box_size
    return code.make_image(fill_color="black", back_color="white").get_image()


def qr_data_url(payload: str, box_size: int = 6) -> str:
    """The QR code of `payload` as a PNG data URL, for a page that loads nothing from outside."""
    import base64
    import io

    buffer = io.BytesIO()
    qr_image(payload, box_size).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def qr_text(payload: str) -> str:
    """The QR code as lines of half-block characters (two modules per character row)."""
    matrix = make_qr(payload).get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    glyphs = {(False, False): "█", (True, False): "▄", (False, True): "▀", (True, True): " "}
    return "\n".join(
        "".join(glyphs[(top, bottom)] for top, bottom in zip(matrix[row], matrix[row + 1], strict=True))
        for row in range(0, len(matrix), 2)
    )
