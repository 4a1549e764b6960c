"""`install.sh --system` as root in a temporary prefix with real OS accounts (useradd): two clerks of the
group serve from one store with unique dossier codes, a third account is refused in one sentence naming
the group, a newer bundle upgrades in place keeping the dossiers, an older one is refused, and
uninstall.sh removes the app and keeps the data and the key.

Slow (the bundle build shared with test_bundle.py, two offline installs); `make test` runs it, as CI does.
Root only: without root it is skipped with the reason.
"""

from __future__ import annotations

import grp
import json
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.bundle_helpers import built_bundles, bundle_of_version, copy_python, python_for_everyone, unpack

PAYLOAD = "036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định|20052021"
NEW_DOSSIER = ("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", PAYLOAD,
               "--set", "subject_ethnicity=Kinh", "--set", "subject_nationality=Việt Nam",
               "--set", "marital_status=Chưa đăng ký kết hôn", "--set", "purpose=Kết hôn", "--json")
CAN_MANAGE_ACCOUNTS = (sys.platform == "linux" and os.geteuid() == 0
                       and all(shutil.which(tool) for tool in ("useradd", "userdel", "runuser", "setpriv")))
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CAN_MANAGE_ACCOUNTS,
                                 reason="the system install test needs root on Linux (useradd, chown, runuser)")]


@dataclass
class Machine:
    """A counter PC in a temporary folder: the unpacked bundle, a Python for everyone, three accounts."""

    root: Path
    bundle: Path
    python: str
    env: dict[str, str]
    group: str
    users: tuple[str, str, str]

    @property
    def options(self) -> list[str]:
        """The --system options of every install and uninstall here."""
        return ["--system", "--prefix", str(self.root / "opt"), "--data-dir", str(self.root / "var"),
                "--etc-dir", str(self.root / "etc"), "--group", self.group]

    def script(self, path: Path, python: str = "") -> subprocess.CompletedProcess[str]:
        """Run an install or uninstall script as root with this machine's options."""
        return subprocess.run(["sh", str(path), *self.options], env={**self.env, "PYTHON": python or self.python},
                              capture_output=True, text=True, check=False, timeout=1200)

    def counter(self, user: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """The installed launcher run by an OS account (runuser: its own uid, groups and home)."""
        return subprocess.run(["runuser", "-u", user, "--", str(self.root / "opt" / "counter"), *args],
                              env=self.env, input=stdin, capture_output=True, text=True, check=False, timeout=300,
                              cwd=self.root)

    def codes(self, user: str) -> list[str]:
        """Every dossier code as `user` lists them."""
        listed = self.counter(user, "dossier", "list", "--json")
        assert listed.returncode == 0, listed.stderr
        return sorted(row["code"] for row in json.loads(listed.stdout))


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Machine]:
    """The machine, with its accounts and group removed afterwards (the folder is world-traversable:
    pytest's own temporary folders are not, and the clerks' accounts must reach the launcher)."""
    (archive,) = built_bundles(tmp_path_factory).glob("motcua-counter-*-linux-x86_64.zip")
    root = Path(tempfile.mkdtemp(prefix="motcua-system-", dir="/tmp"))
    root.chmod(0o755)
    tag = secrets.token_hex(3)
    users = (f"mc{tag}a", f"mc{tag}b", f"mc{tag}c")
    try:
        python, env = python_for_everyone(root)
        (root / "home").mkdir(mode=0o755)
        for user in users:
            subprocess.run(["useradd", "--create-home", "--home-dir", str(root / "home" / user), user], check=True)
        yield Machine(root, unpack(archive, root / "bundle"), python, env, f"mc{tag}", users)
    finally:
        for user in users:
            subprocess.run(["userdel", "--remove", user], capture_output=True, check=False)
        subprocess.run(["groupdel", f"mc{tag}"], capture_output=True, check=False)
        shutil.rmtree(root, ignore_errors=True)


def demo_clerk(output: str) -> tuple[str, str]:
    """A reception clerk's name and PIN from `counter demo`'s output."""
    found = re.search(r"^  (.+?) {2,}Cán bộ tiếp nhận +PIN (\d{6})$", output, re.MULTILINE)
    assert found, output
    return found[1].strip(), found[2]


def assert_machine_folders(machine: Machine) -> None:
    """Data setgid for the group with no access for others; configuration and key readable by the group only."""
    gid = grp.getgrnam(machine.group).gr_gid
    data = (machine.root / "var").stat()
    assert stat.S_IMODE(data.st_mode) == 0o2770 and data.st_gid == gid
    key_id = (machine.root / "var" / "store.keyid").read_text(encoding="ascii")
    for path in (machine.root / "etc" / "keys" / f"{key_id}.key", machine.root / "etc" / "counter.toml"):
        info = path.stat()
        assert (stat.S_IMODE(info.st_mode), info.st_uid, info.st_gid) == (0o640, 0, gid), path


def test_system_install_serves_the_group_upgrades_and_uninstalls(machine: Machine) -> None:
    """The whole life of a shared counter PC, in order (each step needs the one before)."""
    first = machine.script(machine.bundle / "install.sh")
    assert first.returncode == 0, first.stderr
    assert "[1/5]" in first.stdout and "[5/5]" in first.stdout and "Done: Mot Cua Counter 0.1.0" in first.stdout
    assert_machine_folders(machine)
    # The technician sets the province's fee for the procedure the clerks will take (a fee the provincial
    # council sets is never guessed: without it that procedure's dossiers are refused, naming the key).
    settings = machine.root / "etc" / "counter.toml"
    written = settings.read_text(encoding="utf-8")
    assert '# "xac-nhan-tinh-trang-hon-nhan" = 15000' in written
    settings.write_text(written.replace('# "xac-nhan-tinh-trang-hon-nhan" = 15000',
                                        '"xac-nhan-tinh-trang-hon-nhan" = 15000'), encoding="utf-8")
    clerk_a, clerk_b, outsider = machine.users
    for user in (clerk_a, clerk_b):
        subprocess.run(["usermod", "-aG", machine.group, user], check=True)

    demo = machine.counter(clerk_a, "demo", "--dossiers", "3", "--days", "1")
    assert demo.returncode == 0, demo.stderr
    name, pin = demo_clerk(demo.stdout)
    for user in (clerk_a, clerk_b):  # sessions stay per OS account
        assert machine.counter(user, "login", name, "--pin-stdin", stdin=f"{pin}\n").returncode == 0
    made = machine.counter(clerk_b, "dossier", *NEW_DOSSIER[1:])
    assert made.returncode == 0, made.stderr
    codes = machine.codes(clerk_a)
    assert len(codes) == len(set(codes)) == 4 and json.loads(made.stdout)["code"] in codes
    assert machine.codes(clerk_b) == codes, "both accounts see one store"

    refused = machine.counter(outsider, "dossier", "list")
    assert refused.returncode == 1 and refused.stdout == ""
    assert len(refused.stderr.strip().splitlines()) == 1 and f"nhóm {machine.group}" in refused.stderr
    peek = subprocess.run(["runuser", "-u", outsider, "--", "cat", str(machine.root / "var" / "store.keyid")],
                          capture_output=True, check=False)
    assert peek.returncode != 0, "others cannot read the data directory"

    newer = bundle_of_version(machine.bundle, "0.2.0", machine.root)
    upgraded = machine.script(newer / "install.sh")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "0.1.0 → 0.2.0" in upgraded.stdout
    assert (machine.root / "opt" / "VERSION").read_text().strip() == "0.2.0"
    assert sorted(p.name for p in (machine.root / "opt").glob("venv-*")) == ["venv-0.2.0"]
    assert machine.codes(clerk_b) == codes, "the upgrade kept every dossier"

    older = machine.script(machine.bundle / "install.sh")
    assert older.returncode == 1 and "0.2.0, newer than this bundle's 0.1.0" in older.stderr
    assert (machine.root / "opt" / "VERSION").read_text().strip() == "0.2.0"

    removed = machine.script(machine.root / "opt" / "uninstall.sh")
    assert removed.returncode == 0, removed.stderr
    assert not (machine.root / "opt").exists() and "kept" in removed.stdout
    assert (machine.root / "var" / "counter.db").stat().st_size > 0
    assert_machine_folders(machine)


def test_system_install_refuses_a_python_under_a_home_folder(machine: Machine) -> None:
    """A Python in an account's home cannot serve the others: refused in one sentence before anything is made."""
    private = copy_python(machine.root / "home" / machine.users[0] / "python")
    done = machine.script(machine.bundle / "install.sh", python=str(private))
    assert done.returncode == 1
    assert "lies under the home folder" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (machine.root / "opt" / "venv").exists()
