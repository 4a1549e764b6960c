"""What every supervisor pane shares: the desk (counter.tui.desk) and a `load` that reads in a worker."""

from __future__ import annotations

from textual.containers import Vertical

from counter.tui.desk import Desk, desk_of


class Pane(Vertical):
    """A tab of the supervisor screen; `load` reads its data again, `shift` moves to another period."""

    @property
    def desk(self) -> Desk:
        """The counter this pane works for: its context and signed-in account."""
        return desk_of(self)

    def load(self) -> None:
        """Read the pane's data (in a worker)."""

    def shift(self, steps: int) -> None:
        """Show the previous (-1) or next (+1) day or month, where that means something."""
