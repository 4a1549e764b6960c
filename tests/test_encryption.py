"""Encryption at rest: no personal data in the raw bytes, key outside the data directory, safe refusals."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from sqlmodel import select

from counter.context import open_context
from counter.errors import StoreError
from counter.store import Dossier, open_store
from counter.store.db import PLAINTEXT_HEADER, connect
from counter.store.keys import KEY_ID_FILE, key_store
from tests.conftest import Cli, run_cli, write_config


def demo_supervisor(output: str) -> tuple[str, str]:
    """The demo's supervisor account and PIN, as `counter demo` printed them."""
    line = next(line for line in output.splitlines() if "giám sát" in line and "PIN" in line)
    return line.strip().split("   ")[0].strip(), line.rsplit("PIN", 1)[1].strip()


def _raw_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


def _fingerprint(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


def _key_file(data_dir: Path) -> Path:
    """The file holding the key of `data_dir` (tests force the file backend)."""
    key_id = (data_dir / KEY_ID_FILE).read_text().strip()
    return Path(os.environ["COUNTER_KEY_DIR"]) / f"{key_id}.key"


def _personal_data(config: Path) -> tuple[list[str], list[str]]:
    """The names and ID numbers of the first 40 dossiers, read through the key."""
    ctx = open_context(config)
    try:
        with ctx.store.read() as session:
            rows = list(session.exec(select(Dossier).limit(40)))
    finally:
        ctx.close()
    return [r.applicant_name for r in rows], [r.applicant_id_number for r in rows]


def test_demo_data_directory_holds_no_names_or_id_numbers(tmp_path: Path) -> None:
    """After `counter demo` the raw bytes of every file under the data directory hold none of the demo's
    names or ID numbers (in UTF-8 or UTF-16), and no key."""
    config = write_config(tmp_path / "c")
    result = run_cli("demo", "--dossiers", "60", "--days", "5", config=config)
    assert result.returncode == 0, result.stderr
    assert "KHÔNG được mã hoá" not in result.stderr
    names, numbers = _personal_data(config)
    assert len(set(names)) >= 10 and len(set(numbers)) >= 10
    raw = _raw_bytes(tmp_path / "c" / "data")
    assert len(raw) > 50_000
    # Only words of six bytes or more: a shorter one ("Xã" is 3 bytes) turns up in megabytes of ciphertext
    # by chance (CI saw it once), which would prove nothing about plaintext.
    for text in {*names, *numbers, "Trần", "Nguyễn", "Phường", "Xã Hải", "Thôn Đông"}:
        for encoding in ("utf-8", "utf-16-le"):
            assert text.encode(encoding) not in raw, text
    key_file = _key_file(tmp_path / "c" / "data")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key_hex = key_file.read_text().strip()
    assert key_hex.encode() not in raw and bytes.fromhex(key_hex) not in raw
    assert (tmp_path / "c" / "data" / "counter.db").read_bytes()[:16] != PLAINTEXT_HEADER


def _plaintext_store(tmp_path: Path) -> tuple[Path, Path]:
    """A counter whose database was written by an earlier version: plaintext, one dossier."""
    config = write_config(tmp_path / "c", extra="")
    plain = config.with_name("plain.toml")
    plain.write_text(config.read_text(encoding="utf-8").replace(
        "[storage]\n", "[storage]\nencrypt = false\n"), encoding="utf-8")
    result = run_cli("demo", "--dossiers", "8", "--days", "2", config=plain)
    assert result.returncode == 0 and "KHÔNG được mã hoá" in result.stderr
    return config, tmp_path / "c" / "data" / "counter.db"


def test_plaintext_database_is_encrypted_in_place_on_first_start(tmp_path: Path) -> None:
    """A plaintext file is converted on first start; its dossiers stay and the name leaves the bytes."""
    config, path = _plaintext_store(tmp_path)
    with open(path, "rb") as handle:
        assert handle.read(16) == PLAINTEXT_HEADER
    before = _personal_data(config)
    assert before[0], "the earlier version wrote a dossier"
    assert _personal_data(config) == before
    assert path.read_bytes()[:16] != PLAINTEXT_HEADER
    raw = _raw_bytes(path.parent)
    assert not any(name.encode() in raw for name in before[0])
    assert not list(path.parent.glob("*.encrypting"))


def test_failed_conversion_leaves_the_old_file_as_it_was(tmp_path: Path) -> None:
    """A plaintext file that cannot be exported (damaged) is refused and stays byte for byte the same."""
    config, path = _plaintext_store(tmp_path)
    data = bytearray(path.read_bytes())
    data[4096: 4 * 4096] = b"\xff" * (3 * 4096)
    path.write_bytes(bytes(data))
    before = _fingerprint(path.parent)
    result = run_cli("dossier", "list", config=config)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert _fingerprint(path.parent) == before


def test_copied_data_directory_without_its_key_stops_with_one_sentence(tmp_path: Path) -> None:
    """Without the key every command stops: one sentence naming the way back, exit 1, nothing written."""
    config = write_config(tmp_path / "c")
    assert run_cli("demo", "--dossiers", "5", "--days", "2", config=config).returncode == 0
    data = tmp_path / "c" / "data"
    key_file = _key_file(data)
    key_file.unlink()
    before = _fingerprint(data)
    for command in (["dossier", "list"], ["demo", "--dossiers", "1"], ["audit"]):
        result = run_cli(*command, config=config)
        assert result.returncode == 1, command
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "khoá giải mã" in lines[0] and "counter restore" in lines[0]
        assert _fingerprint(data) == before
    assert not key_file.exists()


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_damaged_database_is_named_and_never_written_over(tmp_path: Path, damage: str) -> None:
    """Bytes changed or a truncated file: one sentence naming the file and what to do; the file stays."""
    config = write_config(tmp_path / "c")
    demo = run_cli("demo", "--dossiers", "20", "--days", "2", config=config)
    assert demo.returncode == 0
    cli = Cli(config).login(*demo_supervisor(demo.stdout))
    path = tmp_path / "c" / "data" / "counter.db"
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[9000:9016] = bytes(16)
    else:
        data = data[: len(data) // 2 + 100]
    path.write_bytes(bytes(data))
    before = _fingerprint(path.parent)
    for command in (["db", "check"], ["audit", "verify"], ["dossier", "list"]):
        result = cli(*command)
        assert "Traceback" not in result.stderr
        assert _fingerprint(path.parent) == before, f"`{' '.join(command)}` changed the damaged files"
        if command == ["db", "check"]:  # the open reads only the header and schema; the check reads it all
            assert result.returncode == 1
        if result.returncode:  # a command that reads only whole pages may still answer; one that fails says why
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and str(path) in lines[0] and "sao lưu" in lines[0]


def test_key_lives_outside_the_data_directory(tmp_path: Path) -> None:
    """The data directory holds only a key id; the key is in the key store and opens the file."""
    path = tmp_path / "data" / "counter.db"
    store = open_store(path)
    store.close()
    key_id = (path.parent / KEY_ID_FILE).read_text().strip()
    key = key_store().get(key_id)
    assert key is not None and len(key) == 32 and store.key == key
    files = {p.name for p in path.parent.iterdir() if p.is_file()}
    assert {KEY_ID_FILE, "counter.db"} <= files <= {KEY_ID_FILE, "counter.db", "counter.db-shm", "counter.db-wal"}
    conn = connect(path, key)
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 5
    conn.close()
    with pytest.raises(StoreError, match="khoá"):
        open_store(path, keys=type(key_store())("file", tmp_path / "elsewhere"))


def test_encryption_off_is_said_on_every_start(tmp_path: Path) -> None:
    """With [storage] encrypt = false every command that opens the database warns on stderr."""
    config = write_config(tmp_path / "c")
    config.write_text(config.read_text(encoding="utf-8").replace("[storage]\n", "[storage]\nencrypt = false\n"),
                      encoding="utf-8")
    for _ in range(2):
        result = run_cli("db", "check", config=config)
        assert result.returncode == 0 and "KHÔNG được mã hoá" in result.stderr
    assert os.path.getsize(tmp_path / "c" / "data" / "counter.db") > 0
