"""Clerk accounts: Argon2id PINs, sign-in lockout, first-supervisor bootstrap and the `users` CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from counter import audit, users
from counter.cli import main
from counter.context import CounterContext, open_context
from counter.users import SignInRefused, UserError
from tests.conftest import Cli, run_cli, write_config

T0 = datetime(2026, 3, 2, 8, 0)


@pytest.fixture
def strict(tmp_path: Path) -> Iterator[CounterContext]:
    """A counter that locks an account after 3 wrong PINs for 5 minutes."""
    extra = "\n[security]\nmax_failed_pins = 3\nlockout_minutes = 5\n"
    config = write_config(tmp_path / "strict", extra=extra)
    context = open_context(config)
    yield context
    context.close()


def test_pin_is_stored_as_argon2id(ctx: CounterContext) -> None:
    """The PIN itself is never stored; the hash is Argon2id and verifies."""
    users.add_clerk(ctx, "  Nguyễn   Thị Lan ", users.CLERK, "482913", by="test", at=T0)
    with ctx.store.read() as session:
        clerk = users.get_clerk(session, "Nguyễn Thị Lan")
    assert clerk is not None and clerk.pin_hash is not None
    assert clerk.pin_hash.startswith("$argon2id$") and "482913" not in clerk.pin_hash
    assert PasswordHasher().verify(clerk.pin_hash, "482913")


def test_add_refusals(ctx: CounterContext) -> None:
    """Duplicate names, unknown roles, weak PINs and empty names are refused with a reason."""
    users.add_clerk(ctx, "Lan", users.CLERK, "1234", by="test")
    with pytest.raises(UserError, match="Đã có tài khoản"):
        users.add_clerk(ctx, "Lan", users.SUPERVISOR, "5678", by="test")
    with pytest.raises(UserError, match="Vai trò"):
        users.add_clerk(ctx, "Hùng", "admin", "5678", by="test")
    for pin in ("12", "12ab", "1234567890123"):
        with pytest.raises(UserError, match="4–12 chữ số"):
            users.add_clerk(ctx, "Hùng", users.CLERK, pin, by="test")
    with pytest.raises(UserError, match="không được để trống"):
        users.add_clerk(ctx, "   ", users.CLERK, "1234", by="test")


@pytest.mark.usefixtures("fast_pins")
def test_sign_in_and_lockout(strict: CounterContext) -> None:
    """Three wrong PINs lock the account for 5 minutes, even against the right PIN; then it opens again."""
    users.add_clerk(strict, "Lan", users.CLERK, "2468", by="test", at=T0)
    with pytest.raises(SignInRefused, match="còn 2 lần"):
        users.sign_in(strict, "Lan", "0000", now=T0)
    with pytest.raises(SignInRefused, match="còn 1 lần"):
        users.sign_in(strict, "Lan", "0000", now=T0)
    with pytest.raises(SignInRefused, match="chờ 5 phút") as locked:
        users.sign_in(strict, "Lan", "0000", now=T0)
    assert locked.value.locked_until == T0 + timedelta(minutes=5)
    with pytest.raises(SignInRefused, match="chờ 2 phút"):
        users.sign_in(strict, "Lan", "2468", now=T0 + timedelta(minutes=3, seconds=30))
    account = users.sign_in(strict, "Lan", "2468", now=T0 + timedelta(minutes=5))
    assert account == users.Account("Lan", users.CLERK) and not account.is_supervisor
    with strict.store.read() as session:
        clerk = users.get_clerk(session, "Lan")
        actions = [e.action for e in audit.entries(session, clerk="Lan")]
    assert clerk is not None and clerk.failed_attempts == 0 and clerk.locked_until is None
    assert actions == ["sign_in", "sign_in_locked", "sign_in_failed", "sign_in_failed", "sign_in_failed"]


@pytest.mark.usefixtures("fast_pins")
def test_success_resets_the_count(strict: CounterContext) -> None:
    """Wrong PINs only count in a row: a successful sign-in starts the count again."""
    users.add_clerk(strict, "Lan", users.CLERK, "2468", by="test")
    for _ in range(2):
        with pytest.raises(SignInRefused):
            users.sign_in(strict, "Lan", "1111", now=T0)
    users.sign_in(strict, "Lan", "2468", now=T0)
    with pytest.raises(SignInRefused, match="còn 2 lần"):
        users.sign_in(strict, "Lan", "1111", now=T0)


def test_unknown_or_inactive_names_are_refused_alike(ctx: CounterContext) -> None:
    """An unknown name gets the same message as a wrong PIN would suggest, revealing nothing."""
    with pytest.raises(SignInRefused, match="Tên cán bộ hoặc mã PIN không đúng"):
        users.sign_in(ctx, "Không Có", "1234")


def test_weak_hash_is_upgraded_on_sign_in(ctx: CounterContext) -> None:
    """A hash made with weaker parameters is replaced at the next successful sign-in (check_needs_rehash)."""
    users.add_clerk(ctx, "Lan", users.CLERK, "2468", by="test")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("2468")
    with ctx.store.write() as session:
        clerk = users.get_clerk(session, "Lan")
        assert clerk is not None
        clerk.pin_hash = weak
        session.add(clerk)
    users.sign_in(ctx, "Lan", "2468")
    with ctx.store.read() as session:
        clerk = users.get_clerk(session, "Lan")
    assert clerk is not None and clerk.pin_hash != weak
    assert not PasswordHasher().check_needs_rehash(clerk.pin_hash or "")


def test_first_supervisor_bootstrap(ctx: CounterContext) -> None:
    """A fresh install needs a supervisor; the bootstrap works once."""
    assert users.needs_first_supervisor(ctx)
    users.add_clerk(ctx, "Lan", users.CLERK, "2468", by="test")
    assert users.needs_first_supervisor(ctx), "a clerk alone does not end the bootstrap"
    account = users.bootstrap_supervisor(ctx, "Lê Văn Giám", "135790")
    assert account.is_supervisor and not users.needs_first_supervisor(ctx)
    with pytest.raises(UserError, match="Đã có tài khoản giám sát"):
        users.bootstrap_supervisor(ctx, "Người Khác", "135790")


@pytest.mark.usefixtures("fast_pins")
def test_set_pin_lifts_the_lockout(strict: CounterContext) -> None:
    """A supervisor resetting the PIN also ends the wait."""
    users.add_clerk(strict, "Lan", users.CLERK, "2468", by="test")
    for _ in range(3):
        with pytest.raises(SignInRefused):
            users.sign_in(strict, "Lan", "0000", now=T0)
    users.set_pin(strict, "Lan", "97531", by="Giám")
    assert users.sign_in(strict, "Lan", "97531", now=T0).name == "Lan"


def test_users_cli(config_path: Path) -> None:
    """The first `counter users add` (no account yet) makes the first supervisor; later ones need her
    session; `users list` never shows a hash; weak PINs refused on stderr with exit 1."""
    clerk_first = run_cli("users", "add", "Lan", "--pin-stdin", config=config_path, stdin="730519\n")
    assert clerk_first.returncode == 1 and "--role supervisor" in clerk_first.stderr
    added = run_cli("users", "add", "Lê Văn Giám", "--role", "supervisor", "--pin-stdin", config=config_path,
                    stdin="135790\n")
    assert added.returncode == 0, added.stderr
    assert "Lê Văn Giám" in added.stdout
    second = run_cli("users", "add", "Kẻ Gian", "--role", "supervisor", "--pin-stdin", config=config_path,
                     stdin="730519\n")
    assert second.returncode == 1 and "counter login" in second.stderr
    cli = Cli(config_path).login("Lê Văn Giám", "135790")
    weak = cli("users", "add", "Lan", "--pin-stdin", stdin="12\n")
    assert weak.returncode == 1 and "chữ số" in weak.stderr
    listed = cli("users", "list", "--json")
    assert '"role": "supervisor"' in listed.stdout and "argon2" not in listed.stdout


def test_users_cli_asks_twice(config_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """Without --pin-stdin the PIN is typed twice; a mismatch creates nothing."""
    answers = iter(["730519", "730591", "730519", "730519"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["--config", str(config_path), "users", "add", "Lan", "--role", "supervisor"]) == 1
    assert "không khớp" in capsys.readouterr().err
    assert main(["--config", str(config_path), "users", "add", "Lan", "--role", "supervisor"]) == 0
    ctx = open_context(config_path)
    try:
        assert users.sign_in(ctx, "Lan", "730519").role == users.SUPERVISOR
    finally:
        ctx.close()
