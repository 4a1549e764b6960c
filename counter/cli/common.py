"""Helpers shared by the subcommands: opening the context, printing JSON, refusing with a reason."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter.context import CounterContext


def context(args: argparse.Namespace) -> CounterContext:
    """This counter's configuration, forms and database, opened once per command (imported here: `qr parse`
    needs no database)."""
    ctx: CounterContext | None = getattr(args, "counter_context", None)
    if ctx is None:
        from counter.context import open_context

        ctx = args.counter_context = open_context(args.config)
    return ctx


def print_json(data: Any) -> None:
    """One JSON document on stdout, UTF-8, Vietnamese left readable."""
    print(json.dumps(data, ensure_ascii=False, indent=None))


def fail(message: str) -> int:
    """Write a one-line refusal to stderr and return exit status 1."""
    print(f"counter: {message}", file=sys.stderr)
    return 1


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """The common --json switch."""
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
