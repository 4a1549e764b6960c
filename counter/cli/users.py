"""`counter users add|list|pin|disable|unlock`: clerk and supervisor accounts."""

from __future__ import annotations

import argparse
from typing import Any

from counter.accounts import users
from counter.cli.access import actor, read_pin
from counter.cli.common import add_json_flag, context, fail, print_json


def register(subparsers: Any) -> None:
    """Add the `users` command group."""
    group = subparsers.add_parser("users", help="tài khoản cán bộ").add_subparsers(
        dest="users_command", required=True)
    add = group.add_parser("add", help="thêm tài khoản (hỏi mã PIN hai lần)")
    add.add_argument("name", metavar="NAME", help="họ và tên cán bộ")
    add.add_argument("--role", choices=tuple(users.ROLES), default=users.CLERK,
                     help="vai trò (mặc định: clerk)")
    add.add_argument("--pin-stdin", action="store_true",
                     help="đọc mã PIN từ stdin (cho script; với --user: dòng đầu là mã PIN của --user)")
    add.set_defaults(handler=run_add)
    listing = group.add_parser("list", help="liệt kê tài khoản")
    listing.add_argument("--all", action="store_true", help="cả tài khoản đã bị vô hiệu hoá")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)
    pin = group.add_parser("pin", help="đặt lại mã PIN (gỡ luôn thời gian chờ)")
    pin.add_argument("name", metavar="NAME")
    pin.add_argument("--pin-stdin", action="store_true",
                     help="đọc mã PIN từ stdin (với --user: dòng đầu là mã PIN của --user)")
    pin.set_defaults(handler=run_pin)
    disable = group.add_parser("disable", help="vô hiệu hoá một tài khoản (không xoá; không đăng nhập được nữa)")
    disable.add_argument("name", metavar="NAME")
    disable.set_defaults(handler=run_disable)
    lift = group.add_parser("unlock", help="gỡ thời gian chờ của một tài khoản nhập sai mã PIN nhiều lần")
    lift.add_argument("name", metavar="NAME")
    lift.set_defaults(handler=run_unlock)


def _new_pin(args: argparse.Namespace) -> str | None:
    """The new PIN from stdin or typed twice without echo; None when the two entries differ."""
    if args.pin_stdin:
        return read_pin(args, "")
    first = read_pin(args, "Mã PIN mới: ")
    second = read_pin(args, "Nhập lại mã PIN mới: ")
    return first if first == second else None


def run_add(args: argparse.Namespace) -> int:
    """Create an account (the first one of a data directory is its first supervisor, signed in by nobody)."""
    ctx = context(args)
    first = getattr(args, "account", None) is None
    if first and args.role != users.SUPERVISOR:
        return fail("Chưa có tài khoản giám sát nào: tài khoản đầu tiên phải là giám sát (--role supervisor).")
    pin = _new_pin(args)
    if pin is None:
        return fail("Hai lần nhập mã PIN không khớp; tài khoản chưa được tạo.")
    if first:
        account = users.bootstrap_supervisor(ctx, args.name, pin)
    else:
        account = users.add_clerk(ctx, args.name, args.role, pin, by=actor(args))
    print(f"Đã thêm {users.ROLES[account.role].lower()} “{account.name}”.")
    return 0


def run_pin(args: argparse.Namespace) -> int:
    """Replace an account's PIN."""
    pin = _new_pin(args)
    if pin is None:
        return fail("Hai lần nhập mã PIN không khớp; mã PIN chưa được đổi.")
    users.set_pin(context(args), args.name, pin, by=actor(args))
    print(f"Đã đặt lại mã PIN cho “{' '.join(args.name.split())}”.")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    """Disable an account; it is kept (its name stays in the audit log and on its dossiers)."""
    users.disable_clerk(context(args), args.name, by=actor(args))
    print(f"Đã vô hiệu hoá tài khoản “{' '.join(args.name.split())}”; tài khoản này không đăng nhập được nữa.")
    return 0


def run_unlock(args: argparse.Namespace) -> int:
    """Lift an account's wait after wrong PINs (audited)."""
    users.unlock(context(args), args.name, by=actor(args))
    print(f"Đã gỡ thời gian chờ của “{' '.join(args.name.split())}”.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the accounts (never their PIN hashes)."""
    from counter.services.accounts import accounts

    ctx = context(args)
    clerks = accounts(ctx, include_inactive=args.all)
    now = ctx.now()
    rows: list[dict[str, Any]] = [
        {"name": c.name, "role": c.role, "active": c.active, "created_at": c.created_at.isoformat(),
         "locked_until": c.locked_until.isoformat() if c.locked_until and c.locked_until > now else None}
        for c in clerks]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        locked = f"  (đang chờ đến {row['locked_until'][11:16]})" if row["locked_until"] else ""
        disabled = "  (đã vô hiệu hoá)" if not row["active"] else ""
        print(f"{row['name']:<30} {users.ROLES[row['role']]}{locked}{disabled}")
    return 0
