"""Render a Document to PDF with fpdf2, embedding a TrueType font that covers Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from counter.documents.fonts import FontFamily
from counter.documents.model import Block, Columns, Document, Field, Qr, Signatures, Space, Text
from counter.qr.qrdraw import qr_image

PT_TO_MM = 25.4 / 72
LINE = 1.3
DOT = "."


@dataclass(frozen=True)
class PaperSpec:
    """Page size, margins (mm) and base font size (pt) of one paper setting."""

    width: float
    height: float
    left: float
    right: float
    top: float
    base_pt: float


PAPER = {
    "A4": PaperSpec(210, 297, 25, 15, 15, 11.5),
    "A5": PaperSpec(148, 210, 14, 10, 10, 9),
    "80mm": PaperSpec(80, 0, 4, 4, 4, 8.5),
}
ROLL_DRAFT_HEIGHT = 2000.0


class _Renderer:
    """Draws the blocks of one page after another on an FPDF object."""

    def __init__(self, pdf: Any, spec: PaperSpec) -> None:
        self.pdf = pdf
        self.spec = spec

    @property
    def content_width(self) -> float:
        """Width between the margins (mm)."""
        return float(self.pdf.w - self.pdf.l_margin - self.pdf.r_margin)

    def font(self, style: str = "", size: float = 1.0) -> float:
        """Select the document font; returns the line height in mm."""
        points = self.spec.base_pt * size
        self.pdf.set_font("doc", style, points)
        return points * PT_TO_MM * LINE

    def text(self, block: Text, x: float | None = None, width: float | None = None) -> None:
        """A wrapped paragraph, optionally inside a column starting at `x`."""
        line = self.font(block.style, block.size)
        left = (self.pdf.l_margin if x is None else x) + block.indent
        self.pdf.set_x(left)
        self.pdf.multi_cell((width or self.content_width) - block.indent, line, block.text, align=block.align,
                            new_x="LEFT", new_y="NEXT")

    def field(self, block: Field) -> None:
        """"Label: value" with the value bold, or the label and dotted lines to write on."""
        line = self.font()
        margin = self.pdf.l_margin
        self.pdf.set_left_margin(margin + block.indent)
        self.pdf.set_x(margin + block.indent)
        label = f"{block.label}: "
        if block.value:
            self.pdf.write(line, label)
            self.font("B")
            self.pdf.write(line, block.value)
            self.pdf.ln(line)
        else:
            dot = self.pdf.get_string_width(DOT)
            width = self.pdf.get_string_width(label)
            free = self.pdf.w - self.pdf.r_margin - self.pdf.get_x() - width
            if free < self.content_width * 0.25:
                self.pdf.multi_cell(0, line, label, new_x="LMARGIN", new_y="NEXT")
                free = self.content_width - block.indent
                width = 0
            self.pdf.cell(width, line, label)
            self.pdf.cell(free, line, DOT * int(free / dot - 2), new_x="LMARGIN", new_y="NEXT")
            for _ in range(block.blank_lines - 1):
                self.pdf.cell(0, line, DOT * int((self.content_width - block.indent) / dot - 2),
                              new_x="LMARGIN", new_y="NEXT")
        self.pdf.set_left_margin(margin)

    def columns(self, block: Columns) -> None:
        """Two header columns side by side (stacked on narrow paper), each underlined."""
        top, width = self.pdf.get_y(), self.content_width
        if not block.left:
            for item in block.right:
                self.text(item)
            self.underline(self.pdf.l_margin, self.content_width)
            return
        if width < 100:
            for item in (*block.left, *block.right):
                self.text(item)
            return
        left_width = width * 0.46
        for item in block.left:
            self.text(item, self.pdf.l_margin, left_width)
        self.underline(self.pdf.l_margin, left_width)
        bottom = self.pdf.get_y()
        self.pdf.set_y(top)
        for item in block.right:
            self.text(item, self.pdf.l_margin + left_width, width - left_width)
        self.underline(self.pdf.l_margin + left_width, width - left_width)
        self.pdf.set_y(max(bottom, self.pdf.get_y()))

    def underline(self, x: float, width: float) -> None:
        """The short rule official documents draw under the header lines."""
        y = self.pdf.get_y() + 1.0
        self.pdf.set_line_width(0.3)
        self.pdf.line(x + width * 0.33, y, x + width * 0.67, y)
        self.pdf.set_y(y + 1)

    def qr(self, block: Qr) -> None:
        """The QR code at the right margin with its text block beside it (stacked on narrow paper)."""
        size = min(block.size_mm, self.content_width * 0.4)
        if self.content_width < 100:
            for item in block.beside:
                self.text(item)
            top = self.pdf.get_y() + 1
            self.pdf.image(qr_image(block.payload, box_size=8), x=(self.pdf.w - size) / 2, y=top, w=size, h=size)
            self.pdf.set_y(top + size + 1)
            return
        top = self.pdf.get_y()
        x = self.pdf.w - self.pdf.r_margin - size
        self.pdf.image(qr_image(block.payload, box_size=8), x=x, y=top, w=size, h=size)
        text_height = sum(self._height(t, self.content_width - size - 3) for t in block.beside)
        self.pdf.set_y(top + max(0.0, (size - text_height) / 2))
        for item in block.beside:
            self.text(item, self.pdf.l_margin, self.content_width - size - 3)
        self.pdf.set_y(max(self.pdf.get_y(), top + size))

    def _height(self, block: Text, width: float) -> float:
        line = self.font(block.style, block.size)
        lines = self.pdf.multi_cell(width - block.indent, line, block.text, dry_run=True, output="LINES")
        return float(len(lines) * line)

    def signatures(self, block: Signatures) -> None:
        """Signature blocks side by side; names aligned on one line below the room to sign."""
        line = self.font()
        need = line * (4 if block.dated else 3) + 22
        if self.spec.height and self.pdf.get_y() + need > self.pdf.h - self.pdf.b_margin:
            self.pdf.add_page()
        count = len(block.blocks)
        slot = self.content_width / count if count > 1 else self.content_width * 0.6
        start = self.pdf.l_margin + (self.content_width - slot if count == 1 else 0)
        if block.dated:
            wide = max(slot, self.content_width * 0.6)
            self.text(Text(block.dated, "I", "C"), self.pdf.l_margin + self.content_width - wide, wide)
        top = self.pdf.get_y()
        bottom = top
        for index, signature in enumerate(block.blocks):
            self.pdf.set_y(top)
            self.text(Text(signature.title, "B", "C"), start + slot * index, slot)
            self.text(Text(signature.note, "I", "C", 0.85), start + slot * index, slot)
            bottom = max(bottom, self.pdf.get_y())
        names_at = bottom + 20
        for index, signature in enumerate(block.blocks):
            self.pdf.set_y(names_at)
            self.text(Text(signature.name or " ", "B", "C"), start + slot * index, slot)
            bottom = max(bottom, self.pdf.get_y())
        self.pdf.set_y(bottom)

    def block(self, block: Block) -> None:
        """Draw any block."""
        if isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Field):
            self.field(block)
        elif isinstance(block, Columns):
            self.columns(block)
        elif isinstance(block, Qr):
            self.qr(block)
        elif isinstance(block, Signatures):
            self.signatures(block)
        elif isinstance(block, Space):
            self.pdf.set_y(self.pdf.get_y() + block.mm)


def _new_pdf(doc: Document, font: FontFamily, spec: PaperSpec) -> Any:
    from fpdf import FPDF

    pdf = FPDF(unit="mm", format=(spec.width, spec.height or ROLL_DRAFT_HEIGHT))
    pdf.set_margins(spec.left, spec.top, spec.right)
    pdf.set_auto_page_break(True, spec.top)
    pdf.add_font("doc", "", str(font.regular))
    pdf.add_font("doc", "B", str(font.bold))
    pdf.add_font("doc", "I", str(font.italic))
    pdf.set_title(doc.title)
    pdf.set_creator("Một Cửa Counter")
    return pdf


def _draw(doc: Document, font: FontFamily, spec: PaperSpec,
          roll_heights: list[float] | None) -> tuple[Any, list[float]]:
    """Draw every page; on a roll each page gets the height given (or the draft height when None)."""
    pdf = _new_pdf(doc, font, spec)
    renderer = _Renderer(pdf, spec)
    heights = []
    for index, page in enumerate(doc.pages):
        if roll_heights is not None:
            pdf.add_page(format=(spec.width, roll_heights[index]))
        else:
            pdf.add_page()
        for block in page.blocks:
            renderer.block(block)
        heights.append(pdf.get_y() + spec.top + 2)
    return pdf, heights


def render_pdf(doc: Document, font: FontFamily, paper: str = "A4") -> bytes:
    """The PDF bytes of `doc` on A4, A5 or an 80 mm roll (one page per copy, the roll cut to length)."""
    spec = PAPER[paper]
    pdf, heights = _draw(doc, font, spec, None)
    if not spec.height:
        pdf, _ = _draw(doc, font, spec, heights)
    return bytes(pdf.output())
