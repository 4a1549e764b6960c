"""`counter audit`: read and filter the append-only audit log (who saw or changed what, and when)."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from counter.cli.common import add_json_flag, context, print_json
from counter.services import auditlog


def _moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"cần dạng YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM, nhận được “{text}”") from None


def register(subparsers: Any) -> None:
    """Add the `audit` command."""
    parser = subparsers.add_parser("audit", help="nhật ký truy cập và thao tác (chỉ đọc)")
    parser.add_argument("--clerk", default=None, help="chỉ của cán bộ này")
    parser.add_argument("--since", type=_moment, default=None, metavar="WHEN",
                        help="từ thời điểm (YYYY-MM-DD[THH:MM])")
    parser.add_argument("--until", type=_moment, default=None, metavar="WHEN", help="trước thời điểm")
    parser.add_argument("--action", default=None, help="loại thao tác (tiền tố), ví dụ view, status, sign_in")
    parser.add_argument("--subject", default=None, help="mã hồ sơ (hoặc một phần) hay tên tài khoản")
    parser.add_argument("--limit", type=int, default=500, help="số dòng tối đa (mặc định 500)")
    add_json_flag(parser)
    parser.set_defaults(handler=run_audit)
    parser.add_argument("check", nargs="?", choices=["verify"], metavar="verify",
                        help="verify: kiểm tra chuỗi băm của nhật ký (phát hiện mục bị sửa, xoá, chèn)")


def run_verify(args: argparse.Namespace) -> int:
    """Check the whole hash chain: exit 0 with the count and head, or 1 naming the first entry that does not fit."""
    report = auditlog.verify(context(args))
    if args.json:
        print_json(report.to_json())
    elif report.ok:
        print(f"Nhật ký nguyên vẹn: {report.count} mục, đầu chuỗi {report.head}")
    else:
        print(f"counter: nhật ký bị can thiệp tại mục {report.bad_id} ({report.bad_at}): {report.reason}; "
              f"{report.count} mục trước đó còn nguyên.", file=sys.stderr)
    return 0 if report.ok else 1


def run_audit(args: argparse.Namespace) -> int:
    """Print the matching entries, newest first (or, with `verify`, check the chain)."""
    if args.check == "verify":
        return run_verify(args)
    rows = auditlog.entries(context(args), clerk=args.clerk, since=args.since, until=args.until,
                            action=args.action, subject=args.subject, limit=args.limit)
    if args.json:
        print_json([{"at": e.at.isoformat(), "clerk": e.clerk, "action": e.action,
                     "subject_kind": e.subject_kind, "subject": e.subject_ref, "detail": e.detail}
                    for e in rows])
        return 0
    for e in rows:
        line = f"{e.at:%d/%m/%Y %H:%M:%S}  {e.clerk:<22} {e.action:<16} {e.subject_kind:<8} {e.subject_ref}"
        print(f"{line}  {e.detail}".rstrip())
    print(f"{len(rows)} dòng")
    return 0
