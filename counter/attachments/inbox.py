"""The scanner's folder (`[digitisation] inbox`): its scans newest first, with pages and size for a preview."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
LIMIT = 40


@dataclass(frozen=True)
class InboxFile:
    """One file in the scanner's folder."""

    path: Path
    size: int
    modified: datetime
    pages: int | None
    """None when the file cannot be read (it is then refused, with the reason, if chosen)."""

    def preview(self) -> str:
        """One line: name, pages, size and time."""
        pages = f"{self.pages} trang" if self.pages else "không đọc được"
        size = f"{self.size / 1_048_576:.1f} MB" if self.size >= 1_048_576 else f"{max(1, self.size // 1024)} KB"
        return f"{self.path.name} · {pages} · {size} · {self.modified:%H:%M %d/%m}"


def count_pages(path: Path) -> int | None:
    """Pages of a PDF or frames of an image, read cheaply (headers only), or None."""
    try:
        head = path.read_bytes()[:5] if path.suffix.lower() == ".pdf" else b""
        if head.startswith(b"%PDF-"):
            import pikepdf

            with pikepdf.open(io.BytesIO(path.read_bytes())) as pdf:
                return len(pdf.pages)
        from PIL import Image

        with Image.open(path) as image:
            return int(getattr(image, "n_frames", 1))
    except Exception:  # a half-written or foreign file: shown as unreadable, refused with its reason if chosen
        return None


def scans(folder: str) -> list[InboxFile]:
    """Scans in `folder`, newest first (at most LIMIT: each is opened to count its pages); [] when unset or missing."""
    if not folder:
        return []
    root = Path(folder).expanduser()
    try:
        entries = [p for p in root.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES]
    except OSError:
        return []
    stats = sorted(((p, p.stat()) for p in entries), key=lambda item: item[1].st_mtime, reverse=True)[:LIMIT]
    return [InboxFile(p, s.st_size, datetime.fromtimestamp(s.st_mtime), count_pages(p)) for p, s in stats]
