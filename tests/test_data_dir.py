"""A data directory that cannot be used is one sentence: on the app's screen at once, exit 1 on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.tui.common.failed import StartFailedScreen
from tests.conftest import run_cli, write_config
from tests.tui_helpers import make_app, shown

REFUSAL = "Không dùng được thư mục dữ liệu"


@pytest.fixture
def file_as_data_dir(tmp_path: Path) -> Path:
    """A configuration whose data directory is an ordinary file."""
    config = write_config(tmp_path / "c")
    (tmp_path / "c" / "data").write_text("not a directory", encoding="utf-8")
    return config


async def test_app_says_why_on_the_screen(file_as_data_dir: Path) -> None:
    """The app shows the sentence instead of "Đang mở cơ sở dữ liệu…" forever; Ctrl+Q leaves with status 1."""
    app = make_app(file_as_data_dir, clerk=None)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown(pilot, REFUSAL, "đã có một tệp trùng tên ở đó")
        assert isinstance(app.screen, StartFailedScreen)
        assert "Đang mở cơ sở dữ liệu" not in app.screen.query_one("#status").render().plain  # type: ignore[union-attr]
        await pilot.press("ctrl+q")
    assert app.failure.startswith(REFUSAL)


def test_cli_says_why_in_one_line(file_as_data_dir: Path) -> None:
    """A command on a data directory that is a file: exit 1, one line, no traceback."""
    result = run_cli("dossier", "list", config=file_as_data_dir)
    assert result.returncode == 1
    assert REFUSAL in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_cli_under_proc(tmp_path: Path) -> None:
    """A data directory under /proc (it cannot be made): one sentence, exit 1."""
    config = write_config(tmp_path / "c")
    result = run_cli("dossier", "list", config=config, env={"COUNTER_DATA_DIR": "/proc/self/nope/data"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"counter: {REFUSAL} /proc/self/nope/data")
