"""`counter dossier attach|attachments|attachment|detach` and `counter citizen papers`: scanned papers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from counter.cli.access import actor
from counter.cli.common import add_json_flag, context, fail, print_json


def register_dossier(group: Any) -> None:
    """Add the attachment subcommands to the `dossier` group."""
    attach = group.add_parser("attach", help="đính kèm bản quét (ảnh JPEG/PNG/TIFF hoặc PDF) vào hồ sơ")
    attach.add_argument("code", metavar="CODE")
    attach.add_argument("files", nargs="*", metavar="FILE", type=Path,
                        help="các tệp theo thứ tự trang; nhiều tệp thành một tệp đính kèm")
    attach.add_argument("--kind", choices=("component", "result"), default=None,
                        help="thành phần hồ sơ (component, mặc định) hoặc kết quả (result)")
    attach.add_argument("--title", default="", metavar="TEXT", help="tên giấy tờ, ví dụ “Giấy khai sinh”")
    attach.add_argument("--reuse", default="", metavar="SHA256",
                        help="dùng lại bản số hóa đã có của người trong hồ sơ (xem counter citizen papers)")
    add_json_flag(attach)
    attach.set_defaults(handler=run_attach)
    listing = group.add_parser("attachments", help="các tệp đính kèm của hồ sơ")
    listing.add_argument("code", metavar="CODE")
    add_json_flag(listing)
    listing.set_defaults(handler=run_attachments)
    one = group.add_parser("attachment", help="ghi một tệp đính kèm ra tệp, nguyên từng byte")
    one.add_argument("code", metavar="CODE")
    one.add_argument("n", metavar="N", type=int, help="số thứ tự của tệp (từ 1, như counter dossier attachments)")
    one.add_argument("--out", required=True, metavar="FILE", type=Path, help="tệp sẽ ghi")
    one.set_defaults(handler=run_attachment)
    detach = group.add_parser("detach", help="gỡ một tệp đính kèm (giám sát; ghi lý do)")
    detach.add_argument("code", metavar="CODE")
    detach.add_argument("n", metavar="N", type=int, help="số thứ tự của tệp (từ 1)")
    detach.add_argument("--reason", required=True, metavar="TEXT", help="lý do gỡ")
    detach.set_defaults(handler=run_detach)


def register(subparsers: Any) -> None:
    """Add the `citizen` command group."""
    group = subparsers.add_parser("citizen", help="công dân").add_subparsers(dest="citizen_command", required=True)
    papers = group.add_parser("papers", help="giấy tờ đã số hóa của một công dân (trên mọi hồ sơ quầy đang giữ)")
    papers.add_argument("id_number", metavar="IDNUMBER", help="số định danh 12 chữ số")
    add_json_flag(papers)
    papers.set_defaults(handler=run_papers)


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(1, round(size / 1024))} KB"


def _line(n: int, attachment: Any) -> str:
    from counter.attachments.records import KINDS, dpi_note

    dpi = dpi_note(attachment.dpi)
    reused = f", dùng lại từ {attachment.reused_from}" if attachment.reused_from else ""
    return (f"{n}. {attachment.title} ({KINDS.get(attachment.kind, attachment.kind).lower()}): "
            f"{attachment.pages} trang, {_size(attachment.bytes)}{dpi}{reused}; {attachment.clerk} "
            f"{attachment.added_at:%H:%M %d/%m/%Y}; sha256 {attachment.sha256}")


def run_attach(args: argparse.Namespace) -> int:
    """Attach the files (or link `--reuse`), printing warnings (low resolution) on stderr."""
    from counter.services import attachments

    if bool(args.files) == bool(args.reuse):
        return fail("Cần nêu tệp cần đính kèm, hoặc --reuse SHA256 (không dùng cả hai).")
    ctx = context(args)
    if args.reuse:
        done = attachments.reuse(ctx, args.code, args.reuse, actor(args), kind=args.kind, title=args.title)
    else:
        done = attachments.attach(ctx, args.code, args.files, actor(args), kind=args.kind or "component",
                                  title=args.title)
    for warning in done.warnings:
        print(f"counter: cảnh báo: {warning}", file=sys.stderr)
    if args.json:
        print_json({**done.attachment.to_json(done.n), "warnings": list(done.warnings)})
    else:
        print(f"Đã đính kèm vào hồ sơ {done.attachment.dossier_code}: {_line(done.n, done.attachment)}")
    return 0


def run_attachments(args: argparse.Namespace) -> int:
    """List a dossier's attachments in order (N from 1)."""
    from counter.services.attachments import listing

    dossier, attached = listing(context(args), args.code, actor(args))
    if args.json:
        print_json({"dossier": dossier.code, "attachments": [a.to_json(n) for n, a in enumerate(attached, 1)]})
    elif not attached:
        print(f"Hồ sơ {dossier.code} chưa có tệp đính kèm.")
    else:
        for n, attachment in enumerate(attached, 1):
            print(_line(n, attachment))
    return 0


def run_attachment(args: argparse.Namespace) -> int:
    """Write attachment N to --out, byte for byte."""
    from counter.services.attachments import export

    chosen = export(context(args), args.code, args.n, args.out, actor(args))
    print(f"Đã ghi tệp số {args.n} của hồ sơ {chosen.dossier_code} vào {args.out} ({chosen.bytes} byte).")
    return 0


def run_detach(args: argparse.Namespace) -> int:
    """Remove attachment N with the reason (a supervisor)."""
    from counter.services.attachments import remove

    gone = remove(context(args), args.code, args.n, args.reason, actor(args))
    print(f"Đã gỡ tệp số {args.n} “{gone.title}” của hồ sơ {gone.dossier_code}.")
    return 0


def run_papers(args: argparse.Namespace) -> int:
    """List the papers already digitised for a citizen."""
    from counter.attachments.records import KINDS
    from counter.citizens.idnumber import mask
    from counter.services.attachments import papers

    found = papers(context(args), args.id_number, actor(args))
    if args.json:
        print_json([a.to_json() for a in found])
    elif not found:
        print(f"Chưa có giấy tờ số hóa nào của công dân {mask(''.join(args.id_number.split()))}.")
    else:
        for a in found:
            print(f"{a.title} ({KINDS.get(a.kind, a.kind).lower()}), {a.added_at:%d/%m/%Y}, hồ sơ {a.dossier_code}, "
                  f"{a.pages} trang; sha256 {a.sha256}")
    return 0
