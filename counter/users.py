"""Clerk accounts: roles, PINs kept as Argon2id hashes, sign-in with lockout, first-supervisor bootstrap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func
from sqlmodel import Session, col, select

from counter import audit
from counter.context import CounterContext
from counter.errors import CounterError, NotFoundError
from counter.store.models import Clerk

CLERK = "clerk"
SUPERVISOR = "supervisor"
ROLES: dict[str, str] = {CLERK: "Cán bộ tiếp nhận", SUPERVISOR: "Lãnh đạo / giám sát"}
PIN_MIN, PIN_MAX = 4, 12

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


@dataclass(frozen=True)
class Account:
    """What the app keeps about the signed-in person (never the PIN or its hash)."""

    name: str
    role: str

    @property
    def is_supervisor(self) -> bool:
        """True for supervisors, who may see every counter's queue, figures and the audit log."""
        return self.role == SUPERVISOR


def pin_problem(pin: str) -> str | None:
    """Why a PIN is not acceptable (Vietnamese), or None."""
    if not pin.isdigit() or not PIN_MIN <= len(pin) <= PIN_MAX:
        return f"Mã PIN phải gồm {PIN_MIN}–{PIN_MAX} chữ số."
    return None


def hash_pin(pin: str) -> str:
    """The Argon2id hash stored for a PIN."""
    return _hasher.hash(pin)


def _clean_name(name: str) -> str:
    text = " ".join(name.split())
    if not text:
        raise UserError("Tên cán bộ không được để trống.")
    return text


def get_clerk(session: Session, name: str) -> Clerk | None:
    """The account with this name, or None."""
    return session.exec(select(Clerk).where(Clerk.name == " ".join(name.split()))).first()


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
        if get_clerk(session, name) is not None:
            raise UserError(f"Đã có tài khoản tên “{name}”.")
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
        clerk.pin_hash, clerk.failed_attempts, clerk.locked_until = pin_hash, 0, None
        session.add(clerk)
        audit.record(session, by, "user_pin", "clerk", clerk.name, at=at)


def wait_message(locked_until: datetime, now: datetime) -> str:
    """Vietnamese sentence telling how long the account must wait."""
    minutes = max(1, -(-int((locked_until - now).total_seconds()) // 60))
    return f"Nhập sai mã PIN quá nhiều lần; hãy chờ {minutes} phút (đến {locked_until:%H:%M}) rồi thử lại."


def _verify(clerk: Clerk, pin: str) -> bool:
    if clerk.pin_hash is None:
        return False
    try:
        return _hasher.verify(clerk.pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def sign_in(ctx: CounterContext, name: str, pin: str, now: datetime | None = None) -> Account:
    """Check a PIN; after `max_failed_pins` wrong ones in a row the account waits `lockout_minutes`."""
    now = now or ctx.now()
    security = ctx.config.security
    refusal: SignInRefused | None = None
    with ctx.store.write() as session:
        clerk = get_clerk(session, name)
        if clerk is None or not clerk.active:
            raise SignInRefused("Tên cán bộ hoặc mã PIN không đúng.")
        if clerk.locked_until is not None and now < clerk.locked_until:
            audit.record(session, clerk.name, "sign_in_locked", "clerk", clerk.name, at=now)
            refusal = SignInRefused(wait_message(clerk.locked_until, now), clerk.locked_until)
        elif not _verify(clerk, pin):
            clerk.failed_attempts += 1
            locked = clerk.failed_attempts >= security.max_failed_pins
            if locked:
                clerk.locked_until = now + timedelta(minutes=security.lockout_minutes)
                clerk.failed_attempts = 0
                refusal = SignInRefused(wait_message(clerk.locked_until, now), clerk.locked_until)
            else:
                left = security.max_failed_pins - clerk.failed_attempts
                refusal = SignInRefused(f"Mã PIN không đúng; còn {left} lần thử trước khi phải chờ.")
            session.add(clerk)
            audit.record(session, clerk.name, "sign_in_failed", "clerk", clerk.name,
                         "locked" if locked else "", at=now)
        else:
            if clerk.pin_hash is not None and _hasher.check_needs_rehash(clerk.pin_hash):
                clerk.pin_hash = hash_pin(pin)
            clerk.failed_attempts, clerk.locked_until = 0, None
            session.add(clerk)
            audit.record(session, clerk.name, "sign_in", "clerk", clerk.name, at=now)
        account = Account(clerk.name, clerk.role)
    if refusal is not None:
        raise refusal
    return account


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

