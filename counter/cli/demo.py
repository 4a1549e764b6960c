"""`counter demo`: fill the data directory with realistic dossiers (and, when empty, its demo accounts)."""

from __future__ import annotations

import argparse
from typing import Any

from counter.accounts import users
from counter.cli.common import context
from counter.services.demo import create_demo_accounts, fill_demo


def register(subparsers: Any) -> None:
    """Add the `demo` command."""
    demo = subparsers.add_parser("demo", help="tạo dữ liệu mẫu (cần tài khoản giám sát, trừ khi thư mục còn trống)")
    demo.add_argument("--dossiers", type=int, default=60, metavar="N", help="số hồ sơ (mặc định 60)")
    demo.add_argument("--days", type=int, default=10, metavar="D", help="trải trên D ngày làm việc gần nhất")
    demo.add_argument("--seed", type=int, default=2026, help="hạt ngẫu nhiên (cùng hạt, cùng dữ liệu)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Create the demo accounts on an empty data directory, then the dossiers, and say where they went."""
    ctx = context(args)
    accounts = create_demo_accounts(ctx) if getattr(args, "account", None) is None else []
    created = fill_demo(ctx, args.dossiers, args.days, args.seed)
    print(f"Đã tạo {created} hồ sơ mẫu trong {ctx.config.database_path}")
    if accounts:
        print("Tài khoản mẫu (ghi lại mã PIN; chỉ hiện một lần):")
        for account, pin in accounts:
            print(f"  {account.name:<20} {users.ROLES[account.role]:<22} PIN {pin}")
    return 0
