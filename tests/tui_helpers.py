"""Helpers for driving the real counter app with Pilot and reading what the clerk sees."""

from __future__ import annotations

import re
from pathlib import Path

from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot

from counter.config import load_config
from counter.tui.app import CounterApp

TEST_GAP = 0.12
"""Burst gap used in tests: generous so that a loaded machine never splits a typed scan."""


def make_app(config_path: Path, clerk: str | None = "Lê Thị Hoa") -> CounterApp:
    """The real app on a test counter (clerk preselected unless None)."""
    return CounterApp(load_config(config_path), clerk=clerk, burst_gap=TEST_GAP)


def screen_text(pilot: Pilot[None]) -> str:
    """The whole terminal as plain text lines."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


async def settle(pilot: Pilot[None]) -> None:
    """Let bursts settle, workers finish and the screen refresh."""
    await pilot.pause(TEST_GAP + 0.05)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def ready(pilot: Pilot[None]) -> None:
    """Wait until the database is open and the first screen is up."""
    while not pilot.app.ready:  # type: ignore[attr-defined]
        await pilot.pause(0.01)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def scan(pilot: Pilot[None], payload: str, enter: bool = False) -> None:
    """Type a payload as a keyboard-wedge scanner does through a terminal: every key of the burst at once."""
    for char in payload:
        key = char if char.isalnum() else _character_to_key(char)
        pilot.app.post_message(events.Key(key, char))
    if enter:
        pilot.app.post_message(events.Key("enter", "\r"))
    await settle(pilot)


async def type_slowly(pilot: Pilot[None], text: str) -> None:
    """Type like a person: a pause longer than the burst gap between keys."""
    for char in text:
        await pilot.press(char, f"wait:{int(TEST_GAP * 1000) + 60}")


def flat_text(pilot: Pilot[None]) -> str:
    """The terminal as one line: box borders, scroll bars, toast edges and line breaks folded into single spaces,
    so a sentence wrapped over several lines reads whole."""
    return re.sub(r"[\s│╭╮╰╯─▊▎▔▁▆▇▌▍▋▐▂▃▄▅]+", " ", screen_text(pilot))


async def shown(pilot: Pilot[None], *texts: str, tries: int = 300) -> bool:
    """Wait (no wall-clock bound: a loaded machine only makes it slower) until every text is on the terminal,
    read whole across wrapped lines; False if they never appear."""
    for _ in range(tries):
        if all(text in flat_text(pilot) for text in texts):
            return True
        await pilot.pause(0.05)
    return False
