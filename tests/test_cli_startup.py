"""Instant starts: `counter --help`, `qr parse` and `forms` import neither sqlmodel nor textual."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import VALID_PAYLOAD

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
    assert heavy == [] or (argv[0] == "dossier" and "textual" not in heavy)


def test_help_lists_every_command(config_path: Path) -> None:
    """The light top-level help still names every command with its help line."""
    from counter.cli import COMMANDS

    output, _ = loaded_after(["--help"], config_path)
    for name, (_, help_line) in COMMANDS.items():
        assert name in output and help_line in output
