"""`counter display serve`: the citizen display for this counter (a web page for a second screen or a tablet)."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.access import actor
from counter.cli.common import context


def register(subparsers: Any) -> None:
    """Add the `display` command group."""
    group = subparsers.add_parser("display", help="màn hình công dân").add_subparsers(
        dest="display_command", required=True)
    serve = group.add_parser("serve", help="phục vụ màn hình công dân (trang web toàn màn hình)")
    serve.add_argument("--host", default=None, help="địa chỉ nghe (mặc định [display].host: 127.0.0.1, chỉ máy này)")
    serve.add_argument("--port", type=int, default=None, help="cổng (mặc định [display].port: 8765)")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    """Serve until Ctrl+C."""
    from counter.web.server import serve

    ctx = context(args)
    serve(ctx, actor(args), args.host or ctx.config.display.host, args.port or ctx.config.display.port)
    return 0
