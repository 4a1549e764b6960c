"""The key footer: the screen's own keys first, then the counter's; what does not fit is left to the palette."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

APP_ORDER = ("find", "queue", "supervise", "sync_now", "open_image", "quit")
"""The counter's own keys by how often a clerk needs them (after the screen's keys)."""


class KeyFooter(Footer):
    """One line of keys that never runs off the edge: whole keys only, the screen's before the app's."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._width = 0

    def shown_bindings(self) -> list[tuple[Binding, bool, str]]:
        """The keys to show, in order: the focused widget's and the screen's, then the app's by APP_ORDER."""
        seen: set[str] = set()
        own: list[tuple[Binding, bool, str]] = []
        app_keys: list[tuple[Binding, bool, str]] = []
        for node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in seen or binding.action == "command_palette":
                continue
            seen.add(binding.action)
            (app_keys if node is self.app else own).append((binding, enabled, tooltip))
        app_keys.sort(key=lambda item: APP_ORDER.index(item[0].action) if item[0].action in APP_ORDER else 99)
        return own + app_keys

    def compose(self) -> ComposeResult:
        """Whole keys while they fit, the palette key at the right."""
        if not self._bindings_ready:
            return
        palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        room = (self.app.size.width or 80) - 1
        if palette is not None:
            room -= self._width_of(palette[1]) + 1
        for binding, enabled, tooltip in self.shown_bindings():
            width = self._width_of(binding)
            if width > room:
                continue
            room -= width
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            disabled=not enabled, tooltip=tooltip).data_bind(compact=Footer.compact)
        if palette is not None:
            _node, binding, enabled, tooltip = palette
            yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description, binding.action,
                            classes="-command-palette", disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)

    def _width_of(self, binding: Binding) -> int:
        """Cells a compact key takes: key, space, description, and the gap after it."""
        return cell_len(self.app.get_key_display(binding)) + 1 + cell_len(binding.description) + 1

    def on_resize(self, event: events.Resize) -> None:
        """A narrower or wider terminal holds fewer or more keys."""
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)

    def keys_shown(self) -> list[Any]:
        """The actions whose keys are on the footer now (for tests and the palette)."""
        return [key.action for key in self.query(FooterKey) if not key.has_class("-command-palette")]
