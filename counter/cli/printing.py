"""`counter print DOCUMENT CODE [--pdf FILE]`: print or save a dossier's receipt, form or slip."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter.cli.access import actor
from counter.cli.common import context
from counter.documents.catalog import BUILDERS, LABELS
from counter.documents.printing import print_document, save_pdf


def register(subparsers: Any) -> None:
    """Add the `print` command."""
    parser = subparsers.add_parser(
        "print", help="in giấy tiếp nhận, tờ khai hoặc phiếu của một hồ sơ",
        description="In (hoặc lưu PDF) một giấy tờ của hồ sơ: " + "; ".join(f"{k}: {v}" for k, v in LABELS.items()),
    )
    parser.add_argument("document", choices=list(BUILDERS), metavar="DOCUMENT",
                        help=", ".join(BUILDERS))
    parser.add_argument("code", metavar="CODE", help="mã hồ sơ")
    parser.add_argument("--pdf", type=Path, default=None, metavar="FILE",
                        help="lưu thành tệp PDF thay vì gửi tới máy in")
    parser.add_argument("--paper", choices=("A4", "A5", "80mm"), default=None, type=_paper,
                        help="khổ giấy của tệp PDF (mặc định: [printer].paper)")
    parser.set_defaults(handler=run_print)


def _paper(text: str) -> str:
    """A paper name in any case: a4, A5, 80MM."""
    return {"a4": "A4", "a5": "A5", "80mm": "80mm"}.get(text.lower(), text)


def run_print(args: argparse.Namespace) -> int:
    """Save the document as PDF when --pdf is given, else print it on the configured printer."""
    ctx = context(args)
    clerk = actor(args)
    try:
        if args.pdf is not None:
            done = save_pdf(ctx, args.document, args.code, clerk, args.pdf, args.paper)
        else:
            done = print_document(ctx, args.document, args.code, clerk)
    finally:
        ctx.close()
    print(done.message)
    return 0
