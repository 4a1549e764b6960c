"""Helpers of the bundle tests: one build per test run shared by every xdist worker, a re-versioned copy of a
bundle (for upgrades), and a Python that every OS account can run (for system installs)."""

from __future__ import annotations

import base64
import fcntl
import hashlib
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOBODY = ("--reuid=65534", "--regid=65534", "--clear-groups")


def bundle_module() -> ModuleType:
    """scripts/bundle.py imported by path (it is a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("bundle_script", ROOT / "scripts" / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def built_bundles(factory: pytest.TempPathFactory) -> Path:
    """The folder holding both zips of `scripts/bundle.py`, built once per test run under a lock
    ($COUNTER_TEST_BUNDLES names a folder of zips already built from this checkout instead)."""
    if os.environ.get("COUNTER_TEST_BUNDLES"):
        return Path(os.environ["COUNTER_TEST_BUNDLES"])
    shared = factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") else factory.getbasetemp()
    dist = shared / "bundles-dist"
    with (shared / "bundles.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (dist / "done").exists():
            shutil.rmtree(dist, ignore_errors=True)
            subprocess.run([sys.executable, str(ROOT / "scripts" / "bundle.py"), "--dist", str(dist)], check=True,
                           capture_output=True, timeout=1800)
            (dist / "done").touch()
    return dist


def unpack(archive: Path, into: Path) -> Path:
    """Unzip a bundle into `into`; returns the bundle's folder (keeping the zip's file modes)."""
    into.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive) as bundle:
        for info in bundle.infolist():
            bundle.extract(info, into)
            os.chmod(into / info.filename, (info.external_attr >> 16) & 0o777)
    (folder,) = into.iterdir()
    return folder


def record_line(name: str, data: bytes) -> str:
    """One RECORD line of a wheel."""
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{name},sha256={digest},{len(data)}"


def reversioned_wheel(wheel: Path, version: str, out: Path) -> Path:
    """A copy of the project wheel claiming `version` (dist-info renamed, METADATA and RECORD rewritten)."""
    old = wheel.name.split("-")[1]
    target = out / wheel.name.replace(f"-{old}-", f"-{version}-")
    old_info, new_info = f"motcua_counter-{old}.dist-info/", f"motcua_counter-{version}.dist-info/"
    records = []
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as made:
        for info in source.infolist():
            name = info.filename.replace(old_info, new_info)
            data = source.read(info)
            if name.endswith("METADATA"):
                data = re.sub(rb"(?m)^Version: .*$", f"Version: {version}".encode(), data)
            if name.endswith("RECORD"):
                continue
            made.writestr(name, data)
            records.append(record_line(name, data))
        made.writestr(new_info + "RECORD", "\n".join([*records, new_info + "RECORD,,"]) + "\n")
    return target


def bundle_of_version(folder: Path, version: str, out: Path) -> Path:
    """A copy of an unpacked Linux bundle whose app claims `version`, with SHA256SUMS remade."""
    copy = out / f"motcua-counter-{version}-linux-x86_64"
    shutil.copytree(folder, copy, copy_function=os.link)
    (wheel,) = (copy / "wheels").glob("motcua_counter-*.whl")
    wheel.unlink()
    reversioned_wheel(next((folder / "wheels").glob("motcua_counter-*.whl")), version, copy / "wheels")
    (copy / "SHA256SUMS").unlink()
    bundle_module().write_sums(copy)
    return copy


def runs_for_everyone(python: str, env: dict[str, str]) -> bool:
    """True when an unprivileged account (nobody) can start `python`."""
    done = subprocess.run(["setpriv", *NOBODY, python, "-c", ""], env=env, capture_output=True, check=False)
    return done.returncode == 0


def copy_python(dest: Path) -> Path:
    """A copy of this test's own base Python in `dest`, without its site-packages and test suite; returns
    its interpreter (it needs LD_LIBRARY_PATH=dest/lib: pyenv links libpython with an absolute RUNPATH
    into /root, which other accounts cannot enter)."""
    skip = {"site-packages", "test", "idlelib", "__pycache__", "tkinter", "turtledemo", "include", "share"}
    shutil.copytree(sys.base_prefix, dest, symlinks=True,
                    ignore=lambda _d, names: [n for n in names if n in skip or n.startswith("config-3")])
    return dest / "bin" / f"python{sysconfig.get_python_version()}"


def python_for_everyone(folder: Path) -> tuple[str, dict[str, str]]:
    """A 64-bit Python 3.12/3.13 that every account may run, and the environment it needs: a system
    Python when there is one, else a copy of this test's own (`copy_python`) in `folder`."""
    env = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
    for candidate in ("/usr/bin/python3.13", "/usr/bin/python3.12", "/usr/local/bin/python3.13",
                      "/usr/local/bin/python3.12"):
        if os.access(candidate, os.X_OK) and runs_for_everyone(candidate, env):
            return candidate, env
    python = copy_python(folder / "python")
    env["LD_LIBRARY_PATH"] = str(folder / "python" / "lib")
    assert runs_for_everyone(str(python), env), f"{python} cannot be run by other accounts"
    return str(python), env
