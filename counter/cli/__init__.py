"""The `counter` command: without a subcommand it opens the counter app; subcommands script the core."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from counter.cli import address, audit, demo, dossier, forms, hub, printing, qr, report, sync, users
from counter.cli.common import fail
from counter.cli.parser import VietnameseArgumentParser
from counter.errors import CounterError

COMMAND_MODULES = (qr, forms, dossier, address, printing, demo, sync, hub, users, report, audit)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = VietnameseArgumentParser(
        prog="counter", description="Một Cửa Counter — quầy tiếp nhận hồ sơ một cửa cấp xã."
    )
    parser.add_argument("--config", metavar="PATH", help="tệp cấu hình (mặc định: $COUNTER_CONFIG, ./counter.toml)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from counter.cli.app import run_app

            return run_app(args)
        result: int = args.handler(args)
        return result
    except CounterError as exc:
        return fail(exc.message)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`counter dossier list | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
