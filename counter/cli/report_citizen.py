"""`counter report waiting|satisfaction`: the queue's and the ratings' figures for the supervisor."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from counter.cli.access import actor
from counter.cli.common import add_out_option, context, csv_bom, print_json, xlsx_target
from counter.cli.parser import day, month
from counter.errors import CounterError


def register(group: Any) -> None:
    """Add `report waiting` to the `report` group."""
    waiting = group.add_parser("waiting", help="thời gian chờ và phục vụ theo nhóm, theo cán bộ; người đến theo giờ")
    waiting.add_argument("--date", type=day, default=None, metavar="YYYY-MM-DD",
                         help="ngày (mặc định: hôm nay)")
    formats = waiting.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="in dạng JSON")
    formats.add_argument("--csv", action="store_true", help="in dạng CSV")
    add_out_option(waiting)
    waiting.set_defaults(handler=run_waiting)
    rated = group.add_parser("satisfaction", help="đánh giá của công dân trong tháng: tỉ lệ hài lòng, theo cán bộ, "
                             "theo thủ tục")
    rated.add_argument("--month", type=month, default=None, metavar="YYYY-MM", help="tháng (mặc định: tháng này)")
    formats = rated.add_mutually_exclusive_group()
    formats.add_argument("--json", action="store_true", help="in dạng JSON")
    formats.add_argument("--csv", action="store_true", help="in dạng CSV")
    formats.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="ghi ra tệp Excel")
    add_out_option(rated)
    rated.set_defaults(handler=run_satisfaction, xlsx_ok=True)



def run_waiting(args: argparse.Namespace) -> int:
    """Print one day's queue figures."""
    from counter.queue.waiting import to_csv_rows, to_text
    from counter.services import tickets

    ctx = context(args)
    form = "json" if args.json else "csv" if args.csv else "text"
    report = tickets.report(ctx, args.date or ctx.now().date(), actor(args), form)
    if args.json:
        print_json(report.to_json())
    elif args.csv:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(to_csv_rows(report))
        sys.stdout.write(csv_bom(args) + out.getvalue())
    else:
        print(to_text(report, {g.id: g.name for g in ctx.config.queue.groups.values()}))
    return 0


def run_satisfaction(args: argparse.Namespace) -> int:
    """Print (or save) one month's satisfaction figures."""
    from counter.ratings.satisfaction import satisfaction_rows, satisfaction_text
    from counter.services import ratings

    ctx = context(args)
    now = ctx.now()
    year, month = args.month or (now.year, now.month)
    args.xlsx = xlsx_target(args)
    form = "xlsx" if args.xlsx else "json" if args.json else "csv" if args.csv else "text"
    report = ratings.report(ctx, year, month, actor(args), form)
    titles = {f.id: f.title for f in ctx.forms.values()}
    if args.json:
        print_json(report.to_json())
    elif args.csv:
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(satisfaction_rows(report, titles))
        sys.stdout.write(csv_bom(args) + out.getvalue())
    elif args.xlsx:
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.worksheets[0]
        sheet.title = f"Hai long {report.label}"
        for row in satisfaction_rows(report, titles):
            sheet.append(row)
        try:
            book.save(args.xlsx)
        except OSError as exc:
            raise CounterError(f"Không ghi được tệp {args.xlsx}: {exc.strerror or exc}.") from None
        print(f"Đã ghi báo cáo mức độ hài lòng tháng {report.label} vào {args.xlsx}")
    else:
        print(satisfaction_text(report, titles))
    return 0
