"""The core never imports the UI: each core module is imported in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import counter
import sync

CORE_MODULES = sorted(
    name for package in (counter, sync)
    for _, name, _ in pkgutil.walk_packages(package.__path__, package.__name__ + ".")
    if not name.startswith("counter.tui") and not name.endswith("__main__")
)


def test_core_modules_do_not_load_textual() -> None:
    """No core or sync module pulls textual into sys.modules."""
    script = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "    leaked = [m for m in sys.modules if m == 'textual' or m.startswith(('textual.', 'counter.tui'))]\n"
        "    assert not leaked, (name, leaked[:3])\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "counter.citizens.identity" in CORE_MODULES and "counter.records.dossiers" in CORE_MODULES
