"""`counter users add|list|pin`: clerk and supervisor accounts."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from counter import users
from counter.cli.common import add_json_flag, context, default_clerk, fail, print_json


def register(subparsers: Any) -> None:
    """Add the `users` command group."""
    group = subparsers.add_parser("users", help="tài khoản cán bộ").add_subparsers(
        dest="users_command", required=True)
    add = group.add_parser("add", help="thêm tài khoản (hỏi mã PIN hai lần)")
    add.add_argument("name", metavar="NAME", help="họ và tên cán bộ")
    add.add_argument("--role", choices=tuple(users.ROLES), default=users.CLERK,
                     help="vai trò (mặc định: clerk)")
    add.add_argument("--pin-stdin", action="store_true", help="đọc mã PIN từ dòng đầu của stdin (cho script)")
    add.set_defaults(handler=run_add)
    listing = group.add_parser("list", help="liệt kê tài khoản")
    listing.add_argument("--all", action="store_true", help="cả tài khoản đã khoá hẳn")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)
    pin = group.add_parser("pin", help="đặt lại mã PIN (gỡ luôn thời gian chờ)")
    pin.add_argument("name", metavar="NAME")
    pin.add_argument("--pin-stdin", action="store_true", help="đọc mã PIN từ dòng đầu của stdin")
    pin.set_defaults(handler=run_pin)


def _read_pin(from_stdin: bool) -> str | None:
    """The new PIN from stdin or typed twice without echo; None when the two entries differ."""
    if from_stdin:
        return sys.stdin.readline().strip()
    first = getpass.getpass("Mã PIN: ")
    second = getpass.getpass("Nhập lại mã PIN: ")
    return first if first == second else None


def run_add(args: argparse.Namespace) -> int:
    """Create an account."""
    pin = _read_pin(args.pin_stdin)
    if pin is None:
        return fail("Hai lần nhập mã PIN không khớp; tài khoản chưa được tạo.")
    ctx = context(args)
    account = users.add_clerk(ctx, args.name, args.role, pin, by=default_clerk())
    print(f"Đã thêm {users.ROLES[account.role].lower()} “{account.name}”.")
    return 0


def run_pin(args: argparse.Namespace) -> int:
    """Replace an account's PIN."""
    pin = _read_pin(args.pin_stdin)
    if pin is None:
        return fail("Hai lần nhập mã PIN không khớp; mã PIN chưa được đổi.")
    users.set_pin(context(args), args.name, pin, by=default_clerk())
    print(f"Đã đặt lại mã PIN cho “{' '.join(args.name.split())}”.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the accounts (never their PIN hashes)."""
    ctx = context(args)
    with ctx.store.read() as session:
        clerks = users.list_clerks(session, include_inactive=args.all)
    now = ctx.now()
    rows: list[dict[str, Any]] = [
        {"name": c.name, "role": c.role, "active": c.active, "created_at": c.created_at.isoformat(),
         "locked_until": c.locked_until.isoformat() if c.locked_until and c.locked_until > now else None}
        for c in clerks]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("Chưa có tài khoản nào; thêm bằng `counter users add NAME --role supervisor`.")
    for row in rows:
        locked = f"  (đang chờ đến {row['locked_until'][11:16]})" if row["locked_until"] else ""
        print(f"{row['name']:<30} {users.ROLES[row['role']]}{locked}")
    return 0
