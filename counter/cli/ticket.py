"""`counter ticket take|call|skip|recall`: the queue's numbers from the command line (a kiosk, a counter)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter.cli.access import actor
from counter.cli.common import add_json_flag, context, fail, print_json
from counter.platform import PrintError
from counter.queue.tickets import STATE_LABELS, TicketView
from counter.services import tickets


def register(subparsers: Any) -> None:
    """Add the `ticket` command group."""
    group = subparsers.add_parser("ticket", help="số thứ tự của người chờ").add_subparsers(
        dest="ticket_command", required=True)
    take = group.add_parser("take", help="lấy số thứ tự tiếp theo của một nhóm và in phiếu")
    take.add_argument("--group", default=None, metavar="GROUP", help="nhóm (chữ cái, xem [queue] trong counter.toml)")
    take.add_argument("--pdf", type=Path, default=None, metavar="FILE", help="lưu phiếu ra tệp PDF thay vì in")
    take.add_argument("--no-print", action="store_true", help="không in phiếu")
    add_json_flag(take)
    take.set_defaults(handler=run_take)
    call = group.add_parser("call", help="gọi số đang chờ lâu nhất tới quầy này")
    call.add_argument("--group", default=None, metavar="GROUP", help="chỉ gọi trong nhóm này")
    add_json_flag(call)
    call.set_defaults(handler=run_call)
    for name, help_line, handler in (
            ("skip", "bỏ qua số đang gọi (người dân không có mặt)", run_skip),
            ("recall", "gọi lại số đang gọi, hoặc một số đã bỏ qua", run_recall)):
        parser = group.add_parser(name, help=help_line)
        parser.add_argument("number", nargs="?", default=None, metavar="NUMBER",
                            help="số thứ tự (mặc định: số quầy đang gọi)")
        add_json_flag(parser)
        parser.set_defaults(handler=handler)


def _show(args: argparse.Namespace, ticket: TicketView, sentence: str) -> None:
    if args.json:
        print_json(ticket.to_json())
    else:
        print(sentence)


def run_take(args: argparse.Namespace) -> int:
    """Take the next number, then print its ticket (a failed print keeps the number and says why)."""
    ctx = context(args)
    ticket = tickets.take(ctx, actor(args), args.group)
    ahead = f"{ticket.ahead} người chờ trước" if ticket.ahead else "không có ai chờ trước"
    _show(args, ticket, f"Số {ticket.label} — {ticket.group_name} — {ticket.taken_at:%H:%M %d/%m/%Y}, {ahead}.")
    if args.no_print:
        return 0
    try:
        tickets.print_ticket(ctx, ticket, actor(args), args.pdf)
    except PrintError as exc:
        return fail(f"Đã cấp số {ticket.label} nhưng chưa in được phiếu: {exc.message}")
    return 0


def run_call(args: argparse.Namespace) -> int:
    """Call the next number to this counter."""
    ctx = context(args)
    ticket = tickets.call_next(ctx, actor(args), args.group)
    _show(args, ticket, f"Mời số {ticket.label} ({ticket.group_name}) tới quầy {ticket.counter}.")
    return 0


def run_skip(args: argparse.Namespace) -> int:
    """Skip the number being called."""
    ticket = tickets.skip(context(args), actor(args), args.number)
    _show(args, ticket, f"Đã bỏ qua số {ticket.label}.")
    return 0


def run_recall(args: argparse.Namespace) -> int:
    """Call a number again."""
    ticket = tickets.recall(context(args), actor(args), args.number)
    _show(args, ticket, f"Mời lại số {ticket.label} tới quầy {ticket.counter} ({STATE_LABELS[ticket.state]}).")
    return 0
