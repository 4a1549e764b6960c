"""The command line acts for a signed-in person: sessions, `--user`, supervisor commands, audit names."""

from __future__ import annotations

import json
import os
import stat
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter.accounts import sessions, users
from counter.cli import main
from counter.context import open_context
from counter.store.models import AuditEntry, CliSession
from tests.conftest import (
    CLERK_NAME,
    SUPERVISOR_NAME,
    VALID_PAYLOAD,
    Cli,
    make_accounts,
    run_cli,
    signed_in,
    write_config,
)

SUPERVISOR_COMMANDS = [
    ["users", "add", "Kẻ Gian", "--role", "supervisor", "--pin-stdin"],
    ["users", "pin", SUPERVISOR_NAME, "--pin-stdin"],
    ["users", "disable", SUPERVISOR_NAME],
    ["report", "daily"],
    ["report", "monthly", "--json"],
    ["report", "queue"],
    ["report", "stuck"],
    ["audit"],
    ["enroll", "--hub", "http://127.0.0.1:9", "--code", "x"],
    ["demo", "--dossiers", "1"],
]


def _audit_and_accounts(config: Path) -> tuple[int, list[tuple[str, str, bool]]]:
    ctx = open_context(config)
    try:
        with ctx.store.read() as session:
            count = len(list(session.exec(select(AuditEntry))))
            accounts = [(c.name, c.pin_hash or "", c.active) for c in users.list_clerks(session, True)]
        return count, accounts
    finally:
        ctx.close()


@pytest.mark.parametrize("command", SUPERVISOR_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_supervisor_commands_refused_without_session_and_for_a_clerk(
        command: list[str], config_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Without a session, and in a clerk's session: one sentence, exit 1, nothing written."""
    make_accounts(config_path)
    before = _audit_and_accounts(config_path)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("864209\n864209\n"))
    assert main(["--config", str(config_path), *command]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "counter login" in err
    assert _audit_and_accounts(config_path) == before
    Cli(config_path).login(CLERK_NAME)
    before = _audit_and_accounts(config_path)
    assert main(["--config", str(config_path), *command]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err == f"counter: Lệnh này cần tài khoản giám sát; “{CLERK_NAME}” là cán bộ tiếp nhận.\n"
    assert _audit_and_accounts(config_path) == before


def test_commands_need_a_session_and_the_audit_log_names_the_account(config_path: Path) -> None:
    """Dossier commands refuse without a session; in one, the audit log and the events name the account."""
    make_accounts(config_path)
    anonymous = Cli(config_path)
    for command in (["dossier", "list"], ["dossier", "new", "--form", "trich-luc", "--qr", VALID_PAYLOAD],
                    ["sync", "--status"], ["users", "list"], ["print", "receipt", "x"]):
        refused = anonymous(*command)
        assert refused.returncode == 1 and "counter login" in refused.stderr, command
    assert anonymous("qr", "parse", VALID_PAYLOAD).returncode == 0
    assert anonymous("forms", "list").returncode == 0
    cli = anonymous.login(CLERK_NAME)
    created = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                  "--set", "subject_ethnicity=Kinh", "--set", "subject_nationality=Việt Nam",
                  "--set", "marital_status=Chưa đăng ký kết hôn", "--set", "purpose=Kết hôn", "--json")
    assert created.returncode == 0, created.stderr
    code = json.loads(created.stdout)["code"]
    assert json.loads(cli("dossier", "show", code, "--json").stdout)["events"][0]["clerk"] == CLERK_NAME
    one_shot = cli.as_user(SUPERVISOR_NAME, "audit", "--subject", code, "--json")
    assert one_shot.returncode == 0, one_shot.stderr
    assert {(e["clerk"], e["action"]) for e in json.loads(one_shot.stdout)} == {
        (CLERK_NAME, "create"), (CLERK_NAME, "view")}
    assert cli("audit").returncode == 1, "the one-shot --user did not change the session"
    wrong = run_cli("audit", "--user", SUPERVISOR_NAME, "--pin-stdin", config=config_path, stdin="000000\n")
    assert wrong.returncode == 1 and "không đúng" in wrong.stderr
    assert cli.logout().stdout.strip() == f"Đã đăng xuất {CLERK_NAME}."
    assert "counter login" in cli("dossier", "list").stderr
    cli.login(SUPERVISOR_NAME)
    log = json.loads(cli("audit", "--action", "s", "--json").stdout)
    assert {(e["clerk"], e["action"]) for e in log} >= {
        (CLERK_NAME, "session_open"), (CLERK_NAME, "sign_out"), (SUPERVISOR_NAME, "session_open")}


def test_the_session_token_is_private_random_and_bound_to_its_data_directory(tmp_path: Path) -> None:
    """The token file is owner-only and holds no name; the database holds only its hash; a made-up token,
    an expired session or the token of another data directory signs nobody in."""
    config = write_config(tmp_path / "one")
    cli = signed_in(config)
    ctx = open_context(config)
    try:
        path = sessions.token_path(ctx)
        token = path.read_text(encoding="ascii").strip()
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        assert len(token) >= 43 and CLERK_NAME not in token
        raw = b"".join(p.read_bytes() for p in ctx.config.database_path.parent.glob("*.db*"))
        assert token.encode() not in raw
        path.write_text(token[:-4] + "AAAA\n", encoding="ascii")
        assert "counter login" in cli("dossier", "list").stderr
        path.write_text(token + "\n", encoding="ascii")
        assert cli("dossier", "list").returncode == 0
        other = write_config(tmp_path / "two")
        make_accounts(other)
        other_ctx = open_context(other)
        try:
            other_path = sessions.token_path(other_ctx)
        finally:
            other_ctx.close()
        assert other_path != path
        other_path.write_text(token + "\n", encoding="ascii")
        assert "counter login" in Cli(other)("dossier", "list").stderr
        with ctx.store.write() as session:
            row = session.exec(select(CliSession)).one()
            row.expires_at = ctx.now() - timedelta(minutes=1)
            session.add(row)
        expired = cli("dossier", "list")
        assert expired.returncode == 1 and "đã hết hạn" in expired.stderr
    finally:
        ctx.close()


def test_session_length_is_configured(tmp_path: Path) -> None:
    """`[security] cli_session_minutes` sets how long a login lasts."""
    config = write_config(tmp_path / "c", extra="\n[security]\ncli_session_minutes = 30\n")
    signed_in(config)
    ctx = open_context(config)
    try:
        with ctx.store.read() as session:
            row = session.exec(select(CliSession)).one()
        assert row.expires_at - row.created_at == timedelta(minutes=30)
    finally:
        ctx.close()


def test_a_disabled_account_stops_at_once_and_cannot_sign_in(config_path: Path) -> None:
    """`counter users disable` keeps the account but ends what it can do, in the CLI and in the core sign-in
    the app uses; the last supervisor cannot be disabled."""
    cli = signed_in(config_path)
    assert cli("dossier", "list").returncode == 0
    boss = Cli(config_path)
    done = boss.as_user(SUPERVISOR_NAME, "users", "disable", CLERK_NAME)
    assert done.returncode == 0, done.stderr
    stopped = cli("dossier", "list")
    assert stopped.returncode == 1 and "vô hiệu hoá" in stopped.stderr
    again = cli("login", CLERK_NAME, "--pin-stdin", stdin="731058\n")
    assert again.returncode == 1 and again.stderr == "counter: Tên cán bộ hoặc mã PIN không đúng.\n"
    last = boss.as_user(SUPERVISOR_NAME, "users", "disable", SUPERVISOR_NAME)
    assert last.returncode == 1 and "giám sát cuối cùng" in last.stderr
    ctx = open_context(config_path)
    try:
        with pytest.raises(users.SignInRefused):
            users.sign_in(ctx, CLERK_NAME, "731058")
        with ctx.store.read() as session:
            clerk = users.get_clerk(session, CLERK_NAME)
            assert clerk is not None and not clerk.active
            entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user_disable")).one()
        assert (entry.clerk, entry.subject_ref) == (SUPERVISOR_NAME, CLERK_NAME)
    finally:
        ctx.close()
    listed = json.loads(boss.as_user(SUPERVISOR_NAME, "users", "list", "--all", "--json").stdout)
    assert {(row["name"], row["active"]) for row in listed} == {(SUPERVISOR_NAME, True), (CLERK_NAME, False)}
