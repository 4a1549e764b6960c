"""Print figures: median time to lay out and render a receipt as A4 PDF and as an 80 mm ESC/POS raster."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from counter.context import open_context
from counter.documents.escpos import job_bytes
from counter.documents.fonts import find_font
from counter.documents.model import Document
from counter.documents.pdf import render_pdf
from counter.documents.printing import prepare
from counter.documents.raster import render_image
from tests.conftest import MOTHER_PAYLOAD, write_config
from tests.documents_helpers import birth_dossier

RUNS = 15


def median_ms(job: Callable[[], object]) -> float:
    """Median wall time of RUNS calls, in milliseconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        job()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Create one dossier in a temporary counter and time its documents."""
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(write_config(Path(folder)))
        try:
            code = birth_dossier(ctx, MOTHER_PAYLOAD).code
            font = find_font()

            def roll() -> Document:
                return prepare(ctx, "receipt", code, "80mm")

            figures = {
                "receipt A4 PDF (2 copies)": lambda: render_pdf(prepare(ctx, "receipt", code, "A4"), font, "A4"),
                "declaration A4 PDF": lambda: render_pdf(prepare(ctx, "form", code, "A4"), font, "A4"),
                "receipt 80mm PDF (the raster's one layout)": lambda: render_pdf(roll(), font, "80mm"),
                "receipt 80mm ESC/POS raster (that PDF rasterised)": lambda: job_bytes(render_image(roll(), font)),
            }
            for name, job in figures.items():
                print(f"{name}: median {median_ms(job):.0f} ms over {RUNS} runs")
        finally:
            ctx.close()


if __name__ == "__main__":
    main()
