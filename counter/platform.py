"""Everything that differs between Windows and POSIX, in one place: paths, permissions, consoles,
terminals, the system print spooler and loading native libraries.

Each Windows branch keeps its decisions in pure functions (`data_dir_for`, `icacls_command`,
`choose_printer`, `fit_page`, …) that take the platform and environment as arguments, so the tests
run them here on Linux; only the calls into Win32 itself stay untested off Windows.
"""

from __future__ import annotations

import codecs
import importlib
import io
import os
import stat
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from counter.errors import CounterError

WINDOWS = sys.platform == "win32"
APP_DIR_WINDOWS = "MotCuaCounter"
APP_DIR_POSIX = "motcua-counter"
LP_TIMEOUT_SECONDS = 60
RENDER_DPI_CAP = 300
"""Pages are rasterised at the printer's resolution up to this; the driver scales the rest."""
ADMINISTRATORS_SID = "*S-1-5-32-544"
SYSTEM_SID = "*S-1-5-18"
ACL_MARKER = "acl-applied"
"""Written into a Windows data directory once icacls restricted it."""
SHARED_DIR_MODE = 0o2770
SHARED_FILE_MODE = 0o660
"""A shared data directory (`install.sh --system`) and the files in it: its group only."""
LOGPIXELSX, LOGPIXELSY, PHYSICALWIDTH, PHYSICALHEIGHT, PHYSICALOFFSETX, PHYSICALOFFSETY = 88, 90, 110, 111, 112, 113
"""GetDeviceCaps indexes (wingdi.h)."""


class PrintError(CounterError):
    """The document could not be printed or saved; the message says why in one sentence."""

    title = "In không thành công"


# --- paths and permissions -------------------------------------------------------------------------

def data_dir_for(system: str, environ: Mapping[str, str], home: Path) -> Path:
    """The default data directory: per machine on Windows (%PROGRAMDATA%), per user elsewhere (XDG).

    A counter PC's dossier-code block belongs to the counter, not to an OS account: every Windows
    account that works the counter must share one database, hence %PROGRAMDATA%.
    """
    if system == "win32":
        return Path(environ.get("PROGRAMDATA") or environ.get("ALLUSERSPROFILE") or r"C:\ProgramData") / APP_DIR_WINDOWS
    base = environ.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / APP_DIR_POSIX


def default_data_dir() -> Path:
    """The default data directory of this machine."""
    return data_dir_for(sys.platform, os.environ, Path.home())


def windows_fonts_dir(environ: Mapping[str, str]) -> Path:
    """Where Windows keeps its fonts (Times New Roman, Arial and Segoe UI cover Vietnamese)."""
    return Path(environ.get("WINDIR") or r"C:\Windows") / "Fonts"


def acl_grants(principal: str) -> list[str]:
    """Full control for Administrators and SYSTEM, modify for `principal` (an account or the clerks' group);
    (OI)(CI) passes each grant on to the files created inside."""
    return [f"{ADMINISTRATORS_SID}:(OI)(CI)F", f"{SYSTEM_SID}:(OI)(CI)F", f"{principal}:(OI)(CI)M"]


def icacls_command(directory: Path | str, account: str) -> list[str]:
    """The icacls call that restricts a data directory to Administrators, SYSTEM and `account`.

    Inheritance from %PROGRAMDATA% (where every user may read) is removed. install.ps1 -AllUsers makes
    the same call for the clerks' local group; another account joins with `net localgroup MotCua NAME /add`.
    """
    grants = [arg for grant in acl_grants(account) for arg in ("/grant:r", grant)]
    return ["icacls", str(directory), "/inheritance:r", *grants]


def acl_pending(directory: Path) -> bool:
    """True until an icacls on `directory` succeeded (ACL_MARKER is written after it, by the app or by
    install.ps1): a failed one is retried on the next start, never forgotten. A folder inside a restricted
    one inherits its ACL (the clerks' group keeps access to it)."""
    return not (directory / ACL_MARKER).exists() and not (directory.parent / ACL_MARKER).exists()


def windows_account(environ: Mapping[str, str]) -> str:
    """DOMAIN\\user of the signed-in Windows account (icacls accepts both forms)."""
    user = environ.get("USERNAME", "")
    domain = environ.get("USERDOMAIN", "")
    return f"{domain}\\{user}" if domain and user else user


def is_shared_dir(mode: int) -> bool:
    """True for a directory mode set by `install.sh --system`: setgid and open to its group (POSIX)."""
    return bool(mode & stat.S_ISGID) and mode & 0o070 == 0o070


def _shared(directory: Path) -> bool:
    try:
        return is_shared_dir(directory.stat().st_mode)
    except OSError:
        return False


def group_refusal(directory: Path, group: str, account: str) -> str:
    """The one sentence for an account outside the group that owns a shared data directory."""
    return (f"Tài khoản {account} không thuộc nhóm {group} nên không dùng được dữ liệu quầy ở {directory}; "
            f"nhờ quản trị viên chạy: usermod -aG {group} {account}, rồi đăng nhập lại.")


def check_shared_access(directory: Path) -> None:
    """Refuse, naming the group, an account that may not enter a shared data directory (POSIX)."""
    if WINDOWS or not _shared(directory) or os.access(directory, os.R_OK | os.W_OK | os.X_OK):
        return
    import grp
    import pwd

    gid, uid = directory.stat().st_gid, os.geteuid()
    try:
        group, account = grp.getgrgid(gid).gr_name, pwd.getpwuid(uid).pw_name
    except KeyError:
        group, account = str(gid), str(uid)
    raise CounterError(group_refusal(directory, group, account))


def make_private_dir(directory: Path) -> None:
    """Create `directory` if needed, readable only by its owner (POSIX) or the counter's accounts (Windows).

    Inside a shared data directory (`install.sh --system`: setgid, group-owned) new folders are shared
    with the group too, and the shared directory itself is left as the installer made it.
    """
    if not WINDOWS:
        check_shared_access(directory)
        if _shared(directory):
            return
    created = not directory.exists()
    directory.mkdir(parents=True, exist_ok=True)
    if not WINDOWS:
        os.chmod(directory, SHARED_DIR_MODE if created and _shared(directory.parent) else 0o700)
    elif acl_pending(directory):
        _restrict_windows(directory)


def _restrict_windows(directory: Path) -> None:
    """Run icacls on a data directory and remember that it worked; one sentence when it did not."""
    import subprocess  # imported by the commands that need it, not by every start

    account = windows_account(os.environ)
    try:
        subprocess.run(icacls_command(directory, account), capture_output=True, check=True, timeout=30)
        (directory / ACL_MARKER).write_text(subprocess.list2cmdline(icacls_command(directory, account)) + "\n",
                                            encoding="utf-8")
    except (OSError, subprocess.SubprocessError) as exc:
        raise CounterError(f"Không giới hạn được quyền truy cập thư mục {directory} ({exc}); chạy lại install.cmd "
                           "với quyền quản trị (hoặc mở ứng dụng bằng tài khoản đã tạo thư mục).") from None


def private_file_mode(directory: Path) -> int:
    """The POSIX mode for a private file in `directory`: the group's too in a shared data directory."""
    return SHARED_FILE_MODE if _shared(directory) else 0o600


def make_private_file(path: Path) -> None:
    """Make a file readable by its owner only, or by the group in a shared data directory (POSIX);
    on Windows it inherits the directory's ACL. A file another account owns is left as it is."""
    if WINDOWS:
        return
    mode = private_file_mode(path.parent)
    info = path.stat()
    if stat.S_IMODE(info.st_mode) != mode and info.st_uid == os.geteuid():
        os.chmod(path, mode)


# --- Windows DPAPI (the per-machine store key) -----------------------------------------------------

CRYPTPROTECT_UI_FORBIDDEN = 0x1
CRYPTPROTECT_LOCAL_MACHINE = 0x4


@cache
def data_blob() -> Any:
    """The DATA_BLOB structure (wincrypt.h): a byte count and a pointer. Built on first use, so that ctypes
    is imported only by a DPAPI key store, not by every command."""
    import ctypes

    class DataBlob(ctypes.Structure):
        _fields_ = [("cbData", ctypes.c_uint32), ("pbData", ctypes.POINTER(ctypes.c_char))]

    return DataBlob


def blob_of(data: bytes) -> tuple[Any, Any]:
    """A DATA_BLOB over a copy of `data`, and the buffer that must outlive the call using it."""
    import ctypes

    buffer = ctypes.create_string_buffer(data, len(data))
    return data_blob()(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char))), buffer


def blob_bytes(blob: Any) -> bytes:
    """The bytes a DATA_BLOB points to."""
    import ctypes

    return ctypes.string_at(blob.pbData, blob.cbData)


def dpapi_flags(machine: bool) -> int:
    """CryptProtectData flags: never a prompt; tied to this PC (any local account) rather than one account."""
    return CRYPTPROTECT_UI_FORBIDDEN | (CRYPTPROTECT_LOCAL_MACHINE if machine else 0)


class Dpapi:
    """Seal and unseal bytes with Windows DPAPI. With `machine`, every account of this PC may unseal: the
    file's ACL (the data directory's: Administrators, SYSTEM, the clerks' group) is what guards it."""

    def __init__(self, machine: bool = True) -> None:
        self.flags = dpapi_flags(machine)

    def seal(self, data: bytes) -> bytes:
        """CryptProtectData."""
        return self._call("CryptProtectData", data)

    def unseal(self, data: bytes) -> bytes:
        """CryptUnprotectData."""
        return self._call("CryptUnprotectData", data)

    def _call(self, name: str, data: bytes) -> bytes:  # pragma: no cover - needs Windows
        """Both calls take (in, description, entropy, reserved, prompt, flags, out); `out` is LocalFree'd."""
        import ctypes

        windll: Any = ctypes.WinDLL  # type: ignore[attr-defined,unused-ignore]
        crypt32, kernel32 = windll("crypt32", use_last_error=True), windll("kernel32")
        source, _buffer = blob_of(data)
        out = data_blob()()
        if not getattr(crypt32, name)(ctypes.byref(source), None, None, None, None, self.flags, ctypes.byref(out)):
            error = ctypes.get_last_error()  # type: ignore[attr-defined,unused-ignore]
            raise CounterError(f"Windows không mở được khoá của dữ liệu ({name}, lỗi {error}); "
                               "khoá chỉ dùng được trên máy đã tạo ra nó.")
        try:
            return blob_bytes(out)
        finally:
            kernel32.LocalFree(out.pbData)


# --- consoles and terminals ------------------------------------------------------------------------

def setup_console(streams: Iterable[TextIO | Any] = ()) -> None:
    """Write UTF-8 to stdout/stderr whatever the console code page (cp1258 on a Vietnamese Windows)."""
    for stream in streams or (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8")


def watched_terminal_fd() -> int | None:
    """The controlling terminal's file descriptor to watch for hang-up, or None (Windows, no tty)."""
    stream = sys.__stdin__
    if WINDOWS or stream is None:
        return None
    try:
        fd = stream.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) and terminal_alive(fd) else None


def terminal_alive(fd: int) -> bool:
    """False once the terminal behind `fd` has hung up (POSIX; always True on Windows)."""
    if WINDOWS:
        return True
    try:
        os.tcgetpgrp(fd)
    except OSError:
        return False
    return True


# --- native libraries ------------------------------------------------------------------------------

_DLL_DIRS: set[str] = set()

RUNTIME_DLL = "msvcp140.dll"
"""The VC++ runtime DLL zxing-cpp's module needs; the msvc-runtime wheel puts it in the venv's root."""


def runtime_dll_dir(prefix: Path, system: str) -> Path | None:
    """The folder to add to Windows' DLL search for native modules: the venv's root when the bundle's
    VC++ runtime is there (Python 3.8+ no longer searches PATH or the venv for an extension's DLLs)."""
    return prefix if system == "win32" and (prefix / RUNTIME_DLL).is_file() else None


def try_import(module: str) -> tuple[ModuleType | None, str]:
    """Import `module`; on any failure (a missing DLL raises OSError, not ImportError) say why instead."""
    folder = runtime_dll_dir(Path(sys.prefix), sys.platform)
    if folder is not None and str(folder) not in _DLL_DIRS:  # pragma: no cover - needs Windows
        os.add_dll_directory(str(folder))  # type: ignore[attr-defined,unused-ignore]
        _DLL_DIRS.add(str(folder))
    try:
        return importlib.import_module(module), ""
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}".strip().rstrip(".")


# --- printing --------------------------------------------------------------------------------------

def lp_command(lp: str, title: str, printer: str, paper: str) -> list[str]:
    """The CUPS `lp` call for one PDF read from stdin."""
    command = [lp, "-t", title]
    if printer:
        command += ["-d", printer]
    if paper in ("A4", "A5"):
        command += ["-o", f"media={paper}"]
    return command


def print_pdf(data: bytes, title: str, printer: str, paper: str) -> str:
    """Send a PDF to the system print spooler; returns the printer name shown to the clerk."""
    if WINDOWS:
        return _print_windows(data, title, printer, paper)
    return _print_lp(data, title, printer, paper)


def _print_lp(data: bytes, title: str, printer: str, paper: str) -> str:
    import shutil
    import subprocess

    lp = shutil.which("lp")
    if lp is None:
        raise PrintError('Không tìm thấy lệnh in lp (CUPS); cài gói cups-client hoặc đặt [printer].kind = "pdf".')
    try:
        done = subprocess.run(lp_command(lp, title, printer, paper), input=data, capture_output=True,
                              timeout=LP_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise PrintError("Hệ thống in không trả lời sau 60 giây; kiểm tra dịch vụ CUPS rồi in lại.") from None
    except OSError as exc:
        raise PrintError(f"Không chạy được lệnh in lp ({exc.strerror or exc}).") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = reason[-1].removeprefix("lp: ").strip().rstrip(".") if reason else f"mã lỗi {done.returncode}"
        raise PrintError(f"Máy in từ chối lệnh in: {detail}.")
    return printer or "mặc định"


def choose_printer(requested: str, installed: Sequence[str], default: str) -> str:
    """The Windows printer to use: the one named in [printer].name, else the default; PrintError if none."""
    if requested:
        for name in installed:
            if name.casefold() == requested.casefold():
                return name
        raise PrintError(f"Không có máy in “{requested}” trên máy này; sửa [printer].name trong counter.toml "
                         "hoặc để trống để dùng máy in mặc định.")
    if default:
        return default
    if installed:
        return installed[0]
    raise PrintError("Máy tính chưa cài máy in nào; cài máy in trong Windows Settings hoặc đặt "
                     '[printer].kind = "pdf".')


@dataclass(frozen=True)
class Placement:
    """Where one PDF page lands on the printer's device context, and the scale to rasterise it at."""

    render_scale: float
    """pypdfium2 scale (1 = 72 dpi)."""
    rect: tuple[int, int, int, int]
    """left, top, right, bottom in device pixels of the printable area."""


def fit_page(page_pt: tuple[float, float], paper_px: tuple[int, int], offset_px: tuple[int, int],
             dpi: tuple[int, int]) -> Placement:
    """Place a PDF page at its true size from the paper's top-left corner, shrunk only if it does not fit.

    The printable area starts `offset_px` from the paper's edge, so the page is drawn at -offset to
    keep the document's own margins exact; a page larger than the paper is scaled down to fit.
    """
    width_px = page_pt[0] / 72 * dpi[0]
    height_px = page_pt[1] / 72 * dpi[1]
    shrink = min(1.0, paper_px[0] / width_px, paper_px[1] / height_px)
    left, top = -offset_px[0], -offset_px[1]
    right = left + round(width_px * shrink)
    bottom = top + round(height_px * shrink)
    render_dpi = min(max(dpi), RENDER_DPI_CAP) * shrink
    return Placement(render_dpi / 72, (left, top, right, bottom))


DMPAPER = {"A4": 9, "A5": 11}
"""DEVMODE paper sizes (wingdi.h); the 80 mm roll is a user-defined size."""
DMPAPER_USER = 256
DM_PAPERSIZE, DM_PAPERLENGTH, DM_PAPERWIDTH = 0x2, 0x4, 0x8
DM_OUT_BUFFER, DM_IN_BUFFER = 0x2, 0x8


@dataclass(frozen=True)
class PaperSetting:
    """The DEVMODE fields that set the paper: which fields, the size code, width and length (0.1 mm)."""

    fields: int
    size: int
    width: int = 0
    length: int = 0


def paper_setting(paper: str, page_pt: tuple[float, float]) -> PaperSetting:
    """A4/A5 by their codes; anything else (the 80 mm roll) as a user size cut to the document's first page."""
    if paper in DMPAPER:
        return PaperSetting(DM_PAPERSIZE, DMPAPER[paper])
    width, length = (round(side / 72 * 254) for side in page_pt)
    return PaperSetting(DM_PAPERSIZE | DM_PAPERWIDTH | DM_PAPERLENGTH, DMPAPER_USER, width, length)


def apply_paper(devmode: Any, setting: PaperSetting) -> None:
    """Write a PaperSetting into a pywin32 PyDEVMODE (Fields, PaperSize, PaperWidth, PaperLength)."""
    devmode.Fields |= setting.fields
    devmode.PaperSize = setting.size
    if setting.fields & DM_PAPERWIDTH:
        devmode.PaperWidth, devmode.PaperLength = setting.width, setting.length


@dataclass(frozen=True)
class PrintJob:
    """What a Windows print job needs, decided before any Win32 call: printer, title, paper, page places."""

    printer: str
    title: str
    paper: PaperSetting


def print_job(title: str, requested: str, installed: Sequence[str], default: str, paper: str,
              first_page_pt: tuple[float, float]) -> PrintJob:
    """The printer to use (PrintError if none) and the paper to set on it."""
    return PrintJob(choose_printer(requested, installed, default), title, paper_setting(paper, first_page_pt))


def _print_windows(data: bytes, title: str, printer: str, paper: str) -> str:  # pragma: no cover - needs Windows
    """Rasterise each page with pypdfium2 and draw it on a printer DC made by win32gui (no win32ui, so no MFC).

    Every import is inside the error handling: a missing DLL raises OSError, and the caller audits a
    PrintError only.
    """
    try:
        import pypdfium2
        import win32gui
        import win32print
        from PIL import ImageWin
    except Exception as exc:
        raise PrintError(f"Không nạp được thư viện in của Windows ({type(exc).__name__}: {exc}); cài lại ứng dụng "
                         'hoặc đặt [printer].kind = "pdf".') from None
    try:
        document = pypdfium2.PdfDocument(data)
    except Exception as exc:
        raise PrintError(f"Không đọc được tài liệu để in ({exc}).") from None
    try:
        enum = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
        installed = [entry[2] for entry in win32print.EnumPrinters(enum)]
        try:
            default = win32print.GetDefaultPrinter()
        except Exception:
            default = ""
        job = print_job(title, printer, installed, default, paper, document[0].get_size())
        _spool(job, document, win32gui, win32print, ImageWin)
    except PrintError:
        raise
    except Exception as exc:
        raise PrintError(f"Máy in “{printer or 'mặc định'}” không nhận lệnh in ({exc}).") from None
    finally:
        document.close()
    return job.printer


def _spool(job: PrintJob, document: Any, win32gui: Any, win32print: Any, image_win: Any) -> None:  # pragma: no cover
    """Set the paper on the printer's DEVMODE, make a DC with it and draw every page at its true size."""
    handle = win32print.OpenPrinter(job.printer)
    try:
        devmode = win32print.GetPrinter(handle, 2)["pDevMode"]
        apply_paper(devmode, job.paper)
        win32print.DocumentProperties(0, handle, job.printer, devmode, devmode, DM_IN_BUFFER | DM_OUT_BUFFER)
    finally:
        win32print.ClosePrinter(handle)
    dc = win32gui.CreateDC("WINSPOOL", job.printer, devmode)
    try:
        dpi = (win32print.GetDeviceCaps(dc, LOGPIXELSX), win32print.GetDeviceCaps(dc, LOGPIXELSY))
        paper = (win32print.GetDeviceCaps(dc, PHYSICALWIDTH), win32print.GetDeviceCaps(dc, PHYSICALHEIGHT))
        offset = (win32print.GetDeviceCaps(dc, PHYSICALOFFSETX), win32print.GetDeviceCaps(dc, PHYSICALOFFSETY))
        win32print.StartDoc(dc, (job.title, None, None, 0))
        for index in range(len(document)):
            page = document[index]
            place = fit_page(page.get_size(), paper, offset, dpi)
            win32print.StartPage(dc)
            image_win.Dib(page.render(scale=place.render_scale).to_pil()).draw(dc, place.rect)
            win32print.EndPage(dc)
        win32print.EndDoc(dc)
    finally:
        win32gui.DeleteDC(dc)
