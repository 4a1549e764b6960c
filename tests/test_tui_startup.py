"""The app paints its first frame before the heavy libraries are imported."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sqlmodel", "sqlalchemy", "requests", "PIL", "pyzbar", "qrcode", "cv2", "zxingcpp", "numpy")


def test_importing_the_app_loads_no_heavy_module() -> None:
    """sqlmodel, requests, PIL, decoders… are imported lazily (after the first frame)."""
    code = f"import sys, counter.tui.app; print([m for m in {HEAVY!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
