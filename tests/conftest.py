"""Shared fixtures: a private config and data directory per test, real SQLite, the installed CLI."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from counter.context import CounterContext, open_context

REPO = Path(__file__).resolve().parent.parent
SHARED_SAMPLES = REPO.parent / "shared" / "samples" / "qr-payloads.jsonl"
SAMPLES = SHARED_SAMPLES if SHARED_SAMPLES.is_file() else REPO / "tests" / "data" / "qr-payloads.jsonl"
COUNTER_BIN = Path(sys.executable).parent / "counter"

VALID_PAYLOAD = (
    "036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định|20052021"
)
MOTHER_PAYLOAD = (
    "001305000456||Nguyễn Thị Mai Anh|02112005|Nữ|Số 12 ngõ 45 phố Hoàng Hoa Thám, Phường Ngọc Hà, "
    "Quận Ba Đình, Hà Nội|10082021"
)
FATHER_PAYLOAD = "048088000321||Phạm Quốc Huy|09091988|Nam|Tổ 5, Phường Hải Châu, Thành phố Đà Nẵng|05092025||||"

CONFIG_TEMPLATE = """
[unit]
code = "000.00.36.H40"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"
ward_code = 14236

[counter]
id = "{counter_id}"
sequence_first = {first}
sequence_last = {last}

[storage]
data_dir = "{data_dir}"

[fees]
"khai-sinh/qua-han" = 8000
"nhan-cha-me-con" = 10000
"thay-doi-cu-tru" = 20000
"xac-nhan-tinh-trang-hon-nhan" = 15000
"""


def write_config(directory: Path, counter_id: str = "Q1", first: int = 1, last: int = 4999,
                 extra: str = "") -> Path:
    """Write a counter.toml for one test counter whose data lives in `directory`/data."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "counter.toml"
    path.write_text(CONFIG_TEMPLATE.format(counter_id=counter_id, first=first, last=last,
                                           data_dir=directory / "data") + extra, encoding="utf-8")
    return path


def load_samples() -> list[dict[str, object]]:
    """The shared sample QR payloads (valid and invalid)."""
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(autouse=True, scope="session")
def _isolated_keys(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Database keys go to key files in this run's temporary folder (never the developer's keyring);
    session-wide so module fixtures' databases open in every test, and inherited by CLI subprocesses."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("keys")
        patch.setenv("COUNTER_KEY_BACKEND", "file")
        patch.setenv("COUNTER_KEY_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's configuration or data directory."""
    monkeypatch.delenv("COUNTER_CONFIG", raising=False)
    monkeypatch.delenv("COUNTER_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "localappdata"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    """The configuration file of a fresh test counter."""
    return write_config(tmp_path / "counter1")


@pytest.fixture
def ctx(config_path: Path) -> Iterator[CounterContext]:
    """An opened counter (real SQLite file in a temporary directory)."""
    context = open_context(config_path)
    yield context
    context.close()


FAKE_LP = """#!/bin/sh
printf '%s\\n' "$@" >> "{log}/args"
cat > "{log}/input"
if [ -f "{log}/refuse" ]; then cat "{log}/refuse" >&2; exit 1; fi
echo "request id is HP_LaserJet-42 (1 file(s))"
"""


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory on PATH holding an `lp` that appends its arguments to `args`, keeps its input in `input`,
    and refuses with the text of `refuse` while that file exists."""
    folder = tmp_path / "fakebin"
    folder.mkdir()
    script = folder / "lp"
    script.write_text(FAKE_LP.format(log=folder), encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return folder


def run_cli(*args: str, config: Path | None = None, stdin: str | None = None,
            env: dict[str, str] | None = None, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the installed `counter` command."""
    full_env = {**os.environ, **(env or {})}
    if config is not None:
        full_env["COUNTER_CONFIG"] = str(config)
    return subprocess.run([str(COUNTER_BIN), *args], input=stdin, capture_output=True, text=True,
                          env=full_env, timeout=timeout, check=False)


@pytest.fixture
def fast_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2id with the cheapest parameters, so PIN hashing in tests does not starve parallel UI tests."""
    from argon2 import PasswordHasher

    from counter.accounts import users

    monkeypatch.setattr(users, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


SUPERVISOR_NAME, SUPERVISOR_PIN = "Lê Thị Giám Sát", "582946"
CLERK_NAME, CLERK_PIN = "Nguyễn Thị Lan", "731058"
PINS = {SUPERVISOR_NAME: SUPERVISOR_PIN, CLERK_NAME: CLERK_PIN}


@dataclass
class Cli:
    """The installed `counter` on one test counter, acting for whoever `login` signed in."""

    config: Path

    def __call__(self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None,
                 timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run one subcommand in the current session."""
        return run_cli(*args, config=self.config, stdin=stdin, env=env, timeout=timeout)

    def login(self, name: str, pin: str | None = None) -> Cli:
        """Open a session for `name` (PIN of the test accounts unless given); fails the test if refused."""
        result = self("login", name, "--pin-stdin", stdin=f"{pin or PINS[name]}\n")
        assert result.returncode == 0, result.stderr
        return self

    def logout(self) -> subprocess.CompletedProcess[str]:
        """End the session."""
        return self("logout")

    def as_user(self, name: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        """One command signed in with `--user NAME --pin-stdin` (the PIN goes first on stdin)."""
        return self(*args, "--user", name, "--pin-stdin", stdin=f"{PINS[name]}\n{stdin}")


def make_accounts(config: Path) -> None:
    """The test supervisor and clerk (cheap Argon2 parameters), unless they exist already."""
    from argon2 import PasswordHasher

    from counter.accounts import users

    context = open_context(config)
    saved, users._hasher = users._hasher, PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    try:
        with context.store.read() as session:
            missing = users.get_clerk(session, SUPERVISOR_NAME) is None
        if missing:
            users.add_clerk(context, SUPERVISOR_NAME, users.SUPERVISOR, SUPERVISOR_PIN, by="test")
            users.add_clerk(context, CLERK_NAME, users.CLERK, CLERK_PIN, by=SUPERVISOR_NAME)
    finally:
        users._hasher = saved
        context.close()


def signed_in(config: Path, supervisor: bool = False) -> Cli:
    """A `Cli` on `config` signed in as the test clerk (or supervisor), creating both accounts if needed."""
    make_accounts(config)
    return Cli(config).login(SUPERVISOR_NAME if supervisor else CLERK_NAME)


@pytest.fixture
def cli(config_path: Path) -> Cli:
    """`counter` on the test counter, signed in as the clerk CLERK_NAME (`cli.login(SUPERVISOR_NAME)` to switch)."""
    return signed_in(config_path)


@pytest.fixture
def supervisor_cli(config_path: Path) -> Cli:
    """`counter` on the test counter, signed in as the supervisor SUPERVISOR_NAME."""
    return signed_in(config_path, supervisor=True)

