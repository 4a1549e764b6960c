"""Who may run which subcommand: `counter login|logout`, the `--user NAME --pin-stdin` one-shot sign-in,
and the check every command passes before it runs (signed in; a supervisor for supervisor commands)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from counter.cli.common import context

if TYPE_CHECKING:
    from counter.accounts.users import Account

NONE, SIGNED_IN, SUPERVISOR, FIRST_SUPERVISOR, EMPTY_OR_SUPERVISOR = (
    "none", "signed_in", "supervisor", "first_supervisor", "empty_or_supervisor")

REQUIREMENTS: dict[tuple[str, ...], str] = {
    ("login",): NONE,
    ("logout",): NONE,
    ("qr",): NONE,
    ("forms",): NONE,
    ("address",): NONE,
    ("hub",): NONE,
    ("users", "add"): FIRST_SUPERVISOR,
    ("users", "pin"): SUPERVISOR,
    ("users", "disable"): SUPERVISOR,
    ("users", "unlock"): SUPERVISOR,
    ("report",): SUPERVISOR,
    ("audit",): SUPERVISOR,
    ("backup",): SUPERVISOR,
    ("backup", "keygen"): NONE,
    ("backup", "verify"): NONE,
    ("restore",): NONE,
    ("demo",): EMPTY_OR_SUPERVISOR,
    ("enroll",): SUPERVISOR,
    ("db", "check"): NONE,
    ("db", "rebuild"): SUPERVISOR,
    ("dossier", "detach"): SUPERVISOR,
    ("dossier", "refund"): SUPERVISOR,
}
"""What each command needs, by its longest matching prefix; anything not listed needs a signed-in account,
so a new command is closed until someone decides otherwise. `enroll` needs a supervisor: it decides where
this counter's personal data is sent. `backup keygen|verify` touch no data of this counter; `restore` checks
its own `--user`: a supervisor of the backup being restored (the accounts are inside it), audited there."""


def requirement(path: tuple[str, ...]) -> str:
    """The requirement of a command path such as ("users", "add")."""
    for length in range(len(path), 0, -1):
        if path[:length] in REQUIREMENTS:
            return REQUIREMENTS[path[:length]]
    return SIGNED_IN


def register(subparsers: Any) -> None:
    """Add `login` and `logout`."""
    login = subparsers.add_parser("login", help="đăng nhập cho các lệnh sau (của người dùng máy này)")
    login.add_argument("name", metavar="NAME", help="tên tài khoản")
    login.add_argument("--pin-stdin", action="store_true", help="đọc mã PIN từ dòng đầu của stdin")
    login.set_defaults(handler=run_login)
    logout = subparsers.add_parser("logout", help="kết thúc phiên đăng nhập")
    logout.set_defaults(handler=run_logout)


def _leaves(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
            ) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    groups = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not groups:
        yield path, parser
        return
    for name, sub in groups[0].choices.items():
        yield from _leaves(sub, (*path, name))


def add_account_options(parser: argparse.ArgumentParser) -> None:
    """Tag every subcommand with its path and give those that need an account `--user` and `--pin-stdin`."""
    for path, leaf in _leaves(parser):
        leaf.set_defaults(command_path=path)
        if requirement(path) == NONE:
            continue
        leaf.add_argument("--user", metavar="NAME", default=None,
                          help="đăng nhập chỉ cho lệnh này (mã PIN hỏi trên màn hình hoặc --pin-stdin)")
        if not any("--pin-stdin" in a.option_strings for a in leaf._actions):
            leaf.add_argument("--pin-stdin", action="store_true",
                              help="đọc mã PIN từ stdin (dòng đầu: mã PIN của --user)")


def read_pin(args: argparse.Namespace, prompt: str) -> str:
    """One PIN: the next line of stdin with --pin-stdin, else typed on the terminal without echo."""
    if getattr(args, "pin_stdin", False):
        return sys.stdin.readline().strip()
    return getpass.getpass(prompt)


def authorize(args: argparse.Namespace) -> Account | None:
    """Check the command's requirement before it runs; the signed-in account (kept in args) or None."""
    need = requirement(getattr(args, "command_path", ()))
    if need == NONE:
        return None
    from counter.accounts import sessions

    ctx = context(args)
    if need in (FIRST_SUPERVISOR, EMPTY_OR_SUPERVISOR) or args.user:
        from counter.accounts import users  # Argon2 and the ORM: not needed to check a session

        if need == FIRST_SUPERVISOR and users.needs_first_supervisor(ctx) and not args.user:
            return None
        if need == EMPTY_OR_SUPERVISOR and users.no_accounts(ctx) and not args.user:
            return None
    if args.user:
        account = users.sign_in(ctx, args.user, read_pin(args, f"Mã PIN của {args.user}: "))
    else:
        account = sessions.current_account(ctx)
    if need in (SUPERVISOR, FIRST_SUPERVISOR, EMPTY_OR_SUPERVISOR):
        sessions.require_supervisor(account)
    args.account = account
    return account


def require_supervisor(args: argparse.Namespace) -> Account:
    """For a command that decides itself when it needs a supervisor (e.g. a restore): sign in and check."""
    from counter.accounts import sessions

    account = getattr(args, "account", None) or sessions.current_account(context(args))
    args.account = sessions.require_supervisor(account)
    return account


def actor(args: argparse.Namespace) -> str:
    """The name of the account this command acts for (written to the audit log)."""
    account: Account | None = getattr(args, "account", None)
    if account is None:
        raise RuntimeError(f"command {getattr(args, 'command_path', ())} ran without an account")
    return account.name


def run_login(args: argparse.Namespace) -> int:
    """Check the PIN and open a session for this OS user and data directory."""
    from counter.accounts import sessions, users

    ctx = context(args)
    account = users.sign_in(ctx, args.name, read_pin(args, "Mã PIN: "))
    expires = sessions.open_session(ctx, account)
    print(f"Đã đăng nhập: {account.name} ({users.ROLES[account.role].lower()}), "
          f"đến {expires:%H:%M %d/%m/%Y}.")
    return 0


def run_logout(args: argparse.Namespace) -> int:
    """End the session (nothing to do when none is open)."""
    from counter.accounts import sessions

    name = sessions.close_session(context(args))
    if name is None:
        print("Không có phiên đăng nhập nào đang mở.")
        return 0
    print(f"Đã đăng xuất {name}.")
    return 0
