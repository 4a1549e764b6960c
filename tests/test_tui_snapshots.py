"""Snapshots of the key screens at 120×40 (update only after looking at the report)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from counter.tui.app import CounterApp
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.tui_helpers import make_app, ready, scan, settle

SIZE = (120, 40)


@pytest.fixture
def app(config_path: Path) -> CounterApp:
    """The real app on a fresh test counter."""
    return make_app(config_path)


def _steady_cursors(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


async def _home_with_card(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await scan(pilot, MOTHER_PAYLOAD)
    _steady_cursors(pilot)


async def _form_with_two_people(pilot: Pilot[Any]) -> None:
    await _home_with_card(pilot)
    search = pilot.app.screen.query_one("#procedure-search", Input)
    search.value = "ket hon"
    await pilot.press("enter")
    await settle(pilot)
    await scan(pilot, VALID_PAYLOAD, enter=True)
    await pilot.press("f2")
    await settle(pilot)
    _steady_cursors(pilot)
    await pilot.pause()


def test_home_after_scan(app: CounterApp, snap_compare: Any) -> None:
    """The citizen card beside the procedure list."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_home_with_card)


def test_form_prefilled_with_errors(app: CounterApp, snap_compare: Any) -> None:
    """The marriage form: bride and groom from two scans, the missing fields with their reasons."""
    assert snap_compare(app, terminal_size=SIZE, run_before=_form_with_two_people)
