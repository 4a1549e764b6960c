"""Snapshots at 80×24 and 120×40 of the screens that must fit: the foot of a form, a rule's whole sentence,
the hand-over dialog filled by a scan, today's queue, a search, and the supervisor's figures.

The clock is fixed, so no snapshot depends on the day of the run. Update only after looking at the report.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TabbedContent

from counter.accounts import users
from counter.context import CounterContext, open_context
from counter.law import lifecycle
from counter.services.dossiers import change_status
from tests.conftest import FATHER_PAYLOAD, VALID_PAYLOAD
from tests.supervisor_month import build
from tests.test_tui_counter import open_procedure
from tests.test_tui_lookup import saved_dossier
from tests.tui_helpers import make_app, ready, scan, settle, shown

SIZES = [(80, 24), (120, 40)]
IDS = ["80x24", "120x40"]
NOW = datetime(2026, 3, 31, 10, 0)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every screen sees the same moment, whatever the date of the run."""
    monkeypatch.setattr(CounterContext, "now", lambda self: NOW)


@pytest.fixture
def finished(config_path: Path) -> Path:
    """A counter with one finished dossier of Nguyễn Thị Mai Anh."""
    ctx = open_context(config_path)
    try:
        code = saved_dossier(ctx)
        change_status(ctx, code, lifecycle.PROCESSING, "Lê Thị Hoa")
        change_status(ctx, code, lifecycle.DONE, "Lê Thị Hoa")
    finally:
        ctx.close()
    return config_path


def _steady(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False


async def _form_foot(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await scan(pilot, VALID_PAYLOAD)
    await open_procedure(pilot, "ket hon")
    for _ in range(6):
        await pilot.press("pagedown")
    await settle(pilot)
    _steady(pilot)


async def _form_rule(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await scan(pilot, VALID_PAYLOAD)
    await open_procedure(pilot, "ket hon")
    await settle(pilot)
    _steady(pilot)


async def _hand_over(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await pilot.press("f3")
    await settle(pilot)
    pilot.app.screen.query_one("#find-query", Input).value = "nguyen thi mai anh"
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("ctrl+r")
    await settle(pilot)
    await scan(pilot, FATHER_PAYLOAD)
    _steady(pilot)


async def _find(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await pilot.press("f3")
    await settle(pilot)
    pilot.app.screen.query_one("#find-query", Input).value = "nguyen thi mai anh"
    await pilot.press("enter")
    await settle(pilot)
    _steady(pilot)


async def _today(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await pilot.press("f4")
    await settle(pilot)


async def _figures(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    await pilot.press("f10")
    await settle(pilot)
    assert await shown(pilot, "Ngày 31/03/2026")
    pilot.app.screen.query_one(TabbedContent).active = "tab-figures"
    assert await shown(pilot, "Tháng 03/2026", "Tỉ lệ đúng hạn:")
    await settle(pilot)
    _steady(pilot)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_form_foot(config_path: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """PageDown to the foot of the marriage form: the documents and the phone, the cursor in the phone."""
    assert snap_compare(make_app(config_path), terminal_size=size, run_before=_form_foot)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_form_rule_sentence(config_path: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """A man as the bride: the rule's whole sentence, wrapped under the name."""
    assert snap_compare(make_app(config_path), terminal_size=size, run_before=_form_rule)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_hand_over_dialog(finished: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """The hand-over dialog after the receiver's card was scanned into it."""
    assert snap_compare(make_app(finished), terminal_size=size, run_before=_hand_over)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_find_results(finished: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """F3 results keep the code, the name and the status."""
    assert snap_compare(make_app(finished), terminal_size=size, run_before=_find)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_today(finished: Path, size: tuple[int, int], snap_compare: Any) -> None:
    """F4 keeps the code, the name and the status."""
    assert snap_compare(make_app(finished), terminal_size=size, run_before=_today)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_supervisor_figures(config_path: Path, fast_pins: None, size: tuple[int, int], snap_compare: Any) -> None:
    """Số liệu: the on-time rate and its formula at the top, the totals, the groups."""
    ctx = open_context(config_path)
    try:
        build(ctx)
        users.add_clerk(ctx, "Lê Văn Giám", users.SUPERVISOR, "482916", by="test")
    finally:
        ctx.close()
    app = make_app(config_path, clerk="Lê Văn Giám")
    assert snap_compare(app, terminal_size=size, run_before=_figures)
