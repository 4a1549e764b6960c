"""The offline install bundles: the Linux one installs with no index into a fresh folder and runs the demo
and a PDF print from another folder; the Windows one resolves offline for win_amd64 on CPython 3.12 and
3.13 (uv with Windows' own environment markers, so pywin32, tzdata and keyring's Windows backend are checked).

Slow: building downloads the wheels once (pip's and uv's caches keep them for the next run); the build is
shared with test_bundle_system.py, and a second build checks that the zips are reproducible.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.bundle_helpers import built_bundles, unpack

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ("3.12", "3.13")
APP_START = """
import asyncio
from counter.config import load_config
from counter.tui.app import CounterApp

def accounts_shown(app: CounterApp) -> bool:
    if not app.ready or type(app.screen).__name__ != "LoginScreen":
        return False
    names, lists = app.screen.query("#login-name"), app.screen.query("#login-list")
    return bool(names and lists) and (names.first().display or lists.first().option_count > 0)

async def main() -> None:
    app = CounterApp(load_config())
    async with app.run_test(size=(100, 30)) as pilot:
        while not accounts_shown(app):  # the subprocess timeout guards against a hang
            await pilot.pause(0.05)
        print("ready", type(app.screen).__name__)

asyncio.run(main())
"""
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both zips, built by scripts/bundle.py as `make bundle` does (once per run, shared with the system test)."""
    return built_bundles(tmp_path_factory)


@pytest.fixture(scope="module")
def bundles(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Both bundles unpacked."""
    return {name: unpack(next(dist.glob(f"motcua-counter-*-{name}*.zip")), tmp_path_factory.mktemp(name))
            for name in ("linux", "win")}


def test_two_builds_give_the_same_bytes(dist: Path, tmp_path: Path) -> None:
    """A second build of the same commit is byte for byte the first (sorted entries, one timestamp)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "bundle.py"), "--dist", str(tmp_path), "--platform",
                    "linux"], check=True, capture_output=True, timeout=1800)
    (again,) = tmp_path.glob("*.zip")
    assert again.read_bytes() == (dist / again.name).read_bytes()


@pytest.mark.parametrize("name", ["linux", "win"])
def test_bundle_lists_every_file_in_sha256sums(bundles: dict[str, Path], name: str) -> None:
    """SHA256SUMS names every other file of the bundle with its hash; README.txt is in Vietnamese."""
    folder = bundles[name]
    lines = (folder / "SHA256SUMS").read_text(encoding="ascii").splitlines()
    listed = {line.split("  ", 1)[1]: line.split("  ", 1)[0] for line in lines}
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {"SHA256SUMS"}
    assert set(listed) == files
    assert all(hashlib.sha256((folder / path).read_bytes()).hexdigest() == digest for path, digest in listed.items())
    readme = (folder / "README.txt").read_bytes()
    assert "Gỡ cài đặt" in readme.decode("utf-8-sig") and "Nâng cấp" in readme.decode("utf-8-sig")
    if name == "win":
        assert readme.startswith(codecs.BOM_UTF8) and readme.count(b"\n") == readme.count(b"\r\n")


def offline_resolve(wheels: Path, platform: list[str], python: str) -> list[str]:
    """The files pip would install from `wheels` alone for a platform and Python version."""
    platforms = [arg for tag in platform for arg in ("--platform", tag)]
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--isolated", "install", "--dry-run", "--ignore-installed", "--quiet",
         "--report", "-", "--no-index", "--find-links", str(wheels), *platforms, "--only-binary=:all:",
         "--python-version", python, "--implementation", "cp", "motcua-counter"],
        capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    return [item["download_info"]["url"].rsplit("/", 1)[1] for item in json.loads(done.stdout)["install"]]


@pytest.mark.parametrize("python", PYTHONS)
def test_windows_bundle_resolves_offline(bundles: dict[str, Path], python: str) -> None:
    """pip finds every wheel for win_amd64 in the bundle; uv, with Windows' markers, finds pywin32 too."""
    folder = bundles["win"]
    assert {p.name for p in folder.iterdir()} == {"install.ps1", "install.cmd", "uninstall.ps1", "uninstall.cmd",
                                                  "README.txt", "SHA256SUMS", "wheels"}
    assert b"\r\n" in (folder / "install.cmd").read_bytes()
    # pip's dry run would evaluate markers for this Linux machine (keyring's SecretStorage is Linux-only):
    # uv below resolves with Windows' own markers, from the bundle's wheels alone
    files = [p.name for p in (folder / "wheels").iterdir()]
    tag = "cp" + python.replace(".", "")
    assert any(f.startswith("motcua_counter-") for f in files)
    assert any(f.startswith("numpy-") and f"-{tag}-win_amd64" in f for f in files)
    uv = Path(sys.executable).with_name("uv")
    done = subprocess.run(
        [str(uv), "pip", "compile", "-", "--offline", "--no-index", "--find-links", str(folder / "wheels"),
         "--python-platform", "x86_64-pc-windows-msvc", "--python-version", python, "--only-binary", ":all:",
         "--quiet", "--no-header", "--no-annotate"],
        input="motcua-counter\n", capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr
    names = {line.split("==")[0] for line in done.stdout.splitlines() if "==" in line}
    assert {"pywin32", "tzdata", "pypdfium2", "motcua-counter", "sqlcipher3", "pyrage", "keyring",
            "msvc-runtime"} <= names


@pytest.mark.parametrize("python", PYTHONS)
def test_linux_bundle_resolves_offline_for_both_pythons(bundles: dict[str, Path], python: str) -> None:
    """The Linux bundle has manylinux x86_64 wheels for CPython 3.12 and 3.13."""
    files = offline_resolve(bundles["linux"] / "wheels", ["manylinux_2_28_x86_64", "manylinux2014_x86_64"], python)
    assert any(f.startswith("motcua_counter-") for f in files) and any("pypdfium2" in f for f in files)


def test_linux_bundle_installs_offline_and_runs(bundles: dict[str, Path], tmp_path: Path) -> None:
    """install.sh TARGET with no index, then from another folder: forms, demo, a receipt PDF, the missing
    [hub] extra in one sentence, and the app itself (headless) opening its database and showing the sign-in
    screen with the accounts read (waiting for that before closing: a worker's answer must not meet a closed app)."""
    folder = bundles["linux"]
    target = tmp_path / "counter-pc"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PIP_", "VIRTUAL_ENV"))}
    env["PYTHON"] = getattr(sys, "_base_executable", sys.executable)
    installed = subprocess.run(["sh", str(folder / "install.sh"), str(target)], capture_output=True, text=True,
                               env=env, check=False, timeout=1200)
    assert installed.returncode == 0, installed.stderr
    launcher = target / "counter"
    assert os.access(launcher, os.X_OK)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env["COUNTER_DATA_DIR"] = str(tmp_path / "data")

    def counter(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(launcher), *args], cwd=elsewhere, capture_output=True, text=True, env=env,
                              input=stdin, check=False, timeout=300)

    forms = counter("forms", "list", "--json")
    assert forms.returncode == 0, forms.stderr
    shipped = {form["id"] for form in json.loads(forms.stdout)}
    assert shipped == {path.stem for path in (ROOT / "forms").glob("*.toml")}, "every forms/*.toml is in the wheel"
    demo = counter("demo", "--dossiers", "4", "--days", "2")
    assert demo.returncode == 0, demo.stderr
    clerk = re.search(r"^  (.+?) {2,}Cán bộ tiếp nhận +PIN (\d{6})$", demo.stdout, re.MULTILINE)
    assert clerk, demo.stdout
    assert counter("login", clerk[1].strip(), "--pin-stdin", stdin=f"{clerk[2]}\n").returncode == 0
    codes = [row["code"] for row in json.loads(counter("dossier", "list", "--json").stdout)]
    assert codes, "the demo made dossiers"
    pdf = tmp_path / "receipt.pdf"
    printed = counter("print", "receipt", codes[0], "--pdf", str(pdf))
    assert printed.returncode == 0, printed.stderr
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert codes[0] in text and "GIẤY TIẾP NHẬN" in text.upper()
    served = subprocess.run([str(target / "venv" / "bin" / "python"), "-c", "import starlette, uvicorn"],
                            capture_output=True, text=True, check=False, timeout=120)
    assert served.returncode == 0, served.stderr  # the citizen display (and the hub) come with the default install
    app = subprocess.run([str(target / "venv" / "bin" / "python"), "-c", APP_START], cwd=elsewhere,
                         capture_output=True, text=True, env=env, check=False, timeout=300)
    assert app.returncode == 0 and app.stdout.split() == ["ready", "LoginScreen"], app.stderr
