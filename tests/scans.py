"""Real scan files made for the attachment tests: Pillow images at given resolutions, a multi-page TIFF,
PDFs (plain, encrypted, with JavaScript, with an embedded file), truncated copies."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pikepdf
from PIL import Image, ImageDraw


def page(width: int = 827, height: int = 1169, seed: int = 1, mode: str = "RGB") -> Image.Image:
    """An A4-shaped page with noise and text-like strokes (so compressed data is not trivially small)."""
    rng = random.Random(seed)
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    for line in range(40, height - 40, 28):
        x = 40
        while x < width - 80:
            word = rng.randint(20, 90)
            draw.rectangle((x, line, x + word, line + 12), fill="black" if mode != "RGB" else (20, 20, 60))
            x += word + rng.randint(8, 20)
    return image


def jpeg(path: Path, dpi: int = 300, seed: int = 1, size: tuple[int, int] = (827, 1169)) -> Path:
    """A JPEG page saved with its resolution."""
    page(*size, seed=seed).save(path, format="JPEG", quality=80, dpi=(dpi, dpi))
    return path


def png(path: Path, dpi: int = 300, seed: int = 2, alpha: bool = False) -> Path:
    """A PNG page (RGBA when `alpha`)."""
    image = page(seed=seed)
    (image.convert("RGBA") if alpha else image).save(path, format="PNG", dpi=(dpi, dpi))
    return path


def tiff(path: Path, pages: int = 3, dpi: int = 300) -> Path:
    """A real multi-page bilevel TIFF (CCITT G4, as document scanners write)."""
    frames = [page(seed=10 + i, mode="1") for i in range(pages)]
    frames[0].save(path, format="TIFF", save_all=True, append_images=frames[1:], compression="group4",
                   dpi=(dpi, dpi))
    return path


def pdf(path: Path, pages: int = 2, javascript: bool = False, embedded: bool = False,
        password: str | None = None) -> Path:
    """A PDF of blank pages; optionally carrying JavaScript, an embedded file or encryption."""
    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(595, 842))
    if javascript:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
        document.Root.OpenAction = document.make_indirect(action)
    if embedded:
        document.attachments["note.txt"] = pikepdf.AttachedFileSpec(document, b"hello", mime_type="text/plain")
    encryption = pikepdf.Encryption(owner="owner-secret", user=password) if password is not None else False
    document.save(path, encryption=encryption)
    return path


def truncated(source: Path, path: Path) -> Path:
    """The first half of `source`."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def pdf_bytes(data: bytes) -> int:
    """Pages of a PDF held in memory."""
    with pikepdf.open(io.BytesIO(data)) as document:
        return len(document.pages)
