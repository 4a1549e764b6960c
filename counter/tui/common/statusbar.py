"""The status bar: named segments (counter, clerk, pending, and whatever sync adds), wrapped when narrow."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

STYLES = {None: "$text-muted", "-warning": "$warning bold", "-error": "$error bold", "-ok": "$success",
          "-busy": "$accent"}
"""How each segment state looks (theme variables, so every theme keeps its colours)."""


class StatusBar(Static):
    """Segments in one line, continued on a second (or third) line when the terminal is narrow."""

    def __init__(self, order: tuple[str, ...] = (), *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._segments: dict[str, tuple[str, str | None]] = {name: ("", None) for name in order}

    def set_segment(self, name: str, text: str, css_class: str | None = None) -> None:
        """Show `text` in segment `name` (added at the end if new); `css_class` marks its state."""
        if self._segments.get(name) == (text, css_class):
            return
        self._segments[name] = (text, css_class)
        self.update(self._content())

    def segment_text(self, name: str) -> str:
        """The text a segment shows ("" when unknown)."""
        return self._segments.get(name, ("", None))[0]

    def _content(self) -> Content:
        """Every non-empty segment, styled by its state, with a space either side."""
        parts = [(f" {text} ", STYLES.get(css_class, "$text-muted")) for text, css_class in self._segments.values()
                 if text]
        return Content.assemble(*parts)

    def on_mount(self) -> None:
        """Show the segments the app already knows (a screen opened later starts up to date)."""
        for name, (text, css_class) in getattr(self.app, "status_segments", {}).items():
            self.set_segment(name, text, css_class)
