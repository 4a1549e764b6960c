"""Tell a keyboard-wedge scanner's burst of keystrokes from the clerk's typing, on every screen.

The app hands every key event that arrives from the terminal to `KeyboardScanner.key` before
Textual dispatches it. The first key after a pause goes through at once (no lag for typing), after
a snapshot of the focused field is taken. Keys that follow it within `gap` seconds are held back.
When the burst ends (a pause, Enter or Tab) it is judged: a scan is posted as ScanReceived and the
focused field is put back exactly as the snapshot had it; plain fast typing is released to the
focused widget in order. Keys arriving right after a scan (a late Enter, a 2024 card's trailing
separators) are swallowed. Screens must not bind printable keys (use F-keys and ctrl+…), since
the first key of a burst reaches the focused widget before the burst is recognised.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from textual import events
from textual.app import App
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, TextArea

from counter.tui.messages import ScanReceived
from counter.tui.scan.payload import burst_is_scan, paste_is_scan, settle_delay

TERMINATORS = ("enter", "tab")


class BurstSettled(Message):
    """Internal: no key arrived for the settle delay of burst number `generation`."""

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation


@dataclass
class _Snapshot:
    """What the focused field held before the first key of a burst reached it."""

    widget: Widget | None
    state: Any = None

    @classmethod
    def take(cls, widget: Widget | None) -> _Snapshot:
        """Remember the text and cursor of an Input or TextArea."""
        if isinstance(widget, Input):
            return cls(widget, (widget.value, widget.selection))
        if isinstance(widget, TextArea):
            return cls(widget, (widget.text, widget.selection))
        return cls(widget)

    def restore(self) -> None:
        """Put the field back (runs in the widget's own queue, after the key it already received)."""
        widget, state = self.widget, self.state
        if state is None or widget is None:
            return
        if isinstance(widget, Input):
            widget.value, widget.selection = state
        elif isinstance(widget, TextArea):
            widget.text = state[0]
            widget.selection = state[1]


@dataclass
class _Burst:
    """Keys typed in quick succession, the first already delivered, the rest held."""

    text: str
    last: float
    snapshot: _Snapshot
    held: list[events.Key] = field(default_factory=list)
    max_interval: float = 0.0


class KeyboardScanner:
    """Watches the app's raw key stream for scanner bursts."""

    def __init__(self, app: App[Any], forward: Callable[[events.Event], Awaitable[None]],
                 gap: float = 0.035, floor: float = 0.008) -> None:
        self.app = app
        self.forward = forward
        self.gap = gap
        """Longest pause between two keys of one burst, in seconds."""
        self.floor = floor
        """Shortest wait after a complete payload before it is judged."""
        self._burst: _Burst | None = None
        self._generation = 0
        self._timer: asyncio.TimerHandle | None = None
        self._swallow_until = 0.0

    async def key(self, event: events.Key) -> bool:
        """Look at one key from the terminal; True when it was taken (held or swallowed)."""
        now = event.time
        burst = self._burst
        if burst is not None and now - burst.last > self.gap:
            await self._judge(ended_by_terminator=False)
            burst = None
        if burst is None and now <= self._swallow_until and (event.is_printable or event.key in TERMINATORS):
            self._swallow_until = now + self.gap
            return True
        if event.is_printable and event.character is not None:
            if burst is None:
                self._burst = _Burst(event.character, now, _Snapshot.take(self.app.focused))
                self._schedule()
                return False
            burst.max_interval = max(burst.max_interval, now - burst.last)
            burst.text += event.character
            burst.last = now
            burst.held.append(event)
            self._schedule()
            return True
        if burst is not None:
            terminator = event.key in TERMINATORS
            return await self._judge(ended_by_terminator=terminator) and terminator
        return False

    def paste(self, text: str) -> bool:
        """Look at pasted text; True when it was a scan (posted, not pasted into the field)."""
        if not paste_is_scan(text):
            return False
        self.app.post_message(ScanReceived(text, "paste"))
        return True

    async def settled(self, message: BurstSettled) -> None:
        """The settle timer fired: judge the burst unless a newer key arrived meanwhile."""
        if message.generation == self._generation and self._burst is not None:
            await self._judge(ended_by_terminator=False)

    def _schedule(self) -> None:
        burst = self._burst
        assert burst is not None
        if self._timer is not None:
            self._timer.cancel()
        self._generation += 1
        delay = settle_delay(burst.text, burst.max_interval, self.gap, self.floor)
        self._timer = asyncio.get_running_loop().call_later(
            delay, self.app.post_message, BurstSettled(self._generation))

    async def _judge(self, ended_by_terminator: bool) -> bool:
        """End the burst: post a scan (True) or release the held keys to the focused widget (False)."""
        burst, self._burst = self._burst, None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if burst is None:
            return False
        if burst_is_scan(burst.text, ended_by_terminator):
            widget = burst.snapshot.widget
            if widget is not None and widget.is_attached:
                widget.call_later(burst.snapshot.restore)
            self._swallow_until = burst.last + self.gap
            self.app.post_message(ScanReceived(burst.text, "keyboard"))
            return True
        for held in burst.held:
            await self.forward(held)
        return False
