"""What a screen may use of the running counter, reached through one typed accessor (`desk_of`).

Screens and panes read the configuration, the opened context and the signed-in account here, and call
counter.services with them; they ask the app to move between screens by posting the messages of
counter.tui.messages. Nothing here imports the app, so no screen depends on it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message_pump import MessagePump

from counter.config import Config
from counter.errors import CounterError

if TYPE_CHECKING:
    from counter.context import CounterContext

StatusSetter = Callable[[str, str, "str | None"], None]
"""Sets a named status bar segment on every screen: name, text, CSS class (the app's `set_status`)."""


class Desk:
    """The counter at work: its configuration, its opened database and forms, and who is signed in."""

    def __init__(self, config: Config, clerk: str = "") -> None:
        self.config = config
        self.clerk = clerk
        """Name of the clerk at the counter ("" until chosen)."""
        self.role = ""
        """Role of the signed-in account ("clerk" or "supervisor"; "" when not signed in with a PIN)."""
        self.ticket = ""
        """The queue ticket called to this counter (F8 on the home screen) for the citizen being served."""
        self._ctx: CounterContext | None = None

    @property
    def ctx(self) -> CounterContext:
        """The opened counter (database, forms, calendar); available once the database is open."""
        if self._ctx is None:
            raise CounterError("Cơ sở dữ liệu chưa mở xong, vui lòng đợi.")
        return self._ctx

    @property
    def ready(self) -> bool:
        """True once the database is open."""
        return self._ctx is not None

    def opened(self, ctx: CounterContext) -> None:
        """The database is open: screens may read and write from now on."""
        self._ctx = ctx


class DeskField:
    """An attribute of the app that is the desk's own (`app.clerk` is `app.desk.clerk`)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, holder: DeskHolder | None, owner: type | None = None) -> str:
        if holder is None:
            raise AttributeError(self.name)
        return str(getattr(holder.desk, self.name))

    def __set__(self, holder: DeskHolder, value: str) -> None:
        setattr(holder.desk, self.name, value)


class DeskHolder:
    """Mixin of the app that owns the desk (the only thing `desk_of` looks for)."""

    desk: Desk


def desk_of(node: MessagePump) -> Desk:
    """The desk of the app `node` runs in (any widget, screen or pane)."""
    app = node.app
    if not isinstance(app, DeskHolder):
        raise TypeError("This widget runs outside the counter app.")
    return app.desk
