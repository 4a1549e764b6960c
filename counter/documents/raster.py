"""The 80 mm thermal raster: the document's 80 mm PDF, rasterised with pypdfium2 (diacritics as pixels).

One layout, rendered once: the PDF renderer lays out every document, and the thermal printer, the
system spooler and Windows printing all take that PDF; nothing here lays text out a second time.
"""

from __future__ import annotations

from typing import Any

from counter.documents.fonts import FontFamily
from counter.documents.model import Document
from counter.documents.pdf import PAPER, render_pdf

DOTS_80MM = 576
"""Printable width of an 80 mm head at 203 dpi (72 mm)."""
DOTS_PER_MM = 8
MM_PER_PT = 25.4 / 72
THRESHOLD = 160


def rasterise(pdf: bytes, width: int = DOTS_80MM) -> Any:
    """A 1-bit PIL image of every page of an 80 mm PDF, one under the other, `width` dots wide."""
    import pypdfium2
    from PIL import Image

    margin = round(PAPER["80mm"].left * DOTS_PER_MM)
    pages = []
    document = pypdfium2.PdfDocument(pdf)
    try:
        for index in range(len(document)):
            bitmap = document[index].render(scale=DOTS_PER_MM * MM_PER_PT, grayscale=True)
            image = bitmap.to_pil().convert("L")
            pages.append(image.crop((margin, 0, margin + width, image.height)))
    finally:
        document.close()
    sheet = Image.new("L", (width, sum(page.height for page in pages)), 255)
    top = 0
    for page in pages:
        sheet.paste(page, (0, top))
        top += page.height
    return sheet.point(lambda v: 0 if v < THRESHOLD else 255, mode="1")


def render_image(doc: Document, font: FontFamily, width: int = DOTS_80MM) -> Any:
    """The thermal raster of `doc`: its 80 mm PDF (the one layout), rasterised at 203 dpi."""
    return rasterise(render_pdf(doc, font, "80mm"), width)
