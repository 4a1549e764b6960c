"""`counter report daily|monthly|queue|stuck`: the supervisor's figures, queue and stuck work."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from counter.cli import report_citizen
from counter.cli.access import actor
from counter.cli.common import add_json_flag, add_out_option, context, csv_bom, print_json, xlsx_target
from counter.cli.parser import day, month
from counter.errors import CounterError
from counter.law import lifecycle
from counter.law.workdays import DEADLINE_FILTERS
from counter.reporting.report_export import to_csv, to_text
from counter.services import figures as views


def register(subparsers: Any) -> None:
    """Add the `report` command group."""
    group = subparsers.add_parser("report", help="báo cáo, hàng đợi, việc tồn").add_subparsers(
        dest="report_command", required=True)
    daily = group.add_parser("daily", help="số liệu một ngày")
    daily.add_argument("--date", type=day, default=None, metavar="YYYY-MM-DD",
                       help="ngày (mặc định: hôm nay)")
    monthly = group.add_parser("monthly", help="số liệu một tháng")
    monthly.add_argument("--month", type=month, default=None, metavar="YYYY-MM",
                         help="tháng (mặc định: tháng này)")
    monthly.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="ghi ra tệp Excel")
    for parser, handler in ((daily, run_daily), (monthly, run_monthly)):
        formats = parser.add_mutually_exclusive_group()
        formats.add_argument("--json", action="store_true", help="in dạng JSON")
        formats.add_argument("--csv", action="store_true", help="in dạng CSV")
        add_out_option(parser)
        parser.set_defaults(handler=handler, xlsx_ok=True)
    queue = group.add_parser("queue", help="hàng đợi hồ sơ của một ngày")
    queue.add_argument("--date", type=day, default=None, metavar="YYYY-MM-DD")
    queue.add_argument("--open", action="store_true",
                       help="mọi hồ sơ còn đang xử lý (thay vì hồ sơ nhận trong ngày)")
    queue.add_argument("--status", choices=(*lifecycle.STATUS_LABELS, *DEADLINE_FILTERS),
                       default=None)
    queue.add_argument("--procedure", default=None, metavar="FORM", help="id mẫu tờ khai")
    queue.add_argument("--by", dest="by_clerk", default=None, metavar="NAME", help="cán bộ tiếp nhận")
    queue.add_argument("--counter", default=None, metavar="ID", help="quầy")
    add_json_flag(queue)
    queue.set_defaults(handler=run_queue)
    fees = group.add_parser("fees", help="phí, lệ phí đã thu của một ngày hoặc một tháng")
    period = fees.add_mutually_exclusive_group()
    period.add_argument("--date", type=day, default=None, metavar="YYYY-MM-DD",
                        help="ngày (mặc định: hôm nay)")
    period.add_argument("--month", type=month, default=None, metavar="YYYY-MM", help="tháng")
    fee_formats = fees.add_mutually_exclusive_group()
    fee_formats.add_argument("--json", action="store_true", help="in dạng JSON")
    fee_formats.add_argument("--csv", action="store_true", help="in dạng CSV")
    fee_formats.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="ghi ra tệp Excel")
    add_out_option(fees)
    fees.set_defaults(handler=run_fees, xlsx_ok=True)
    stuck = group.add_parser("stuck", help="hồ sơ chưa gửi, sự kiện bị từ chối, quầy lâu không liên lạc")
    add_json_flag(stuck)
    stuck.set_defaults(handler=run_stuck)
    report_citizen.register(group)


def _emit(args: argparse.Namespace, kind: str, when: date) -> int:
    """Compute, save or print the figures of the period holding `when`; the view or export is audited."""
    ctx = context(args)
    xlsx = xlsx_target(args)
    form = "xlsx" if xlsx else ("json" if args.json else "csv" if args.csv else "text")
    report = views.figures(ctx, actor(args), kind, when, form, xlsx)
    titles = views.titles(ctx)
    if args.json:
        print_json(report.to_json(titles))
    elif args.csv:
        sys.stdout.write(to_csv(report, titles))
    elif xlsx is not None:
        print(f"Đã ghi báo cáo {report.period.label} vào {xlsx}")
    else:
        print(to_text(report, titles))
    return 0


def run_daily(args: argparse.Namespace) -> int:
    """Print one day's figures."""
    return _emit(args, views.DAY, args.date or context(args).now().date())


def run_monthly(args: argparse.Namespace) -> int:
    """Print (or save) one month's figures."""
    now = context(args).now()
    year, number = args.month or (now.year, now.month)
    return _emit(args, views.MONTH, date(year, number, 1))


def run_queue(args: argparse.Namespace) -> int:
    """Print the queue of one day with its filters; the view is written to the audit log."""
    from counter.reporting import reports
    from counter.services.reports import queue

    ctx = context(args)
    when = args.date or ctx.now().date()
    rows = queue(ctx, actor(args), when, scope=reports.QUEUE_OPEN if args.open else reports.QUEUE_RECEIVED,
                       status=args.status, form_id=args.procedure, clerk=args.by_clerk, counter=args.counter).rows
    if args.json:
        print_json([row.to_json() for row in rows])
        return 0
    marks = {"overdue": "QUÁ HẠN", "due_soon": "sắp đến hạn"}
    for row in rows:
        print(f"{row.code}  {row.form_id:<28} {row.applicant[:24]:<24} {row.applicant_id}  "
              f"{row.clerk[:18]:<18} {row.counter:<4} {lifecycle.label(row.status):<15} "
              f"hẹn {row.due_at:%d/%m %H:%M}  "
              f"{'đã gửi' if row.synced else 'chưa gửi'}  {marks.get(row.deadline, '')}".rstrip())
    print(f"{len(rows)} hồ sơ")
    return 0


def run_stuck(args: argparse.Namespace) -> int:
    """Print unsent dossiers, quarantined events, pulled events kept aside and counters not heard from."""
    from counter.reporting import reports
    from counter.services.reports import stuck
    from sync.protocol import printable

    work = stuck(context(args))
    if args.json:
        print_json(work.to_json())
        return 0
    print(f"Chưa gửi lên tỉnh: {len(work.unsent)} hồ sơ")
    for u in work.unsent:
        print(f"  {u.code}  quầy {u.counter}  {u.pending_events} sự kiện, chờ {reports.waited(u.waiting)}")
    print(f"Bị hệ thống tỉnh từ chối: {len(work.quarantined)} sự kiện")
    for q in work.quarantined:
        print(f"  {q.code}  {q.type}  {q.occurred_at:%H:%M %d/%m/%Y}  {q.reason}")
    print(f"Nhận từ hệ thống tỉnh nhưng bị giữ lại (không áp dụng): {len(work.held)} sự kiện")
    for h in work.held:
        print(f"  {printable(h.code)}  {printable(h.type)}  quầy {printable(h.counter)}  {printable(h.reason, 300)}")
    if work.identity_conflicts:
        print(f"Công dân trong hồ sơ nhận về khác thông tin quầy đang giữ (không ghi đè): "
              f"{len(work.identity_conflicts)}")
    for conflict in work.identity_conflicts:
        print(f"  {printable(conflict.code)}  {conflict.masked_id}  quầy {printable(conflict.counter)}  "
              f"khác ở: {printable(conflict.fields)}  tên trong hồ sơ: {printable(conflict.pulled_name, 80)}")
    if work.audit_flagged:
        print("Nhật ký bị viết lại (hệ thống tỉnh phát hiện đầu chuỗi không nối tiếp): quầy "
              + ", ".join(printable(c) for c in work.audit_flagged))
    print("Các quầy (lần cuối có sự kiện):")
    for c in work.counters:
        silent = "  — lâu không liên lạc" if c.silent else ""
        print(f"  {c.counter:<6} {c.last_event_at:%H:%M %d/%m/%Y}{silent}")
    return 0


def run_fees(args: argparse.Namespace) -> int:
    """Print (or save) the fees of a day or a month; the view or export is audited."""
    from counter.reporting import fee_export
    from counter.services.fees import fee_report

    ctx = context(args)
    xlsx = args.xlsx
    if xlsx is None and args.out_file is not None and args.out_file.suffix.lower() == ".xlsx":
        xlsx, args.wrote_out = args.out_file, True
    export = "xlsx" if xlsx else "json" if args.json else "csv" if args.csv else "text"
    report = fee_report(ctx, actor(args), args.date, args.month, export)
    titles = {f.id: f.title for f in ctx.forms.values()}
    if xlsx is not None:
        try:
            fee_export.write_xlsx(report, titles, xlsx)
        except OSError as exc:
            raise CounterError(f"Không ghi được tệp {xlsx}: {exc.strerror or exc}.") from None
        print(f"Đã ghi báo cáo phí, lệ phí {report.label} vào {xlsx}")
    elif args.json:
        print_json(report.to_json(titles))
    elif args.csv:
        sys.stdout.write(csv_bom(args) + fee_export.to_csv(report, titles))
    else:
        print(fee_export.to_text(report, titles))
    return 0
