"""counter.platform: the Windows branches' decisions (paths, ACL, printer choice, page placement) run here,
and the parts that work on this machine (console, lp, permissions, library loading) run for real."""

from __future__ import annotations

import importlib.util
import io
import os
import stat
import sys
from pathlib import Path

import pytest

from counter import platform
from counter.platform import PrintError
from counter.qr import decoders
from counter.store import keys
from tests.conftest import run_cli, write_config
from tests.qrpictures import scene


def test_data_dir_is_per_machine_on_windows_and_per_user_elsewhere() -> None:
    """%PROGRAMDATA%\\MotCuaCounter on Windows (one sequence for every account); XDG on Linux."""
    home = Path("/home/an")
    windows = platform.data_dir_for("win32", {"PROGRAMDATA": r"C:\ProgramData", "LOCALAPPDATA": "x"}, home)
    assert windows == Path(r"C:\ProgramData") / "MotCuaCounter"
    assert platform.data_dir_for("win32", {}, home) == Path(r"C:\ProgramData") / "MotCuaCounter"
    assert platform.data_dir_for("linux", {}, home) == home / ".local/share/motcua-counter"
    assert platform.data_dir_for("linux", {"XDG_DATA_HOME": "/x"}, home) == Path("/x/motcua-counter")
    assert platform.windows_fonts_dir({"WINDIR": r"D:\Windows"}) == Path(r"D:\Windows") / "Fonts"


def test_windows_acl_keeps_administrators_system_and_the_counter_account() -> None:
    """icacls drops inherited rights and grants full control to Administrators/SYSTEM, modify to the user."""
    account = platform.windows_account({"USERDOMAIN": "QUAY1", "USERNAME": "canbo"})
    assert account == "QUAY1\\canbo"
    command = platform.icacls_command(r"C:\ProgramData\MotCuaCounter", account)
    assert command[:3] == ["icacls", r"C:\ProgramData\MotCuaCounter", "/inheritance:r"]
    grants = [command[i + 1] for i, arg in enumerate(command) if arg == "/grant:r"]
    assert grants == ["*S-1-5-32-544:(OI)(CI)F", "*S-1-5-18:(OI)(CI)F", "QUAY1\\canbo:(OI)(CI)M"]


@pytest.mark.skipif(platform.WINDOWS, reason="POSIX permissions")
def test_private_dir_and_file_are_owner_only(tmp_path: Path) -> None:
    """On POSIX the data directory is 0700 and its files 0600."""
    folder = tmp_path / "data"
    platform.make_private_dir(folder)
    (folder / "f").write_text("x")
    platform.make_private_file(folder / "f")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "f").stat().st_mode) == 0o600


def test_printer_choice_on_windows() -> None:
    """The named printer (any case), else the default, else the first; none installed: one sentence."""
    installed = ["Microsoft Print to PDF", "Canon LBP2900"]
    assert platform.choose_printer("canon lbp2900", installed, "Microsoft Print to PDF") == "Canon LBP2900"
    assert platform.choose_printer("", installed, "Canon LBP2900") == "Canon LBP2900"
    assert platform.choose_printer("", installed, "") == "Microsoft Print to PDF"
    with pytest.raises(PrintError, match="chưa cài máy in nào"):
        platform.choose_printer("", [], "")
    with pytest.raises(PrintError, match="Không có máy in “HP”"):
        platform.choose_printer("HP", installed, "Canon LBP2900")


def test_page_placement_keeps_true_size_and_margins() -> None:
    """An A4 page on a 600-dpi A4 printer is drawn 1:1 from the paper corner; too big a page shrinks."""
    a4_pt = (595.28, 841.89)
    a4_px = (4961, 7016)  # 210 x 297 mm at 600 dpi
    place = platform.fit_page(a4_pt, a4_px, (100, 100), (600, 600))
    assert place.rect == (-100, -100, -100 + 4961, -100 + 7016)
    assert place.render_scale == pytest.approx(300 / 72)
    on_a5 = platform.fit_page(a4_pt, (1748, 2480), (50, 50), (300, 300))
    width, height = on_a5.rect[2] - on_a5.rect[0], on_a5.rect[3] - on_a5.rect[1]
    assert width <= 1748 and height <= 2480 and width == pytest.approx(1748, abs=2)
    assert on_a5.render_scale < 300 / 72


def test_lp_command() -> None:
    """Title, named printer and paper go to CUPS; an 80 mm roll uses the printer's own media."""
    assert platform.lp_command("lp", "Biên nhận", "HP", "A5") == ["lp", "-t", "Biên nhận", "-d", "HP", "-o",
                                                                  "media=A5"]
    assert platform.lp_command("lp", "t", "", "80mm") == ["lp", "-t", "t"]


def test_console_is_reconfigured_to_utf8() -> None:
    """A cp1258 stream (a Vietnamese-locale Windows) writes UTF-8 after setup_console."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="cp1258")
    platform.setup_console([stream])
    stream.write("Đăng ký khai sinh — Nguyễn Thị Hồng Ngọc")
    stream.flush()
    assert raw.getvalue().decode("utf-8") == "Đăng ký khai sinh — Nguyễn Thị Hồng Ngọc"


@pytest.mark.parametrize("args", [("forms", "list"), ("forms", "list", "--json"), ("forms", "show", "khai-sinh")])
def test_cli_under_cp1258_prints_correct_vietnamese(args: tuple[str, ...], tmp_path: Path) -> None:
    """PYTHONIOENCODING=cp1258 no longer kills the CLI: the output is UTF-8 with every diacritic."""
    result = run_cli(*args, config=write_config(tmp_path / "c"), env={"PYTHONIOENCODING": "cp1258"})
    assert result.returncode == 0, result.stderr
    assert "Tờ khai đăng ký khai sinh" in result.stdout


def test_cli_error_under_cp1258_is_readable(tmp_path: Path) -> None:
    """A refusal on stderr is UTF-8 too."""
    result = run_cli("forms", "show", "không-có", config=write_config(tmp_path / "c"),
                     env={"PYTHONIOENCODING": "cp1258"})
    assert result.returncode == 1 and "không-có" in result.stderr


def _failing_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A real module whose import fails like pyzbar's DLL on a PC without the VC++ 2013 runtime."""
    (tmp_path / "brokenzbar.py").write_text(
        'raise OSError("Could not find module \'libzbar-64.dll\' (or one of its dependencies)")\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("brokenzbar", None)
    return "brokenzbar"


def test_try_import_catches_any_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An OSError at import is a reason, not a crash."""
    module, why = platform.try_import(_failing_module(tmp_path, monkeypatch))
    assert module is None and why.startswith("OSError: Could not find module 'libzbar-64.dll'")
    assert platform.try_import("json")[0] is not None


def test_decoder_that_fails_to_load_falls_back_to_zxing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """[scanner].decoder = "zbar" whose library raises OSError: zxing-cpp reads, with one sentence why."""
    monkeypatch.setitem(decoders._LOADED, "zbar", _failing_module(tmp_path, monkeypatch))
    reader = decoders.make_reader("zbar")
    assert [d.name for d in reader.decoders] == ["zxing"]
    assert reader.notice.startswith("Không nạp được bộ giải mã zbar (OSError: Could not find module")
    assert reader.notice.endswith("; dùng zxing-cpp thay thế.")
    reading = reader.read(scene("https://dichvucong.gov.vn/"))
    assert reading is not None and reading.text == "https://dichvucong.gov.vn/"
    assert decoders.make_reader("zbar").notice.startswith("Không nạp được")
    monkeypatch.undo()
    assert decoders.make_reader("zbar").notice == ""


def test_terminal_watch_is_posix_only() -> None:
    """A descriptor that is no terminal (or has hung up) counts as gone."""
    read, write = os.pipe()
    os.close(write)
    assert platform.terminal_alive(read) is False
    os.close(read)


@pytest.mark.skipif(importlib.util.find_spec("psycopg") is not None, reason="the [postgres] extra is installed")
def test_missing_extra_is_named_in_one_sentence(tmp_path: Path) -> None:
    """A PostgreSQL hub without psycopg: exit 1 and the extra to install (the bundle test covers [hub])."""
    result = run_cli("hub", "dossiers", "--db", "postgresql+psycopg://hub@/hub", "--unit", "000.00.36.H40")
    assert result.returncode == 1
    assert result.stderr.strip().endswith('cần gói bổ sung [postgres]: pip install "motcua-counter[postgres]".')


@pytest.mark.skipif(platform.WINDOWS, reason="POSIX permissions")
def test_shared_data_dir_stays_open_to_its_group(tmp_path: Path) -> None:
    """In a data directory made by `install.sh --system` (setgid, 2770) new folders and private files are
    the group's too, whatever the umask; an account outside the group gets one sentence naming it."""
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o2770)
    platform.make_private_dir(shared)
    platform.make_private_dir(shared / "prints")
    old = os.umask(0o022)
    try:
        keys.write_private(shared / "store.keyid", b"x" * 36)
    finally:
        os.umask(old)
    database = shared / "counter.db"
    database.write_bytes(b"")
    platform.make_private_file(database)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in (shared, shared / "prints",
                                                                      shared / "store.keyid", database)}
    assert modes == {"shared": 0o2770, "prints": 0o2770, "store.keyid": 0o660, "counter.db": 0o660}
    platform.check_shared_access(shared)  # this account may enter: nothing said
    sentence = platform.group_refusal(shared, "motcua", "an")
    assert "không thuộc nhóm motcua" in sentence and "usermod -aG motcua an" in sentence
