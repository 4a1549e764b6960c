"""Command-line sessions: `counter login` once, then every command acts for that signed-in account.

Where the session lives, and why it cannot be forged by editing a file:
- `open_session` draws 32 random bytes (`secrets`) as the token. The database keeps only the token's
  SHA-256 (with the account, the OS user and the expiry); the token itself is written to one file that only
  this OS user can read (0600 in a 0700 folder) under the user's own state directory
  (`$XDG_STATE_HOME`/~/.local/state, `%LOCALAPPDATA%` on Windows), named after the data directory.
- So a session belongs to one OS user (the file is in their profile and unreadable by others, and the
  database row names them) and to one data directory (the row lives in that directory's database; the file
  name is derived from its path). The file holds no account name or role: writing another name or a made-up
  token into it matches no row. The account and its role are read from the database on every command, so a
  disabled account or an expired session stops at once. A copied database or backup holds only hashes,
  which cannot be turned back into a token (256 random bits need no slow hash).
"""

from __future__ import annotations

import getpass
import hashlib
import os
import secrets
import sys
from datetime import datetime, timedelta
from pathlib import Path

from counter.accounts.roles import ROLES, Account
from counter.context import CounterContext
from counter.custody import audit
from counter.errors import CounterError
from counter.store import signins


class SessionRefused(CounterError):
    """No usable session: not signed in, expired, disabled account, or the wrong role for the command."""

    title = "Cần đăng nhập"


def os_user() -> str:
    """The operating-system account running this process."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no $USER (containers)
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def _state_dir() -> Path:
    """This OS user's own folder for state that must not be shared with other users."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "MotCuaCounter"
    return Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state") / "motcua-counter"


def token_path(ctx: CounterContext) -> Path:
    """The owner-only file holding this OS user's session token for this counter's data directory."""
    data_dir = str(Path(ctx.config.storage.data_dir).resolve())
    return _state_dir() / "sessions" / hashlib.sha256(data_dir.encode("utf-8")).hexdigest()[:32]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def _read_token(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def _write_token(path: Path, token: str) -> None:
    """Write the token so that no other OS user can read it, replacing any older one atomically."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path.parent, 0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(token + "\n")
    os.replace(temporary, path)


def _end(ctx: CounterContext, token: str | None, now: datetime) -> str | None:
    """Mark the session of `token` ended; returns its account name, or None when none was open."""
    if token is None:
        return None
    with ctx.store.transaction() as conn:
        clerk = signins.end_session(conn, _digest(token), now)
        if clerk is not None:
            audit.record_on(conn, clerk, "sign_out", "clerk", clerk, "cli", at=now)
        return clerk


def open_session(ctx: CounterContext, account: Account) -> datetime:
    """Start a session for an account already checked by `users.sign_in`; returns when it expires."""
    now = ctx.now()
    path = token_path(ctx)
    _end(ctx, _read_token(path), now)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=ctx.config.security.cli_session_minutes)
    with ctx.store.transaction() as conn:
        signins.add_session(conn, _digest(token), account.name, os_user(), now, expires)
        audit.record_on(conn, account.name, "session_open", "clerk", account.name,
                        f"cli, OS user {os_user()}, until {expires:%H:%M %d/%m/%Y}", at=now)
    _write_token(path, token)
    return expires


def close_session(ctx: CounterContext) -> str | None:
    """End this OS user's session for this data directory; returns the account that was signed in."""
    path = token_path(ctx)
    name = _end(ctx, _read_token(path), ctx.now())
    path.unlink(missing_ok=True)
    return name


NOT_SIGNED_IN = ("Chưa đăng nhập: chạy `counter login TÊN` trước "
                 "(hoặc thêm --user TÊN --pin-stdin vào lệnh).")


def current_account(ctx: CounterContext) -> Account:
    """The account signed in for this OS user and data directory, or SessionRefused saying why not."""
    token = _read_token(token_path(ctx))
    if token is None:
        raise SessionRefused(NOT_SIGNED_IN)
    now = ctx.now()
    with ctx.store.connection() as conn:
        found = signins.open_session(conn, _digest(token))
        if found is None or found[1] != os_user():
            raise SessionRefused(NOT_SIGNED_IN)
        name, _, expires_at = found
        if expires_at <= now:
            raise SessionRefused(f"Phiên đăng nhập của “{name}” đã hết hạn lúc "
                                 f"{expires_at:%H:%M %d/%m/%Y}; chạy lại `counter login TÊN`.")
        state = signins.account(conn, name)
    if state is None or not state[1]:
        raise SessionRefused(f"Tài khoản “{name}” đã bị vô hiệu hoá; hãy đăng nhập bằng tài khoản khác.")
    return Account(name, state[0])


def require_supervisor(account: Account) -> Account:
    """The account itself if it is a supervisor; otherwise one sentence saying the command needs one."""
    if not account.is_supervisor:
        raise SessionRefused(f"Lệnh này cần tài khoản giám sát; “{account.name}” là "
                             f"{ROLES[account.role].lower()}.", title="Không đủ quyền")
    return account
