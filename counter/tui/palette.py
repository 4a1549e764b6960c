"""The command palette in Vietnamese: its prompt, its "no matches" line, the theme chooser."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

NO_MATCHES = "Không có lệnh nào khớp"


class VietnamesePalette(CommandPalette):
    """Textual's command palette, saying "no matches" in Vietnamese."""

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("placeholder", "Tìm lệnh…")
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """As Textual does, with the sentence in Vietnamese (after half a second without a match)."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES))
            self._list_visible = bool(search_value)

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
