"""Build the offline install bundles: dist/motcua-counter-<version>-linux-x86_64.zip and -win-amd64.zip.

Each zip holds the project's wheel and every runtime dependency (read from pyproject.toml, so a new
dependency is bundled without touching this file) as wheels for CPython 3.12 and 3.13, plus the install
scripts of scripts/bundle/. The dependency set of each platform is resolved with uv, which evaluates
environment markers for the target (pywin32, tzdata, colorama are Windows-only; pip evaluates markers
for the machine it runs on), then pip downloads exactly those wheels (--only-binary, so a package
without a wheel for the target fails the build instead of the counter PC). Each bundle also holds its
README.txt (Vietnamese) and SHA256SUMS of every file; entries are sorted and dated at the commit (or
$SOURCE_DATE_EPOCH), so two builds of one commit give the same bytes.

Usage: python scripts/bundle.py [--dist DIR] [--platform linux|win ...] [--python 3.12 3.13]
"""

from __future__ import annotations

import argparse
import codecs
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "bundle"
PYTHONS = ("3.12", "3.13")
SUMS = "SHA256SUMS"
ZIP_EPOCH = 315532800
"""1980-01-01, the earliest time a zip entry can hold."""


@dataclass(frozen=True)
class Target:
    """One platform a bundle is made for."""

    name: str
    """linux or win: part of the zip's name."""
    suffix: str
    uv_platform: str
    pip_platforms: tuple[str, ...]
    scripts: tuple[str, ...]
    readme: str
    """The bundle's README.txt (Vietnamese), from scripts/bundle/."""


TARGETS = {
    "linux": Target("linux", "linux-x86_64", "x86_64-manylinux_2_28",
                    ("manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64",
                     "manylinux_2_5_x86_64", "manylinux1_x86_64"),
                    ("install.sh", "uninstall.sh", "common.sh"), "README-linux.txt"),
    "win": Target("win", "win-amd64", "x86_64-pc-windows-msvc", ("win_amd64",),
                  ("install.ps1", "install.cmd", "uninstall.ps1", "uninstall.cmd"), "README-windows.txt"),
}
EXECUTABLE = (".sh", ".cmd")
"""Files stored with mode 0755 in the zip (the rest 0644)."""


def project() -> dict[str, object]:
    """The [project] table of pyproject.toml."""
    table: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def run(command: list[str], **kwargs: object) -> None:
    """Run a build step, echoing it; stop with its output when it fails."""
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)  # type: ignore[call-overload]


def uv() -> list[str]:
    """The uv command (the dev extra's `uv`, or uv on PATH), trusting the system's certificates as pip does."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.exists() else shutil.which("uv")
    if found is None:
        raise SystemExit("bundle: uv is needed to resolve dependencies per platform: pip install uv")
    return [found, "--native-tls"]


def source_epoch() -> int:
    """$SOURCE_DATE_EPOCH, else the commit's time: every timestamp in a bundle (two builds, same bytes)."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").isdigit():
        return max(int(os.environ["SOURCE_DATE_EPOCH"]), ZIP_EPOCH)
    done = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True,
                          check=False)
    return max(int(done.stdout.strip()), ZIP_EPOCH) if done.stdout.strip().isdigit() else ZIP_EPOCH


def build_project_wheel(out: Path, epoch: int) -> Path:
    """pip wheel of this checkout (a fresh build directory, so no deleted form lingers), dated `epoch`."""
    shutil.rmtree(ROOT / "build", ignore_errors=True)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        env={**os.environ, "SOURCE_DATE_EPOCH": str(epoch)})
    wheels = sorted(out.glob("motcua_counter-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"bundle: expected one project wheel in {out}, found {len(wheels)}")
    return wheels[0]


def pins(target: Target, python: str, requirements: Path, out: Path) -> Path:
    """Exact versions of every runtime dependency for one platform and Python (markers for the target)."""
    pinned = out / f"pins-{target.name}-{python}.txt"
    run([*uv(), "pip", "compile", str(requirements), "--quiet", "--no-header", "--no-annotate",
         "--python-platform", target.uv_platform, "--python-version", python, "--only-binary", ":all:",
         "-o", str(pinned)])
    return pinned


def download(target: Target, python: str, pinned: Path, wheels: Path) -> None:
    """pip download of the pinned wheels for the target (binary only: no wheel, no bundle)."""
    platforms = [arg for tag in target.pip_platforms for arg in ("--platform", tag)]
    abi = "cp" + python.replace(".", "")
    run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:", *platforms,
         "--python-version", python, "--implementation", "cp", "--abi", abi, "--abi", "abi3", "--abi", "none",
         "-d", str(wheels), "-r", str(pinned)])


def write_readme(source: Path, out: Path, windows: bool) -> None:
    """Copy a README; for Windows with CRLF and a UTF-8 BOM, so Notepad shows the Vietnamese letters."""
    text = source.read_text(encoding="utf-8")
    if windows:
        out.write_bytes(codecs.BOM_UTF8 + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8"))
    else:
        out.write_text(text, encoding="utf-8")


def write_sums(folder: Path) -> Path:
    """SHA256SUMS of every file in `folder` (sha256sum -c format, '/' separators, sorted)."""
    lines = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(folder).as_posix()}\n")
    sums = folder / SUMS
    sums.write_text("".join(lines), encoding="ascii", newline="\n")
    return sums


def zip_entries(folder: Path) -> list[Path]:
    """Every file under `folder`, sorted by its name in the zip."""
    return sorted((p for p in folder.rglob("*") if p.is_file()), key=lambda p: p.relative_to(folder).as_posix())


def write_zip(folder: Path, archive: Path, epoch: int) -> None:
    """Zip `folder` under its own name with sorted entries, one timestamp and fixed modes (same bytes each
    build); wheels are stored (already compressed), the rest deflated."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.gmtime(epoch)[:6]
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in zip_entries(folder):
            info = zipfile.ZipInfo(f"{folder.name}/{path.relative_to(folder).as_posix()}", stamp)
            info.compress_type = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = ((0o100755 if path.suffix in EXECUTABLE else 0o100644) << 16)
            with path.open("rb") as data, bundle.open(info, "w") as member:
                shutil.copyfileobj(data, member, 1 << 20)


def fill_folder(target: Target, folder: Path, wheel: Path) -> None:
    """Add the project wheel, the scripts, README.txt and SHA256SUMS to a folder holding wheels/."""
    shutil.copy2(wheel, folder / "wheels" / wheel.name)
    for script in target.scripts:
        shutil.copy2(SCRIPTS / script, folder / script)
    write_readme(SCRIPTS / target.readme, folder / "README.txt", windows=target.name == "win")
    write_sums(folder)


def build(targets: list[str], pythons: list[str], dist: Path) -> list[Path]:
    """Build one zip per target into `dist`; returns their paths."""
    meta = project()
    version = str(meta["version"])
    made = []
    with tempfile.TemporaryDirectory(prefix="motcua-bundle-") as scratch:
        work = Path(scratch)
        epoch = source_epoch()
        wheel = build_project_wheel(work / "project", epoch)
        requirements = work / "requirements.in"
        requirements.write_text("\n".join(map(str, meta["dependencies"])) + "\n", encoding="utf-8")  # type: ignore[call-overload]
        for name in targets:
            target = TARGETS[name]
            folder = work / f"motcua-counter-{version}-{target.suffix}"
            wheels = folder / "wheels"
            wheels.mkdir(parents=True)
            for python in pythons:
                download(target, python, pins(target, python, requirements, work), wheels)
            fill_folder(target, folder, wheel)
            archive = dist / f"{folder.name}.zip"
            write_zip(folder, archive, epoch)
            print(f"bundle: {archive} ({archive.stat().st_size / 1e6:.0f} MB, "
                  f"{len(list(wheels.glob('*.whl')))} wheels)", flush=True)
            made.append(archive)
    return made


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--platform", dest="platforms", nargs="+", choices=sorted(TARGETS), default=sorted(TARGETS))
    parser.add_argument("--python", dest="pythons", nargs="+", default=list(PYTHONS))
    args = parser.parse_args(argv)
    build(args.platforms, args.pythons, args.dist)
    return 0


if __name__ == "__main__":
    sys.exit(main())
