"""Helpers shared by the subcommands: opening the context, printing JSON, refusing with a reason."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter.context import CounterContext


def context(args: argparse.Namespace) -> CounterContext:
    """Open this counter's configuration, forms and database (imported here: `qr parse` needs no database)."""
    from counter.context import open_context

    return open_context(args.config)


def print_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8, Vietnamese left readable."""
    print(json.dumps(data, ensure_ascii=False, indent=None))


def fail(message: str) -> int:
    """Write a one-line refusal to stderr and return exit status 1."""
    print(f"counter: {message}", file=sys.stderr)
    return 1


def default_clerk() -> str:
    """The clerk name for CLI actions: $COUNTER_CLERK, else the operating-system user."""
    return os.environ.get("COUNTER_CLERK") or getpass.getuser()


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """The common --json switch."""
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
