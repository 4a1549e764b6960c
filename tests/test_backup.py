"""Backups that restore: age-encrypted snapshots, verify, restore with a new key, and sync after a restore."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import col, select

from counter.context import CounterContext, open_context
from counter.custody import backup
from counter.records.dossiers import RestoredNotSynced
from counter.services.demo import fill_demo
from counter.store import Dossier
from counter.store.models import AuditEntry
from sync.client import run_pass
from tests.conftest import CLERK_NAME, COUNTER_BIN, PINS, SUPERVISOR_NAME, Cli, make_accounts, run_cli
from tests.synchelpers import HubProcess, assert_delivered, enrolled_counter, open_dossier


@pytest.fixture
def identity(tmp_path: Path) -> tuple[Path, str]:
    """An age identity file (as `counter backup keygen` writes it) and its recipient."""
    path = tmp_path / "supervisor" / "backup-key.txt"
    result = run_cli("backup", "keygen", "--out", str(path))
    assert result.returncode == 0, result.stderr
    recipient = result.stdout.splitlines()[0]
    assert recipient.startswith("age1") and oct(path.stat().st_mode & 0o777) == "0o600"
    assert recipient in path.read_text()
    return path, recipient


def test_create_verify_and_keep_newest(ctx: CounterContext, supervisor_cli: Cli, identity: tuple[Path, str],
                                       tmp_path: Path) -> None:
    """`backup create` writes one named file holding no plaintext, `verify` prints the counts, `keep` prunes."""
    fill_demo(ctx, 30, days=3, seed=5)
    folder = tmp_path / "usb"
    folder.mkdir()
    prefix = f"{ctx.config.unit.code}-{ctx.config.counter.id}-"
    for old in ("20250101-080000", "20250102-080000"):
        (folder / f"{prefix}{old}.mcbak").write_bytes(b"old")
    created = supervisor_cli("backup", "create", "--to", str(folder), "--recipient", identity[1], "--json")
    assert created.returncode == 0, created.stderr
    made = json.loads(created.stdout)
    path = Path(made["path"])
    assert path.parent == folder and path.name.startswith(prefix) and path.suffix == ".mcbak"
    assert made["dossiers"] == 30 and made["size"] == path.stat().st_size
    assert path.stat().st_mode & 0o777 == 0o600, "a backup is readable by its owner only"
    with ctx.store.read() as session:
        names = [d.applicant_name for d in session.exec(select(Dossier))]
    assert not any(n.encode() in path.read_bytes() for n in names)
    checked = run_cli("backup", "verify", str(path), "--identity", str(identity[0]), "--json")
    assert checked.returncode == 0, checked.stderr
    counts = json.loads(checked.stdout)
    assert counts["dossiers"] == 30 and counts["events"] >= 30 and counts["audit_chain"]["ok"]
    assert counts["audit_entries"] == counts["audit_chain"]["entries"] > 0 and counts["newest_dossier"]["code"]
    assert len(list(folder.glob("*.mcbak"))) == 3  # keep = 30 by default: nothing pruned
    newest = backup.create(ctx, str(folder), identity[1], keep=2).path
    left = sorted(p.name for p in folder.glob("*.mcbak"))
    assert len(left) == 2 and newest.name == left[-1] and f"{prefix}20250101-080000.mcbak" not in left


def test_no_recipient_damaged_and_foreign_files_are_one_sentence(
        ctx: CounterContext, supervisor_cli: Cli, identity: tuple[Path, str], tmp_path: Path) -> None:
    """No recipient: exit 1. A changed byte or another identity: verify exits 1 with the reason."""
    fill_demo(ctx, 5, days=1, seed=6)
    refused = supervisor_cli("backup", "create", "--to", str(tmp_path / "b"))
    assert refused.returncode == 1 and "recipient" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert not (tmp_path / "b").exists() or not list((tmp_path / "b").iterdir())
    result = backup.create(ctx, str(tmp_path / "b"), identity[1])
    damaged = tmp_path / "damaged.mcbak"
    data = bytearray(result.path.read_bytes())
    data[len(data) // 2] ^= 0x01
    damaged.write_bytes(bytes(data))
    other = tmp_path / "other.txt"
    assert run_cli("backup", "keygen", "--out", str(other)).returncode == 0
    for file, key in ((damaged, identity[0]), (result.path, other), (identity[0], identity[0])):
        checked = run_cli("backup", "verify", str(file), "--identity", str(key))
        assert checked.returncode == 1 and "Traceback" not in checked.stderr
        assert len(checked.stderr.strip().splitlines()) == 1


def restore_as(config: Path, file: Path, key: Path, *extra: str, user: str = SUPERVISOR_NAME,
               pin: str | None = None) -> Any:
    """`counter restore` signed in as `user` of the backup (their PIN on stdin)."""
    return run_cli("restore", str(file), "--identity", str(key), "--user", user, "--pin-stdin", *extra,
                   config=config, stdin=f"{pin if pin is not None else PINS[user]}\n")


def test_restore_as_a_supervisor_of_the_backup_then_refuse_then_force_moves_aside(
    ctx: CounterContext, identity: tuple[Path, str], tmp_path: Path
) -> None:
    """A supervisor of the backup restores it (audited); a clerk or a wrong PIN restores nothing; a data
    directory with data is refused unless --force, which moves it aside."""
    config = Path(ctx.config.source)
    make_accounts(config)
    fill_demo(ctx, 12, days=2, seed=7)
    made = backup.create(ctx, str(tmp_path / "b"), identity[1])
    with ctx.store.read() as session:
        codes = sorted(d.code for d in session.exec(select(Dossier)))
    ctx.close()
    fresh = tmp_path / "fresh.toml"
    fresh.write_text(config.read_text(encoding="utf-8").replace(str(ctx.config.storage.data_dir),
                                                                str(tmp_path / "new-data")), encoding="utf-8")
    for user, pin in ((CLERK_NAME, None), (SUPERVISOR_NAME, "000000")):
        denied = restore_as(fresh, made.path, identity[0], user=user, pin=pin)
        assert denied.returncode == 1 and "Traceback" not in denied.stderr
        assert not (tmp_path / "new-data").exists() and not list(tmp_path.glob("new-data.*"))
    restored = restore_as(fresh, made.path, identity[0])
    assert restored.returncode == 0, restored.stderr
    again = open_context(fresh)
    with again.store.read() as session:
        assert sorted(d.code for d in session.exec(select(Dossier))) == codes
        last = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc())).first()
    assert last is not None and (last.action, last.clerk) == ("restore", SUPERVISOR_NAME)
    assert again.store.key != ctx.store.key
    again.close()
    refused = restore_as(config, made.path, identity[0])
    assert refused.returncode == 1 and "--force" in refused.stderr
    forced = restore_as(config, made.path, identity[0], "--force")
    assert forced.returncode == 0, forced.stderr
    aside = [p for p in ctx.config.storage.data_dir.parent.iterdir() if ".truoc-khoi-phuc-" in p.name]
    assert len(aside) == 1 and str(aside[0]) in forced.stdout and (aside[0] / "counter.db").exists()


def _growing_partial(folder: Path, process: subprocess.Popen[bytes]) -> Path | None:
    """The hidden .partial file once it holds bytes (the backup is mid-write), or None if the run ended first."""
    deadline = time.monotonic() + 120  # a guard against a hang, not a speed bound
    while process.poll() is None and time.monotonic() < deadline:
        for partial in folder.glob(".*.partial") if folder.exists() else []:
            with contextlib.suppress(FileNotFoundError):
                if partial.stat().st_size > 0:
                    return partial
        time.sleep(0.005)
    return None


def test_another_units_backup_is_refused_unless_its_unit_is_named(
    ctx: CounterContext, identity: tuple[Path, str], tmp_path: Path
) -> None:
    config = Path(ctx.config.source)
    make_accounts(config)
    made = backup.create(ctx, str(tmp_path / "b"), identity[1])
    ctx.close()
    other = tmp_path / "other.toml"
    other.write_text(config.read_text(encoding="utf-8").replace(ctx.config.unit.code, "000.00.36.Z99").replace(
        str(ctx.config.storage.data_dir), str(tmp_path / "other-data")), encoding="utf-8")
    refused = restore_as(other, made.path, identity[0])
    assert refused.returncode == 1 and f"--force-unit {ctx.config.unit.code}" in refused.stderr
    wrong = restore_as(other, made.path, identity[0], "--force-unit", "000.00.36.Z99")
    assert wrong.returncode == 1 and not (tmp_path / "other-data").exists()
    named = restore_as(other, made.path, identity[0], "--force-unit", ctx.config.unit.code)
    assert named.returncode == 0, named.stderr


def test_kill_during_restore_leaves_the_old_store_or_the_new_one(
    ctx: CounterContext, identity: tuple[Path, str], tmp_path: Path
) -> None:
    """SIGKILL at several moments of `restore --force`: afterwards the data directory holds a store with its
    accounts, or (between the two renames) none, and then nothing makes a fresh empty store beside it."""
    config = Path(ctx.config.source)
    make_accounts(config)
    fill_demo(ctx, 300, days=5, seed=9)
    made = backup.create(ctx, str(tmp_path / "b"), identity[1])
    ctx.close()
    env = {**os.environ, "COUNTER_CONFIG": str(config)}
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.4):
        process = subprocess.Popen(
            [str(COUNTER_BIN), "restore", str(made.path), "--identity", str(identity[0]), "--user", SUPERVISOR_NAME,
             "--pin-stdin", "--force"], env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        assert process.stdin is not None
        process.stdin.write(f"{PINS[SUPERVISOR_NAME]}\n".encode())
        process.stdin.close()
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        check = run_cli("users", "list", "--json", "--user", SUPERVISOR_NAME, "--pin-stdin", config=config,
                        stdin=f"{PINS[SUPERVISOR_NAME]}\n")
        if check.returncode != 0:
            assert "bị ngắt" in check.stderr and "Traceback" not in check.stderr, check.stderr
            assert not (ctx.config.storage.data_dir / "counter.db").exists()
            assert restore_as(config, made.path, identity[0], "--force").returncode == 0
    done = open_context(config)
    with done.store.read() as session:
        assert len(session.exec(select(Dossier)).all()) == 300
    done.close()


def test_kill_during_backup_leaves_no_mcbak_that_is_not_whole(ctx: CounterContext, supervisor_cli: Cli,
                                                              identity: tuple[Path, str], tmp_path: Path) -> None:
    """SIGKILL while `backup create` is writing (its .partial file holds bytes): no *.mcbak appears for the
    interrupted run, what is left is never taken for a backup, and the next backup clears it and verifies."""
    fill_demo(ctx, 400, days=5, seed=8)
    ctx.close()
    folder = tmp_path / "usb"
    env = {**os.environ, "COUNTER_CONFIG": str(supervisor_cli.config)}
    command = [str(COUNTER_BIN), "backup", "create", "--to", str(folder), "--recipient", identity[1]]
    killed_mid_write = 0
    for _ in range(15):  # the write lasts a moment on an idle machine: try until a kill lands inside it
        if killed_mid_write >= 2:
            break
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        partial = _growing_partial(folder, process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if partial is not None and partial.exists():
            killed_mid_write += 1
        for file in folder.glob("*.mcbak"):
            checked = run_cli("backup", "verify", str(file), "--identity", str(identity[0]))
            assert checked.returncode == 0, f"{file.name} after a kill: {checked.stderr}"
    assert killed_mid_write >= 1, "no kill landed while the backup was being written"
    whole_before = set(folder.glob("*.mcbak"))
    made = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    assert not list(folder.glob(".*.partial")), "the next backup clears what interrupted runs left"
    (new,) = set(folder.glob("*.mcbak")) - whole_before
    assert run_cli("backup", "verify", str(new), "--identity", str(identity[0])).returncode == 0


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path / "hub.db").start()
    yield process
    process.stop()


def test_restore_then_sync_with_the_real_hub(tmp_path: Path, hub: HubProcess, identity: tuple[Path, str]) -> None:
    """Backup, more work reaches the hub, restore: the next sync sends nothing twice and brings back the
    dossiers made after the backup, so the counter again holds everything the hub has."""
    ctx = enrolled_counter(tmp_path / "q1", hub)
    make_accounts(Path(ctx.config.source))
    for _ in range(3):
        open_dossier(ctx)
    assert run_pass(ctx).pushed > 0
    unsent = [open_dossier(ctx).code for _ in range(2)]  # in the backup, not yet at the hub
    made = backup.create(ctx, str(tmp_path / "b"), identity[1])
    later = [open_dossier(ctx).code for _ in range(2)]  # after the backup
    report = run_pass(ctx)
    assert report.pushed > 0 and not report.errors
    ctx.close()
    config = Path(ctx.config.source)
    restored = restore_as(config, made.path, identity[0], "--force")
    assert restored.returncode == 0, restored.stderr
    ctx = open_context(config)
    with ctx.store.read() as session:
        before = {d.code for d in session.exec(select(Dossier))}
    assert set(unsent) <= before and not set(later) & before
    with pytest.raises(RestoredNotSynced, match="counter sync"):
        open_dossier(ctx)  # the next code may be one the hub already holds
    report = run_pass(ctx)
    assert report.link == "online" and not report.errors, report.errors
    assert report.pushed == 0 and report.duplicates == 0, "nothing the hub already had was sent again"
    assert report.pulled >= len(later)
    with ctx.store.read() as session:
        after = {d.code for d in session.exec(select(Dossier))}
    assert after == before | set(later)
    assert_delivered(ctx, hub)
    assert open_dossier(ctx).code > max(later), "codes continue after the highest the hub knows"
    ctx.close()


def test_backup_commands_need_a_supervisor(config_path: Path, cli: Cli,
                                                                identity: tuple[Path, str]) -> None:
    """A clerk may not write backups; keygen and verify need no account (no data of this counter)."""
    denied = cli("backup", "create", "--to", "x", "--recipient", identity[1])
    assert denied.returncode == 1 and not Path("x").exists()
    ok = cli.as_user(SUPERVISOR_NAME, "backup", "create", "--to", "x", "--recipient", identity[1])
    assert ok.returncode == 0, ok.stderr
    assert PINS[SUPERVISOR_NAME]


def test_backup_status_and_closing_time(ctx: CounterContext, tmp_path: Path) -> None:
    """The supervisor's line: none yet or older than warn_after_days warns; the app backs up once after closing."""
    from dataclasses import replace
    from datetime import datetime

    config = replace(ctx.config, backup=replace(ctx.config.backup, dir=str(tmp_path / "usb"), recipient="age1x",
                                                warn_after_days=3))
    now = datetime(2026, 3, 10, 17, 30)
    assert backup.status_line(config, None, now)[1]
    assert backup.status_line(config, datetime(2026, 3, 9, 17, 5), now) == ("Sao lưu gần nhất: 17:05 09/03/2026.",
                                                                           False)
    text, warn = backup.status_line(config, datetime(2026, 3, 6, 17, 5), now)
    assert warn and "4 ngày" in text
    assert backup.due_at_closing(config, datetime(2026, 3, 9, 17, 5), now)
    assert not backup.due_at_closing(config, datetime(2026, 3, 10, 17, 1), now)
    assert not backup.due_at_closing(config, None, datetime(2026, 3, 10, 16, 59))
    assert not backup.due_at_closing(ctx.config, None, now)
