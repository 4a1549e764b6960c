"""What every supervisor pane shares: typed access to the app and a `load` that reads in a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.containers import Vertical

if TYPE_CHECKING:
    from counter.tui.app import CounterApp


class Pane(Vertical):
    """A tab of the supervisor screen; `load` reads its data again, `shift` moves to another period."""

    @property
    def counter_app(self) -> CounterApp:
        """The running CounterApp (typed)."""
        return cast("CounterApp", self.app)

    def load(self) -> None:
        """Read the pane's data (in a worker)."""

    def shift(self, steps: int) -> None:
        """Show the previous (-1) or next (+1) day or month, where that means something."""
