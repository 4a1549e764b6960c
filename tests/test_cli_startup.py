"""Instant starts: `counter --help`, `qr parse` and `forms` import neither sqlmodel nor textual; `dossier show` and
`report daily` open the store, read and audit without sqlmodel or SQLAlchemy."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from counter.context import open_context
from counter.custody import audit
from counter.services.demo import demo_draft
from counter.services.dossiers import create_dossier
from tests.conftest import CLERK_NAME, SUPERVISOR_NAME, VALID_PAYLOAD, Cli

HEAVY = ("sqlmodel", "sqlalchemy", "textual", "requests", "PIL", "cv2", "numpy")


def loaded_after(argv: list[str], config: Path) -> tuple[str, list[str]]:
    """Run `counter argv` in a fresh interpreter; its output and the heavy modules it imported."""
    code = (
        "import contextlib, io, json, sys\n"
        "from counter.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):\n"
        f"    main({argv!r})\n"
        f"print(json.dumps([out.getvalue(), [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "COUNTER_CONFIG": str(config)})
    output, heavy = json.loads(result.stdout.strip().splitlines()[-1])
    return output, heavy


@pytest.mark.parametrize("argv", [["--help"], ["qr", "parse", VALID_PAYLOAD], ["forms", "list"],
                                  ["forms", "list", "--json"], ["dossier", "--help"]])
def test_light_commands_import_no_heavy_module(argv: list[str], config_path: Path) -> None:
    """The command does its work (prints something) without importing sqlmodel, textual or the rest."""
    output, heavy = loaded_after(argv, config_path)
    assert output.strip()
    assert heavy == []


def test_help_lists_every_command(config_path: Path) -> None:
    """The light top-level help still names every command with its help line."""
    from counter.cli import COMMANDS

    output, _ = loaded_after(["--help"], config_path)
    for name, (_, help_line) in COMMANDS.items():
        assert name in output and help_line in output


def test_show_and_daily_read_and_audit_without_the_orm(supervisor_cli: Cli, config_path: Path) -> None:
    """`dossier show` and `report daily`, signed in, print the dossier and the day's figures and write their
    views under the account into an unbroken audit chain, with neither sqlmodel nor SQLAlchemy imported."""
    ctx = open_context(config_path)
    try:
        form = ctx.forms["khai-sinh"]
        dossier = create_dossier(ctx, demo_draft(form, random.Random(1), ctx.now().date()), CLERK_NAME)
    finally:
        ctx.close()
    shown, heavy = loaded_after(["dossier", "show", dossier.code], config_path)
    assert heavy == [] and dossier.code in shown and form.title in shown and dossier.applicant_name in shown
    daily, heavy = loaded_after(["report", "daily", "--json"], config_path)
    assert heavy == [] and json.loads(daily)["received"] == 1
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            seen = [(e.clerk, e.action, e.subject_kind, e.subject_ref) for e in audit.entries(session, limit=2)]
            assert audit.verify(session).ok
    finally:
        ctx.close()
    day = ctx.now().date().isoformat()
    assert seen == [(SUPERVISOR_NAME, "export", "report", f"day {day}"),
                    (SUPERVISOR_NAME, "view", "dossier", dossier.code)]
