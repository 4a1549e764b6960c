"""The Windows side, run here on Linux: the installer scripts parsed by tree-sitter's PowerShell grammar and
checked for what Windows PowerShell 5.1 and cmd need, the ACL they set equal to the app's, the DPAPI
structures and a sealed key store, path quoting, and print-job building (printer, paper)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pyrage
import pytest
import tree_sitter
import tree_sitter_powershell

from counter import platform
from counter.platform import PrintError
from counter.store import keys

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts" / "bundle"
POWERSHELL = sorted(SCRIPTS.glob("*.ps1"))
BATCH = sorted(SCRIPTS.glob("*.cmd"))


def parse_errors(source: bytes) -> list[str]:
    """The lines tree-sitter's PowerShell grammar could not parse (ERROR or missing nodes)."""
    tree = tree_sitter.Parser(tree_sitter.Language(tree_sitter_powershell.language())).parse(source)
    found: list[str] = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            found.append(f"line {node.start_point[0] + 1}: {node.text!r}")
        stack.extend(node.children)
    return found


def test_the_grammar_catches_a_broken_script() -> None:
    """The check below is not vacuous: an unclosed block is an error."""
    assert parse_errors(b"if ($x) { Write-Host 'a'\n") and not parse_errors(b"if ($x) { Write-Host 'a' }\n")


@pytest.mark.parametrize("script", POWERSHELL, ids=lambda p: p.name)
def test_powershell_scripts_parse_and_stay_ascii(script: Path) -> None:
    """Each .ps1 parses; ASCII only (5.1 reads a BOM-less script in the ANSI code page); paths taken
    literally (-LiteralPath, .NET calls; never New-Item or Resolve-Path, whose -Path expands wildcards)."""
    source = script.read_bytes()
    assert parse_errors(source) == []
    assert source.isascii()
    text = source.decode("ascii")
    assert not re.search(r"\b(New-Item|Resolve-Path)\b", text)
    for command in ("Test-Path", "Remove-Item", "Get-ChildItem", "Copy-Item", "Get-FileHash"):
        for use in re.findall(rf"{command}\b[^\n|;]*", text):
            assert "-LiteralPath" in use, use


@pytest.mark.parametrize("script", BATCH, ids=lambda p: p.name)
def test_batch_files_keep_the_window_open_and_trim_a_trailing_backslash(script: Path) -> None:
    """CRLF, ASCII; `pause` when the installer failed; a trailing backslash is cut before it meets a quote."""
    source = script.read_bytes()
    assert source.isascii() and source.count(b"\n") == source.count(b"\r\n")
    text = source.decode("ascii")
    assert re.search(r'if not "%RESULT%"=="0" \(.*pause\)', text)
    assert '"%TARGET:~-1%"=="\\" (set "TARGET=%TARGET:~0,-1%" & goto trim)' in text


def test_installer_sets_the_acl_the_app_checks() -> None:
    """install.ps1 -AllUsers grants exactly what the app would (for the clerks' group) and leaves the marker
    the app reads, so a clerk's account never re-runs icacls on a folder it does not own."""
    text = (SCRIPTS / "install.ps1").read_text(encoding="ascii")
    call = re.search(r'Invoke-Icacls \$DataDir @\((.+)\)', text)
    assert call is not None
    assert re.findall(r'"([^"]+)"', call[1]) == platform.acl_grants("${Group}")
    assert f'(Join-Path $DataDir "{platform.ACL_MARKER}")' in text
    assert "dpapi-machine" in text and "COUNTER_KEY_DIR" in text


def test_acl_is_pending_until_the_marker_exists(tmp_path: Path) -> None:
    """A failed icacls leaves no marker, so the next start tries again; folders inside inherit."""
    assert platform.acl_pending(tmp_path)
    (tmp_path / platform.ACL_MARKER).write_text("icacls ...", encoding="utf-8")
    assert not platform.acl_pending(tmp_path)
    assert not platform.acl_pending(tmp_path / "prints"), "a folder inside inherits the ACL"


def test_icacls_command_line_quotes_spaces_vietnamese_and_a_trailing_backslash() -> None:
    """What Windows' CreateProcess gets: the path in quotes, a trailing backslash doubled so it does not
    escape the closing quote."""
    line = subprocess.list2cmdline(platform.icacls_command("D:\\Dữ liệu quầy\\", "QUAY1\\Cán bộ"))
    assert line.startswith('icacls "D:\\Dữ liệu quầy\\\\" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F')
    assert line.endswith('/grant:r "QUAY1\\Cán bộ:(OI)(CI)M"')


def test_dpapi_blobs_and_flags() -> None:
    """DATA_BLOB round trip (NUL bytes kept); machine scope adds CRYPTPROTECT_LOCAL_MACHINE, never a prompt."""
    blob, _buffer = platform.blob_of(b"k\x00e\x00y")
    assert blob.cbData == 5 and platform.blob_bytes(blob) == b"k\x00e\x00y"
    assert platform.dpapi_flags(True) == platform.CRYPTPROTECT_UI_FORBIDDEN | platform.CRYPTPROTECT_LOCAL_MACHINE
    assert platform.dpapi_flags(False) == platform.CRYPTPROTECT_UI_FORBIDDEN


class AgeSealer:
    """A real sealer for this machine's tests (age passphrase encryption), in DPAPI's place."""

    def seal(self, data: bytes) -> bytes:
        """Encrypt."""
        return pyrage.passphrase.encrypt(data, "quầy-1")

    def unseal(self, data: bytes) -> bytes:
        """Decrypt."""
        return pyrage.passphrase.decrypt(data, "quầy-1")


def test_a_sealed_key_store_keeps_no_readable_key(tmp_path: Path) -> None:
    """With a sealer the key file holds only sealed bytes, and the key comes back; keyring is never used."""
    store = keys.KeyStore("keyring", tmp_path / "keys", sealer=AgeSealer())
    assert not store.use_keyring
    key = bytes(range(32))
    store.put("id-1", key)
    assert key.hex().encode() not in (tmp_path / "keys" / "id-1.key").read_bytes()
    assert store.get("id-1") == key
    assert keys.KeyStore("file", tmp_path / "keys").get("id-1") is None, "unsealed reading fails cleanly"


def test_dpapi_machine_backend_is_chosen_by_the_launcher(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """COUNTER_KEY_BACKEND=dpapi-machine (counter.cmd of an all-users install): DPAPI for this PC, in KEY_DIR."""
    monkeypatch.setenv("COUNTER_KEY_BACKEND", "dpapi-machine")
    monkeypatch.setenv("COUNTER_KEY_DIR", str(tmp_path))
    store = keys.key_store()
    assert isinstance(store.sealer, platform.Dpapi) and store.sealer.flags & platform.CRYPTPROTECT_LOCAL_MACHINE
    assert store.key_dir == tmp_path and not store.use_keyring


def test_print_job_sets_the_paper() -> None:
    """A4 and A5 by DEVMODE code; the 80 mm roll as a user size from the page (tenths of a millimetre)."""
    job = platform.print_job("Giấy tiếp nhận", "", ["HP"], "HP", "A5", (419.53, 595.28))
    assert job.printer == "HP" and job.paper == platform.PaperSetting(platform.DM_PAPERSIZE, 11)
    assert platform.paper_setting("A4", (595.28, 841.89)).size == 9
    roll = platform.paper_setting("80mm", (226.77, 600.0))
    assert (roll.size, roll.width, roll.length) == (platform.DMPAPER_USER, 800, 2117)
    devmode = SimpleNamespace(Fields=0x1, PaperSize=1, PaperWidth=0, PaperLength=0)
    platform.apply_paper(devmode, roll)
    assert devmode.Fields == 0x1 | platform.DM_PAPERSIZE | platform.DM_PAPERWIDTH | platform.DM_PAPERLENGTH
    assert (devmode.PaperSize, devmode.PaperWidth, devmode.PaperLength) == (256, 800, 2117)
    with pytest.raises(PrintError, match="chưa cài máy in nào"):
        platform.print_job("x", "", [], "", "A4", (595.28, 841.89))


def test_windows_print_path_needs_no_mfc() -> None:
    """The Windows print path imports win32print and win32gui only (win32ui needs mfc140u.dll, absent from
    pywin32's wheel), and every import sits inside the error handling."""
    source = (Path(platform.__file__)).read_text(encoding="utf-8")
    assert "win32ui" not in source.replace("no win32ui", "")
    body = source[source.index("def _print_windows"):source.index("def _spool")]
    assert body.index("    try:\n        import pypdfium2") < body.index("import win32print")


def test_the_bundled_vc_runtime_is_searched_on_windows_only(tmp_path: Path) -> None:
    """msvc-runtime's MSVCP140.dll in the venv's root is added to the DLL search on Windows, else nothing."""
    assert platform.runtime_dll_dir(tmp_path, "win32") is None
    (tmp_path / platform.RUNTIME_DLL).write_bytes(b"MZ")
    assert platform.runtime_dll_dir(tmp_path, "win32") == tmp_path
    assert platform.runtime_dll_dir(tmp_path, "linux") is None
