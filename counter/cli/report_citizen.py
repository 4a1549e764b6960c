"""`counter report waiting`: the queue's figures for the supervisor (text, JSON or CSV)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from datetime import date
from typing import Any

from counter.cli.access import actor
from counter.cli.common import context, print_json
from counter.queue.waiting import to_csv_rows, to_text
from counter.services import tickets


def register(group: Any) -> None:
    """Add `report waiting` to the `report` group."""
    waiting = group.add_parser("waiting", help="thời gian chờ và phục vụ theo nhóm, theo cán bộ; người đến theo giờ")
    waiting.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                         help="ngày (mặc định: hôm nay)")
    formats = waiting.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="in dạng JSON")
    formats.add_argument("--csv", action="store_true", help="in dạng CSV")
    waiting.set_defaults(handler=run_waiting)


def run_waiting(args: argparse.Namespace) -> int:
    """Print one day's queue figures."""
    ctx = context(args)
    form = "json" if args.json else "csv" if args.csv else "text"
    report = tickets.report(ctx, args.date or ctx.now().date(), actor(args), form)
    if args.json:
        print_json(report.to_json())
    elif args.csv:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(to_csv_rows(report))
        sys.stdout.write("\ufeff" + out.getvalue())
    else:
        print(to_text(report, {g.id: g.name for g in ctx.config.queue.groups.values()}))
    return 0
