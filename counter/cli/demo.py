"""`counter demo`: fill the data directory with realistic dossiers."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.common import context
from counter.demo import fill_demo


def register(subparsers: Any) -> None:
    """Add the `demo` command."""
    demo = subparsers.add_parser("demo", help="tạo dữ liệu mẫu")
    demo.add_argument("--dossiers", type=int, default=60, metavar="N", help="số hồ sơ (mặc định 60)")
    demo.add_argument("--days", type=int, default=10, metavar="D", help="trải trên D ngày làm việc gần nhất")
    demo.add_argument("--seed", type=int, default=2026, help="hạt ngẫu nhiên (cùng hạt, cùng dữ liệu)")
    demo.set_defaults(handler=run_demo)


def run_demo(args: argparse.Namespace) -> int:
    """Create the demo dossiers and say where they went."""
    ctx = context(args)
    created = fill_demo(ctx, args.dossiers, args.days, args.seed)
    print(f"Đã tạo {created} hồ sơ mẫu trong {ctx.config.database_path}")
    return 0
