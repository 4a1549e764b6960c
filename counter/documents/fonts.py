"""Find a TrueType font family that covers Vietnamese, to embed in PDFs and draw thermal receipts.

Search order: `[printer].font` from counter.toml, fontconfig (`fc-list :lang=vi`) on Linux and other
Unix systems, the Windows fonts folder, well-known font directories, and finally fonts shipped inside an
installed Python package (matplotlib ships DejaVu). scripts/bootstrap.sh installs fonts-dejavu-core when
none of these has one.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from counter import platform
from counter.errors import CounterError

VIETNAMESE_SAMPLE = "ẠạẶặẦầỆệỖỗỢợỪừỸỹĐđƠơƯư"
"""Letters a font must have to print Vietnamese (precomposed, NFC)."""
PREFERRED_FAMILIES = ("Times New Roman", "Liberation Serif", "Noto Serif", "DejaVu Serif", "Tinos",
                      "Arial", "Liberation Sans", "Noto Sans", "DejaVu Sans", "Arimo", "Segoe UI")
WINDOWS_FAMILIES = (("Times New Roman", "times.ttf", "timesbd.ttf", "timesi.ttf"),
                    ("Arial", "arial.ttf", "arialbd.ttf", "ariali.ttf"),
                    ("Segoe UI", "segoeui.ttf", "segoeuib.ttf", "segoeuii.ttf"))
KNOWN_FILES = (("DejaVu Serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"),
               ("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf"),
               ("Liberation Serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                "LiberationSerif-Italic.ttf"))
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts")


class FontMissing(CounterError):
    """No font covering Vietnamese could be found on this machine."""

    title = "Thiếu phông chữ tiếng Việt"


@dataclass(frozen=True)
class FontFamily:
    """Regular, bold and italic TrueType files of one family (bold/italic fall back to regular)."""

    name: str
    regular: Path
    bold: Path
    italic: Path


def covers_vietnamese(path: Path) -> bool:
    """True when the TrueType file maps every letter of VIETNAMESE_SAMPLE to a glyph."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(path, lazy=True, fontNumber=0) as font:
            if "glyf" not in font:
                return False
            cmap = font.getBestCmap() or {}
    except (OSError, TTLibError, AssertionError):
        return False
    return all(ord(ch) in cmap for ch in VIETNAMESE_SAMPLE)


def _family_from_files(name: str, regular: Path, bold: Path, italic: Path) -> FontFamily | None:
    if not regular.is_file() or not covers_vietnamese(regular):
        return None
    return FontFamily(name, regular, bold if bold.is_file() else regular, italic if italic.is_file() else regular)


def _style_slot(style: str) -> str | None:
    words = style.lower()
    if any(w in words for w in ("condensed", "light", "thin", "medium", "semi", "black", "narrow", "extra")):
        return None
    bold = "bold" in words
    italic = "italic" in words or "oblique" in words
    if bold and italic:
        return None
    return "bold" if bold else "italic" if italic else "regular"


def _from_fontconfig() -> FontFamily | None:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run([fc_list, ":lang=vi:fontformat=TrueType", "file", "family", "style"],
                                 capture_output=True, text=True, timeout=20, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families: dict[str, dict[str, Path]] = {}
    for line in listing.splitlines():
        path_text, _, rest = line.partition(": ")
        family_part, _, style_part = rest.partition(":style=")
        family = family_part.split(",")[0].strip()
        slot = _style_slot(style_part.split(",")[0])
        if slot and path_text.lower().endswith(".ttf"):
            families.setdefault(family, {}).setdefault(slot, Path(path_text))
    ranked = [f for f in PREFERRED_FAMILIES if f in families] + sorted(set(families) - set(PREFERRED_FAMILIES))
    for family in ranked:
        slots = families[family]
        if "regular" in slots:
            found = _family_from_files(family, slots["regular"], slots.get("bold", slots["regular"]),
                                       slots.get("italic", slots["regular"]))
            if found:
                return found
    return None


def _from_windows() -> FontFamily | None:
    fonts_dir = platform.windows_fonts_dir(os.environ)
    for name, regular, bold, italic in WINDOWS_FAMILIES:
        found = _family_from_files(name, fonts_dir / regular, fonts_dir / bold, fonts_dir / italic)
        if found:
            return found
    return None


def _from_known_dirs() -> FontFamily | None:
    for base in FONT_DIRS:
        root = Path(base)
        if not root.is_dir():
            continue
        for name, regular, bold, italic in KNOWN_FILES:
            for candidate in root.rglob(regular):
                folder = candidate.parent
                found = _family_from_files(name, candidate, folder / bold, folder / italic)
                if found:
                    return found
    return None


def _from_python_packages() -> FontFamily | None:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    for name, regular, bold, italic in KNOWN_FILES:
        found = _family_from_files(name, folder / regular, folder / bold, folder / italic)
        if found:
            return found
    return None


def font_from_setting(setting: str) -> FontFamily:
    """The family named by `[printer].font` (a .ttf path; -Bold/-Italic siblings used when present)."""
    path = Path(setting).expanduser()
    stem, suffix = path.stem.removesuffix("-Regular"), path.suffix
    found = _family_from_files(stem, path, path.with_name(f"{stem}-Bold{suffix}"),
                               path.with_name(f"{stem}-Italic{suffix}"))
    if found is None:
        raise FontMissing(f"Phông chữ {path} trong [printer].font không đọc được hoặc không có đủ chữ tiếng Việt.")
    return found


@cache
def find_font(setting: str = "") -> FontFamily:
    """The font family documents are printed with; FontMissing says how to install one."""
    if setting:
        return font_from_setting(setting)
    searches = [_from_windows] if platform.WINDOWS else [_from_fontconfig]
    for search in (*searches, _from_known_dirs, _from_python_packages):
        found = search()
        if found:
            return found
    raise FontMissing("Không tìm thấy phông chữ có đủ dấu tiếng Việt; cài gói fonts-dejavu-core "
                      "(sudo apt-get install fonts-dejavu-core) hoặc đặt [printer].font trong counter.toml.")
