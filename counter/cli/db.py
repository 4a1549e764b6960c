"""`counter db check|rebuild`: the whole-file integrity check on demand, and dossier rows rebuilt from events."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.access import actor
from counter.cli.common import context, fail


def register(subparsers: Any) -> None:
    """Add the `db` command group."""
    group = subparsers.add_parser("db", help="cơ sở dữ liệu của quầy").add_subparsers(dest="db_command", required=True)
    check = group.add_parser("check", help="kiểm tra toàn bộ tệp cơ sở dữ liệu (PRAGMA quick_check)")
    check.set_defaults(handler=run_check)
    rebuild = group.add_parser("rebuild", help="dựng lại mọi hồ sơ và chỉ mục tìm kiếm từ các sự kiện")
    rebuild.set_defaults(handler=run_rebuild)


def run_check(args: argparse.Namespace) -> int:
    """Read the whole file; exit 1 with SQLite's finding when it is damaged."""
    ctx = context(args)
    problem = ctx.store.quick_check()
    if problem:
        return fail(f"Cơ sở dữ liệu {ctx.config.database_path} bị hỏng ({problem}); hãy khôi phục từ bản sao lưu.")
    print(f"Cơ sở dữ liệu {ctx.config.database_path} không có lỗi.")
    return 0


def run_rebuild(args: argparse.Namespace) -> int:
    """Re-project every dossier from its events in one transaction (the events are the truth)."""
    from counter.services.database import rebuild

    count = rebuild(context(args), actor(args))
    print(f"Đã dựng lại {count} hồ sơ từ các sự kiện.")
    return 0
