"""The layout model shared by every document: pages of simple blocks that the PDF and raster renderers draw.

Sizes are relative to the paper's base font size, so one document lays out on A4, A5 and 80 mm paper.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SMALL = 0.85
TITLE = 1.2


@dataclass(frozen=True)
class Text:
    """A paragraph, wrapped to the width; style "" (regular), "B" (bold) or "I" (italic)."""

    text: str
    style: str = ""
    align: str = "L"
    size: float = 1.0
    indent: float = 0.0
    """Left indent in millimetres."""


@dataclass(frozen=True)
class Field:
    """"Label: value"; an empty value prints dotted lines for the citizen to fill in by hand."""

    label: str
    value: str
    blank_lines: int = 1
    indent: float = 0.0


@dataclass(frozen=True)
class Columns:
    """Two columns of centred lines side by side (the header: unit on the left, national motto right)."""

    left: tuple[Text, ...]
    right: tuple[Text, ...]


@dataclass(frozen=True)
class Qr:
    """A QR code at the right margin with lines of text beside it on the left."""

    payload: str
    size_mm: float = 24.0
    beside: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Signature:
    """One signature block: who signs, the instruction in brackets, and the printed name."""

    title: str
    note: str = "(Ký và ghi rõ họ tên)"
    name: str = ""


@dataclass(frozen=True)
class Signatures:
    """Signature blocks side by side, with room to sign above the names; `dated` goes above them."""

    blocks: tuple[Signature, ...]
    dated: str = ""
    """A place-and-date line printed right-aligned above the blocks ("" for none)."""


@dataclass(frozen=True)
class Space:
    """Vertical space in millimetres."""

    mm: float = 3.0


Block = Text | Field | Columns | Qr | Signatures | Space


@dataclass(frozen=True)
class Page:
    """One printed page (one copy of a receipt is one page); it may overflow onto more sheets."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    """A printable document of one dossier: what it is, its pages, and the job title for the spooler."""

    kind: str
    dossier_code: str
    title: str
    pages: tuple[Page, ...] = field(default_factory=tuple)
