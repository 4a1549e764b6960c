"""Clerk accounts: Argon2id PINs, sign-in lockout, first-supervisor bootstrap and the `users` CLI."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from counter.accounts import users
from counter.accounts.users import SignInRefused, UserError
from counter.cli import main
from counter.context import CounterContext, open_context
from counter.custody import audit
from tests.conftest import CLERK_NAME, CLERK_PIN, SUPERVISOR_NAME, Cli, make_accounts, run_cli, write_config

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
    """Duplicate names, unknown roles, short or trivial PINs and empty names are refused with a reason."""
    users.add_clerk(ctx, "Lan", users.CLERK, "482913", by="test")
    with pytest.raises(UserError, match="Đã có tài khoản"):
        users.add_clerk(ctx, "Lan", users.SUPERVISOR, "570284", by="test")
    with pytest.raises(UserError, match="Vai trò"):
        users.add_clerk(ctx, "Hùng", "admin", "570284", by="test")
    for pin in ("12", "4829", "48291", "12ab56", "1234567890123", "١٢٣٤٥٦", "48 913"):
        with pytest.raises(UserError, match="6–12 chữ số"):
            users.add_clerk(ctx, "Hùng", users.CLERK, pin, by="test")
    for pin in ("111111", "000000000", "123456", "654321", "3456789012", "890123", "210987"):
        with pytest.raises(UserError, match="dễ đoán"):
            users.add_clerk(ctx, "Hùng", users.CLERK, pin, by="test")
    with pytest.raises(UserError, match="không được để trống"):
        users.add_clerk(ctx, "   ", users.CLERK, "570284", by="test")
    assert users.pin_problem("112233") is None and users.pin_problem("135790") is None


@pytest.mark.usefixtures("fast_pins")
def test_sign_in_folds_diacritics_and_case_when_one_account_matches(ctx: CounterContext) -> None:
    """"tran van hung" signs in Trần Văn Hùng (a keyboard without Telex); an account whose name is another's
    without diacritics is refused at creation, so a folded name never picks between two people."""
    users.add_clerk(ctx, "Trần Văn Hùng", users.CLERK, "482913", by="test", at=T0)
    assert users.sign_in(ctx, "  tran van  HUNG ", "482913", now=T0).name == "Trần Văn Hùng"
    with pytest.raises(UserError, match="Đã có tài khoản tên “Trần Văn Hùng”; tên mới phải khác cả khi bỏ dấu"):
        users.add_clerk(ctx, "Trần Văn Hưng", users.SUPERVISOR, "570284", by="test", at=T0)
    with pytest.raises(SignInRefused, match="không đúng"):
        users.sign_in(ctx, "tran van hun", "482913", now=T0)
    with ctx.store.read() as session:
        actions = [(row.clerk, row.action) for row in audit.entries(session)]
    assert ("Trần Văn Hùng", "sign_in") in actions


@pytest.mark.usefixtures("fast_pins")
def test_sign_in_and_growing_lockout(strict: CounterContext) -> None:
    """Three wrong PINs lock the account for 5 minutes, even against the right PIN; each further lockout
    doubles the wait up to a day; a right PIN after the wait starts again from 5 minutes."""
    users.add_clerk(strict, "Lan", users.CLERK, "246813", by="test", at=T0)
    for _ in range(2):
        with pytest.raises(SignInRefused) as wrong:
            users.sign_in(strict, "Lan", "000000", now=T0)
        assert wrong.value.message == users.WRONG_NAME_OR_PIN
    with pytest.raises(SignInRefused, match="chờ 5 phút") as locked:
        users.sign_in(strict, "Lan", "000000", now=T0)
    assert locked.value.locked_until == T0 + timedelta(minutes=5)
    with pytest.raises(SignInRefused, match="chờ 2 phút"):
        users.sign_in(strict, "Lan", "246813", now=T0 + timedelta(minutes=3, seconds=30))
    now, waits = T0 + timedelta(minutes=5), []
    for _ in range(10):
        for _ in range(3):
            with pytest.raises(SignInRefused) as refused:
                users.sign_in(strict, "Lan", "000000", now=now)
        assert refused.value.locked_until is not None
        waits.append(int((refused.value.locked_until - now).total_seconds() // 60))
        now = refused.value.locked_until
    assert waits == [10, 20, 40, 80, 160, 320, 640, 1280, 1440, 1440]
    account = users.sign_in(strict, "Lan", "246813", now=now)
    assert account == users.Account("Lan", users.CLERK) and not account.is_supervisor
    with strict.store.read() as session:
        clerk = users.get_clerk(session, "Lan")
        actions = [e.action for e in audit.entries(session, clerk="Lan", limit=5)]
    assert clerk is not None and (clerk.failed_attempts, clerk.locked_until, clerk.lockouts) == (0, None, 0)
    assert actions == ["sign_in", "sign_in_failed", "sign_in_failed", "sign_in_failed", "sign_in_failed"]
    for _ in range(3):
        with pytest.raises(SignInRefused) as refused:
            users.sign_in(strict, "Lan", "000000", now=now)
    assert refused.value.locked_until == now + timedelta(minutes=5)


@pytest.mark.usefixtures("fast_pins")
def test_success_resets_the_count(strict: CounterContext) -> None:
    """Wrong PINs only count in a row: a successful sign-in starts the count again."""
    users.add_clerk(strict, "Lan", users.CLERK, "246813", by="test")
    for _ in range(2):
        with pytest.raises(SignInRefused):
            users.sign_in(strict, "Lan", "111111", now=T0)
    users.sign_in(strict, "Lan", "246813", now=T0)
    for _ in range(2):
        with pytest.raises(SignInRefused, match="không đúng"):
            users.sign_in(strict, "Lan", "111111", now=T0)


class CountingHasher(PasswordHasher):
    """Argon2id (cheap parameters) that counts the PIN checks it does."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checks = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.checks += 1
        return super().verify(hash, password)


def test_unknown_name_disabled_account_and_wrong_pin_answer_alike(ctx: CounterContext,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The same sentence after the same Argon2 work (one check against a dummy hash for an unknown name)."""
    hasher = CountingHasher()
    monkeypatch.setattr(users, "_hasher", hasher)
    users.add_clerk(ctx, "Lan", users.CLERK, "246813", by="test")
    users.add_clerk(ctx, "Giám", users.SUPERVISOR, "975310", by="test")
    users.add_clerk(ctx, "Hùng", users.CLERK, "570284", by="test")
    users.disable_clerk(ctx, "Hùng", by="Giám")
    answers = []
    for name, pin in (("Lan", "000000"), ("Không Có", "000000"), ("Hùng", "570284"), ("Không Có", "246813")):
        before = hasher.checks
        with pytest.raises(SignInRefused) as refused:
            users.sign_in(ctx, name, pin)
        answers.append((refused.value.message, hasher.checks - before))
    assert answers == [(users.WRONG_NAME_OR_PIN, 1)] * 4


@pytest.mark.usefixtures("fast_pins")
def test_an_invented_name_locks_on_the_same_try_as_a_real_one(strict: CounterContext) -> None:
    """The lockout does not tell names apart: a real account, an invented name and a disabled account each
    answer "chờ 5 phút" on the third wrong PIN (and not before), and the invented name waits as long."""
    users.add_clerk(strict, "Lan", users.CLERK, "246813", by="test")
    users.add_clerk(strict, "Hùng", users.CLERK, "570284", by="test")
    users.disable_clerk(strict, "Hùng", by="test")
    for name in ("Lan", "Người Không Có", "Hùng"):
        answers = []
        for _ in range(3):
            with pytest.raises(SignInRefused) as refused:
                users.sign_in(strict, name, "000000", now=T0)
            answers.append(refused.value.message)
        assert answers[:2] == [users.WRONG_NAME_OR_PIN] * 2 and "chờ 5 phút" in answers[2], (name, answers)
        with pytest.raises(SignInRefused, match="hãy chờ 1 phút"):
            users.sign_in(strict, name, "000000", now=T0 + timedelta(minutes=4, seconds=59))
    with pytest.raises(SignInRefused) as after:
        users.sign_in(strict, "NGƯỜI  không có", "000000", now=T0 + timedelta(minutes=5))
    assert after.value.message == users.WRONG_NAME_OR_PIN  # the same name, however typed, waited its 5 minutes


def test_supervisor_lifts_a_lockout_from_the_cli(tmp_path: Path) -> None:
    """`counter users unlock NAME` (a supervisor's command) ends the wait at once and is audited."""
    config = write_config(tmp_path / "c", extra="\n[security]\nmax_failed_pins = 2\n")
    make_accounts(config)
    locked = Cli(config)
    for _ in range(2):
        refused = locked("login", CLERK_NAME, "--pin-stdin", stdin="000000\n")
    assert refused.returncode == 1 and "hãy chờ 5 phút" in refused.stderr
    assert "hãy chờ" in locked("login", CLERK_NAME, "--pin-stdin", stdin=f"{CLERK_PIN}\n").stderr
    lifted = locked.as_user(SUPERVISOR_NAME, "users", "unlock", CLERK_NAME)
    assert lifted.returncode == 0, lifted.stderr
    locked.login(CLERK_NAME)
    ctx = open_context(config)
    try:
        with ctx.store.read() as session:
            entry = audit.entries(session, action="user_unlock")[0]
        assert (entry.clerk, entry.subject_ref) == (SUPERVISOR_NAME, CLERK_NAME)
        assert entry.detail.startswith("was locked until")
    finally:
        ctx.close()


def test_weak_hash_is_upgraded_on_sign_in(ctx: CounterContext) -> None:
    """A hash made with weaker parameters is replaced at the next successful sign-in (check_needs_rehash)."""
    users.add_clerk(ctx, "Lan", users.CLERK, "246813", by="test")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("246813")
    with ctx.store.write() as session:
        clerk = users.get_clerk(session, "Lan")
        assert clerk is not None
        clerk.pin_hash = weak
        session.add(clerk)
    users.sign_in(ctx, "Lan", "246813")
    with ctx.store.read() as session:
        clerk = users.get_clerk(session, "Lan")
    assert clerk is not None and clerk.pin_hash != weak
    assert not PasswordHasher().check_needs_rehash(clerk.pin_hash or "")


def test_first_supervisor_bootstrap(ctx: CounterContext) -> None:
    """A fresh install needs a supervisor; the bootstrap works once."""
    assert users.needs_first_supervisor(ctx)
    users.add_clerk(ctx, "Lan", users.CLERK, "246813", by="test")
    assert users.needs_first_supervisor(ctx), "a clerk alone does not end the bootstrap"
    account = users.bootstrap_supervisor(ctx, "Lê Văn Giám", "135790")
    assert account.is_supervisor and not users.needs_first_supervisor(ctx)
    with pytest.raises(UserError, match="Đã có tài khoản giám sát"):
        users.bootstrap_supervisor(ctx, "Người Khác", "135790")


@pytest.mark.usefixtures("fast_pins")
def test_set_pin_lifts_the_lockout(strict: CounterContext) -> None:
    """A supervisor resetting the PIN also ends the wait."""
    users.add_clerk(strict, "Lan", users.CLERK, "246813", by="test")
    for _ in range(3):
        with pytest.raises(SignInRefused):
            users.sign_in(strict, "Lan", "000000", now=T0)
    users.set_pin(strict, "Lan", "975318", by="Giám")
    assert users.sign_in(strict, "Lan", "975318", now=T0).name == "Lan"


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
