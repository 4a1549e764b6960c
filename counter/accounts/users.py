"""Clerk accounts: roles, PINs kept as Argon2id hashes, sign-in with lockout, first-supervisor bootstrap."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func
from sqlmodel import Session, col, select

from counter.accounts.roles import CLERK as CLERK  # the accounts API names both roles
from counter.accounts.roles import ROLES, SUPERVISOR, Account
from counter.config import SecurityConfig
from counter.context import CounterContext
from counter.custody import audit
from counter.errors import CounterError, NotFoundError
from counter.store import keyvalue
from counter.store.models import Clerk
from counter.text.plaintext import check_text
from counter.text.textfold import fold

PIN_MIN, PIN_MAX = 6, 12
MAX_LOCKOUT_MINUTES = 24 * 60
WRONG_NAME_OR_PIN = "Tên cán bộ hoặc mã PIN không đúng."
"""The one answer for an unknown name, a disabled account and a wrong PIN alike (no hint which)."""

_hasher = PasswordHasher()
"""Argon2id with the library's recommended parameters (RFC 9106 low-memory profile)."""


class UserError(CounterError):
    """An account cannot be created or changed as asked."""

    title = "Tài khoản"


class SignInRefused(CounterError):
    """Wrong name or PIN, or the account is waiting after too many wrong PINs."""

    title = "Không đăng nhập được"

    def __init__(self, message: str, locked_until: datetime | None = None) -> None:
        super().__init__(message)
        self.locked_until = locked_until


def pin_problem(pin: str) -> str | None:
    """Why a PIN is not acceptable (Vietnamese), or None: 6–12 digits, not one digit repeated, not a run."""
    if not (pin.isascii() and pin.isdigit()) or not PIN_MIN <= len(pin) <= PIN_MAX:
        return f"Mã PIN phải gồm {PIN_MIN}–{PIN_MAX} chữ số."
    if len(set(pin)) == 1:
        return "Mã PIN quá dễ đoán: không dùng một chữ số lặp lại (như 111111)."
    steps = {(int(b) - int(a)) % 10 for a, b in pairwise(pin)}
    if steps in ({1}, {9}):
        return "Mã PIN quá dễ đoán: không dùng dãy số liên tiếp (như 123456 hay 654321)."
    return None


def hash_pin(pin: str) -> str:
    """The Argon2id hash stored for a PIN."""
    return _hasher.hash(pin)


def _clean_name(name: str) -> str:
    text = " ".join(check_text(name, "Tên cán bộ").split())
    if not text:
        raise UserError("Tên cán bộ không được để trống.")
    return text


def get_clerk(session: Session, name: str) -> Clerk | None:
    """The account with this name, or else the only one whose name is the same without diacritics or case
    (a clerk may type "tran van hung"), or None."""
    typed = " ".join(name.split())
    exact = session.exec(select(Clerk).where(Clerk.name == typed)).first()
    if exact is not None:
        return exact
    alike = _alike(session, typed)
    return alike[0] if len(alike) == 1 else None


def _alike(session: Session, name: str) -> list[Clerk]:
    """The accounts whose names fold to the same letters as `name` (no diacritics, no case)."""
    folded = fold(name)
    return [clerk for clerk in session.exec(select(Clerk)) if fold(clerk.name) == folded]


def list_clerks(session: Session, include_inactive: bool = False) -> list[Clerk]:
    """Accounts in name order (active ones only unless asked)."""
    query = select(Clerk).order_by(col(Clerk.name))
    if not include_inactive:
        query = query.where(col(Clerk.active).is_(True))
    return list(session.exec(query))


def needs_first_supervisor(ctx: CounterContext) -> bool:
    """True on a fresh install: no active supervisor with a PIN exists yet."""
    with ctx.store.read() as session:
        count = session.exec(select(func.count()).select_from(Clerk).where(
            Clerk.role == SUPERVISOR, col(Clerk.active).is_(True), col(Clerk.pin_hash).is_not(None))).one()
    return count == 0


def no_accounts(ctx: CounterContext) -> bool:
    """True while the data directory holds no account at all (disabled ones included)."""
    with ctx.store.read() as session:
        return session.exec(select(func.count()).select_from(Clerk)).one() == 0


def add_clerk(ctx: CounterContext, name: str, role: str, pin: str, by: str,
              at: datetime | None = None) -> Account:
    """Create an account with a hashed PIN; refuses a duplicate name, an unknown role or a weak PIN."""
    name = _clean_name(name)
    if role not in ROLES:
        raise UserError(f"Vai trò “{role}” không tồn tại; dùng {' hoặc '.join(ROLES)}.")
    problem = pin_problem(pin)
    if problem:
        raise UserError(problem)
    at = at or ctx.now()
    pin_hash = hash_pin(pin)
    with ctx.store.write() as session:
        alike = _alike(session, name)
        if alike:
            raise UserError(f"Đã có tài khoản tên “{alike[0].name}”; tên mới phải khác cả khi bỏ dấu "
                            "(thêm tên đệm hoặc một số để phân biệt).")
        session.add(Clerk(name=name, role=role, pin_hash=pin_hash, created_at=at))
        audit.record(session, by, "user_add", "clerk", name, role, at=at)
    return Account(name, role)


def bootstrap_supervisor(ctx: CounterContext, name: str, pin: str, at: datetime | None = None) -> Account:
    """Create the first supervisor of a fresh install; refused once one exists."""
    if not needs_first_supervisor(ctx):
        raise UserError("Đã có tài khoản giám sát; hãy đăng nhập bằng tài khoản đó.")
    return add_clerk(ctx, name, SUPERVISOR, pin, by=_clean_name(name), at=at)


def set_pin(ctx: CounterContext, name: str, pin: str, by: str, at: datetime | None = None) -> None:
    """Replace an account's PIN (and lift any lockout)."""
    problem = pin_problem(pin)
    if problem:
        raise UserError(problem)
    at = at or ctx.now()
    pin_hash = hash_pin(pin)
    with ctx.store.write() as session:
        clerk = get_clerk(session, name)
        if clerk is None:
            raise NotFoundError(f"Không có tài khoản tên “{name}”.")
        clerk.pin_hash, clerk.failed_attempts, clerk.locked_until, clerk.lockouts = pin_hash, 0, None, 0
        session.add(clerk)
        audit.record(session, by, "user_pin", "clerk", clerk.name, at=at)


def lockout_wait(first_minutes: int, lockouts: int) -> timedelta:
    """The wait after the `lockouts`-th lockout in a row: first_minutes, then doubled each time, at most a day."""
    return timedelta(minutes=min(first_minutes * 2 ** max(0, lockouts - 1), MAX_LOCKOUT_MINUTES))


def wait_message(locked_until: datetime, now: datetime) -> str:
    """Vietnamese sentence telling how long the account must wait."""
    minutes = max(1, -(-int((locked_until - now).total_seconds()) // 60))
    return f"Nhập sai mã PIN quá nhiều lần; hãy chờ {minutes} phút (đến {locked_until:%H:%M}) rồi thử lại."


_dummy_hashes: dict[int, str] = {}


def _dummy_hash() -> str:
    """A hash of a random PIN with the current parameters: checked for unknown names so they take as long."""
    key = id(_hasher)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = _hasher.hash(secrets.token_hex(16))
    return _dummy_hashes[key]


def _verify(pin_hash: str | None, pin: str) -> bool:
    """True when `pin` matches; the same Argon2 work is done when there is no hash to check."""
    try:
        return _hasher.verify(pin_hash or _dummy_hash(), pin) and pin_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@dataclass
class _NoAccount:
    """Failed sign-ins under a name that is no usable account, counted like an account's so that the lockout
    does not tell a real name from an invented one (kept in the key-value table, never synced)."""

    failed_attempts: int = 0
    locked_until: datetime | None = None
    lockouts: int = 0

    @staticmethod
    def key(name: str) -> str:
        """The key-value row of this typed name."""
        return "sign_in_failures:" + " ".join(name.casefold().split())[:100]

    @classmethod
    def load(cls, session: Session, name: str) -> _NoAccount:
        """The counts kept for `name` (zero when none)."""
        raw = keyvalue.get_value(session, cls.key(name))
        if not raw:
            return cls()
        failed, until, lockouts = raw.split("|")
        return cls(int(failed), datetime.fromisoformat(until) if until else None, int(lockouts))

    def save(self, session: Session, name: str) -> None:
        """Keep the counts inside the caller's transaction."""
        until = self.locked_until.isoformat() if self.locked_until else ""
        keyvalue.set_values(session, **{self.key(name): f"{self.failed_attempts}|{until}|{self.lockouts}"})


def _count_failure(state: Clerk | _NoAccount, security: SecurityConfig, now: datetime) -> SignInRefused:
    """One more wrong PIN on `state`: the refusal to give, locking after `max_failed_pins` in a row."""
    state.failed_attempts += 1
    if state.failed_attempts < security.max_failed_pins:
        return SignInRefused(WRONG_NAME_OR_PIN)
    state.lockouts += 1
    state.locked_until = now + lockout_wait(security.lockout_minutes, state.lockouts)
    state.failed_attempts = 0
    return SignInRefused(wait_message(state.locked_until, now), state.locked_until)


def sign_in(ctx: CounterContext, name: str, pin: str, now: datetime | None = None) -> Account:
    """The one sign-in of the app and the CLI: check a PIN with the same answer, after the same Argon2 work,
    for an unknown name, a disabled account and a wrong PIN; after `max_failed_pins` wrong ones in a row the
    name waits `lockout_minutes`, doubled at each further lockout (at most a day), whether or not it is an
    account."""
    now = now or ctx.now()
    security = ctx.config.security
    refusal: SignInRefused | None = None
    with ctx.store.write() as session:
        clerk = get_clerk(session, name)
        usable = clerk is not None and clerk.active
        right = _verify(clerk.pin_hash if clerk is not None and usable else None, pin)
        if clerk is None or not usable:
            nobody = _NoAccount.load(session, name)
            if nobody.locked_until is not None and now < nobody.locked_until:
                refusal = SignInRefused(wait_message(nobody.locked_until, now), nobody.locked_until)
            else:
                refusal = _count_failure(nobody, security, now)
                nobody.save(session, name)
        elif clerk.locked_until is not None and now < clerk.locked_until:
            audit.record(session, clerk.name, "sign_in_locked", "clerk", clerk.name, at=now)
            refusal = SignInRefused(wait_message(clerk.locked_until, now), clerk.locked_until)
        elif not right:
            refusal = _count_failure(clerk, security, now)
            session.add(clerk)
            audit.record(session, clerk.name, "sign_in_failed", "clerk", clerk.name,
                         f"locked {clerk.lockouts}" if refusal.locked_until else "", at=now)
        else:
            if clerk.pin_hash is not None and _hasher.check_needs_rehash(clerk.pin_hash):
                clerk.pin_hash = hash_pin(pin)
            clerk.failed_attempts, clerk.locked_until, clerk.lockouts = 0, None, 0
            session.add(clerk)
            audit.record(session, clerk.name, "sign_in", "clerk", clerk.name, at=now)
        account = Account(clerk.name, clerk.role) if clerk is not None else None
    if refusal is not None:
        raise refusal
    assert account is not None, "a sign-in without a refusal has an account"
    return account


def unlock(ctx: CounterContext, name: str, by: str, at: datetime | None = None) -> None:
    """A supervisor lifts an account's wait (and its doubling); audited."""
    at = at or ctx.now()
    with ctx.store.write() as session:
        clerk = get_clerk(session, name)
        if clerk is None:
            raise NotFoundError(f"Không có tài khoản tên “{' '.join(name.split())}”.")
        was = clerk.locked_until
        clerk.failed_attempts, clerk.locked_until, clerk.lockouts = 0, None, 0
        session.add(clerk)
        audit.record(session, by, "user_unlock", "clerk", clerk.name,
                     f"was locked until {was:%H:%M %d/%m/%Y}" if was and was > at else "", at=at)


def disable_clerk(ctx: CounterContext, name: str, by: str, at: datetime | None = None) -> None:
    """Disable an account for good (it stays, with its history, but can no longer sign in); never the last
    active supervisor."""
    at = at or ctx.now()
    with ctx.store.write() as session:
        clerk = get_clerk(session, name)
        if clerk is None:
            raise NotFoundError(f"Không có tài khoản tên “{' '.join(name.split())}”.")
        if not clerk.active:
            raise UserError(f"Tài khoản “{clerk.name}” đã bị vô hiệu hoá từ trước.")
        if clerk.role == SUPERVISOR:
            others = session.exec(select(func.count()).select_from(Clerk).where(
                Clerk.role == SUPERVISOR, col(Clerk.active).is_(True), Clerk.name != clerk.name)).one()
            if others == 0:
                raise UserError(f"“{clerk.name}” là tài khoản giám sát cuối cùng; hãy thêm một giám sát khác "
                                "trước khi vô hiệu hoá.")
        clerk.active = False
        session.add(clerk)
        audit.record(session, by, "user_disable", "clerk", clerk.name, at=at)

