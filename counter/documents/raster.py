"""Render a Document as one black-and-white image for 80 mm thermal printers (diacritics as pixels)."""

from __future__ import annotations

from typing import Any

from counter.documents.fonts import FontFamily
from counter.documents.model import Block, Columns, Document, Field, Qr, Signatures, Space, Text
from counter.qrdraw import qr_image

DOTS_80MM = 576
"""Printable width of an 80 mm head at 203 dpi (72 mm)."""
DOTS_PER_MM = 8
BASE_PX = 22
MARGIN = 6


class _Canvas:
    """A growing white image that blocks are drawn onto from top to bottom."""

    def __init__(self, font: FontFamily, width: int) -> None:
        from PIL import Image, ImageDraw

        self.family = font
        self.width = width
        self.image = Image.new("L", (width, 4000), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.y = MARGIN
        self._fonts: dict[tuple[str, int], Any] = {}

    def font(self, style: str, size: float) -> Any:
        """The PIL font of a style and relative size (cached)."""
        from PIL import ImageFont

        pixels = round(BASE_PX * size)
        key = (style, pixels)
        if key not in self._fonts:
            path = {"B": self.family.bold, "I": self.family.italic}.get(style, self.family.regular)
            self._fonts[key] = ImageFont.truetype(str(path), pixels)
        return self._fonts[key]

    def ensure(self, height: int) -> None:
        """Grow the image so that `height` more pixels fit below y."""
        from PIL import Image, ImageDraw

        if self.y + height < self.image.height:
            return
        bigger = Image.new("L", (self.width, max(self.image.height * 2, self.y + height + 100)), 255)
        bigger.paste(self.image, (0, 0))
        self.image, self.draw = bigger, ImageDraw.Draw(bigger)

    def wrap(self, text: str, font: Any, width: int) -> list[str]:
        """Lines of `text` that fit `width` pixels, broken between words."""
        lines: list[str] = []
        for paragraph in text.split("\n"):
            current = ""
            for word in paragraph.split(" "):
                candidate = f"{current} {word}" if current else word
                if current and font.getlength(candidate) > width:
                    lines.append(current)
                    current = word
                else:
                    current = candidate
            lines.append(current)
        return lines

    def text(self, block: Text, x: int = MARGIN, width: int | None = None) -> None:
        """A wrapped, aligned paragraph, optionally inside a column starting at `x`."""
        font = self.font(block.style, block.size)
        indent = round(block.indent * DOTS_PER_MM / 2)
        width = (width or self.width - 2 * MARGIN) - indent
        line_height = round(font.size * 1.3)
        for line in self.wrap(block.text, font, width):
            self.ensure(line_height)
            length = font.getlength(line)
            left = x + indent + {"C": (width - length) / 2, "R": width - length}.get(block.align, 0)
            self.draw.text((left, self.y), line, font=font, fill=0)
            self.y += line_height

    def block(self, block: Block) -> None:
        """Draw any block (header columns and QR stacked: the roll is narrow)."""
        if isinstance(block, Text):
            self.text(block)
        elif isinstance(block, Field):
            self.field(block)
        elif isinstance(block, Columns):
            for item in (*block.left, *block.right):
                self.text(item)
        elif isinstance(block, Qr):
            self.qr(block)
        elif isinstance(block, Signatures):
            self.signatures(block)
        elif isinstance(block, Space):
            self.y += round(block.mm * DOTS_PER_MM)

    def field(self, block: Field) -> None:
        """"Label: value", or the label followed by dots to the end of the line for handwriting."""
        if block.value:
            self.text(Text(f"{block.label}: {block.value}", indent=block.indent))
            return
        font = self.font("", 1.0)
        width = self.width - 2 * MARGIN - round(block.indent * DOTS_PER_MM / 2)
        last = self.wrap(f"{block.label}:", font, width)[-1]
        dots = int((width - font.getlength(last + " ")) / font.getlength(".")) - 1
        if dots < 8:
            last, dots = "", int(width / font.getlength(".")) - 1
        self.text(Text(f"{block.label}:{' ' if last else chr(10)}{'.' * dots}", indent=block.indent))

    def qr(self, block: Qr) -> None:
        """The text beside the QR code, then the code centred below it."""
        for item in block.beside:
            self.text(item)
        code = qr_image(block.payload, box_size=6, border=2).convert("L")
        self.ensure(code.height)
        self.image.paste(code, ((self.width - code.width) // 2, self.y))
        self.y += code.height

    def signatures(self, block: Signatures) -> None:
        """Signature blocks side by side; names aligned on one line below the room to sign."""
        if block.dated:
            self.text(Text(block.dated, "I", "C", 0.9))
        slot = (self.width - 2 * MARGIN) // len(block.blocks)
        top, bottom = self.y, self.y
        for index, signature in enumerate(block.blocks):
            self.y = top
            self.text(Text(signature.title, "B", "C", 0.9), MARGIN + slot * index, slot)
            self.text(Text(signature.note, "I", "C", 0.75), MARGIN + slot * index, slot)
            bottom = max(bottom, self.y)
        names_at = bottom + 18 * DOTS_PER_MM
        for index, signature in enumerate(block.blocks):
            self.y = names_at
            self.text(Text(signature.name, "B", "C", 0.9), MARGIN + slot * index, slot)


def render_image(doc: Document, font: FontFamily, width: int = DOTS_80MM) -> Any:
    """A 1-bit PIL image of every page of `doc`, one under the other, `width` dots wide."""
    canvas = _Canvas(font, width)
    for page in doc.pages:
        for block in page.blocks:
            canvas.block(block)
        canvas.y += 8 * DOTS_PER_MM
    return canvas.image.crop((0, 0, width, canvas.y)).point(lambda v: 0 if v < 160 else 255, mode="1")
