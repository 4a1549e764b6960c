"""`counter dossier status|return|reschedule`: move a dossier through its lifecycle."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from counter.citizens import identity
from counter.cli.access import actor
from counter.cli.common import add_json_flag, context, print_json
from counter.cli.parser import day
from counter.law import lifecycle

if TYPE_CHECKING:
    from counter.services.dossiers import Dossier


def register(group: Any) -> None:
    """Add the lifecycle subcommands to the `dossier` group."""
    status = group.add_parser("status", help="chuyển trạng thái hồ sơ")
    status.add_argument("code", metavar="CODE")
    status.add_argument("status", metavar="STATUS",
                        help=f"một trong: {', '.join(lifecycle.STATUS_LABELS)}")
    status.add_argument("--reason", default="",
                        help="lý do (bắt buộc khi yêu cầu bổ sung, từ chối, dừng xử lý)")
    status.set_defaults(handler=run_status)
    give = group.add_parser("return", help="trả kết quả cho công dân")
    give.add_argument("code", metavar="CODE")
    give.add_argument("--receiver", default="", metavar="NAME",
                      help="họ tên người nhận kết quả (mặc định: tên trên thẻ quét, hoặc tên trong hồ sơ "
                           "của người có số --receiver-id)")
    who = give.add_mutually_exclusive_group(required=True)
    who.add_argument("--receiver-id", metavar="NUMBER", help="số định danh (12 số) hoặc CMND (9 số) của người nhận")
    who.add_argument("--receiver-qr", metavar="PAYLOAD", help="nội dung mã QR trên thẻ căn cước của người nhận")
    give.set_defaults(handler=run_return)
    later = group.add_parser("reschedule", help="hẹn lại ngày trả kết quả (một lần, kèm phiếu xin lỗi)")
    later.add_argument("code", metavar="CODE")
    later.add_argument("--due", required=True, type=day, metavar="YYYY-MM-DD",
                       help="ngày hẹn mới")
    later.add_argument("--reason", required=True, metavar="TEXT", help="lý do hẹn lại")
    later.set_defaults(handler=run_reschedule)
    for parser in (status, give, later):
        add_json_flag(parser)


def _done(args: argparse.Namespace, dossier: Dossier, message: str) -> int:
    from counter.services.dossier_view import detail

    if args.json:
        print_json(detail(context(args), dossier))
    else:
        print(message)
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Change a dossier's status, or refuse with the reason."""
    from counter.services.dossiers import change_status

    dossier = change_status(context(args), args.code, args.status, actor(args), args.reason)
    return _done(args, dossier, f"Hồ sơ {dossier.code}: {lifecycle.label(dossier.status)}.")


def run_return(args: argparse.Namespace) -> int:
    """Mark the result handed over to the named receiver."""
    from counter.services.dossiers import return_result

    name, number = args.receiver, args.receiver_id or ""
    if args.receiver_qr:
        person = identity.parse(args.receiver_qr)
        name, number = name or person.full_name, person.id_number
    dossier = return_result(context(args), args.code, name, actor(args), receiver_id=number)
    return _done(args, dossier, f"Hồ sơ {dossier.code}: đã trả kết quả cho {dossier.returned_to}; "
                                f"in phiếu bàn giao: counter print handover {dossier.code}.")


def run_reschedule(args: argparse.Namespace) -> int:
    """Set the new due date (once per dossier)."""
    from counter.records.dossiers import due_at_on
    from counter.services.dossiers import reschedule

    ctx = context(args)
    dossier = reschedule(ctx, args.code, due_at_on(ctx, args.due), args.reason, actor(args))
    return _done(args, dossier, f"Hồ sơ {dossier.code}: hẹn lại {dossier.due_at:%H:%M %d/%m/%Y}.")
