"""The status bar: named segments (counter, clerk, pending, and whatever sync adds) in one line."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label


class StatusBar(Horizontal):
    """One line of named segments; any part of the app may set or clear a segment by name."""

    def __init__(self, order: tuple[str, ...] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._order = order
        self._segments: dict[str, Label] = {}
        self._texts: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        """Reserve the segments named in `order`, empty until set."""
        for name in self._order:
            label = Label("", id=f"seg-{name}", classes="segment -empty")
            self._segments[name] = label
            yield label

    def set_segment(self, name: str, text: str, css_class: str | None = None) -> None:
        """Show `text` in segment `name` (created at the end if new); `css_class` marks its state."""
        label = self._segments.get(name)
        if label is None:
            label = Label("", id=f"seg-{name}", classes="segment")
            self._segments[name] = label
            self.mount(label)
        label.update(text)
        self._texts[name] = text
        label.set_classes({"segment", *((css_class,) if css_class else ()), *(() if text else ("-empty",))})

    def segment_text(self, name: str) -> str:
        """The text a segment shows ("" when unknown)."""
        return self._texts.get(name, "")

    def on_mount(self) -> None:
        """Show the segments the app already knows (a screen opened later starts up to date)."""
        for name, (text, css_class) in getattr(self.app, "status_segments", {}).items():
            self.set_segment(name, text, css_class)
