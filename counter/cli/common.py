"""Helpers shared by the subcommands: opening the context, printing JSON, refusing with a reason."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from counter.context import CounterContext


def context(args: argparse.Namespace) -> CounterContext:
    """This counter's configuration, forms and database, opened once per command, saying so when encryption
    is off (imported here: `qr parse` needs no database)."""
    ctx: CounterContext | None = getattr(args, "counter_context", None)
    if ctx is None:
        from counter.context import PLAINTEXT_WARNING, open_context

        ctx = args.counter_context = open_context(args.config)
        if not ctx.store.encrypted:
            print(f"counter: {PLAINTEXT_WARNING}", file=sys.stderr)
    return ctx


def damaged_database(args: argparse.Namespace, exc: BaseException) -> str | None:
    """One sentence for a database found damaged after it was opened (pages read later), else None."""
    text = str(getattr(exc, "orig", exc)).lower()
    if type(exc).__name__ != "DatabaseError" or not any(
            sign in text for sign in ("malformed", "not a database", "hmac", "corrupt")):
        return None
    from counter.config import load_config
    from counter.store.db import damaged_message

    return damaged_message(load_config(args.config).database_path)


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
