"""Helpers shared by the subcommands: opening the context, printing JSON, refusing with a reason."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from counter.text.plaintext import json_safe, terminal_safe

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
    """One JSON document on stdout, UTF-8, Vietnamese left readable, control characters escaped."""
    print(json_safe(json.dumps(data, ensure_ascii=False, indent=None)))


class SafeStream:
    """stdout/stderr of a subcommand: stored text that predates the checks (an escape sequence, a broken
    character) is shown as `\\x1b`, never sent to the terminal raw; everything else passes through."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text` with its control characters made visible."""
        self._stream.write(terminal_safe(text))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def fail(message: str) -> int:
    """Write a one-line refusal to stderr and return exit status 1."""
    print(f"counter: {message}", file=sys.stderr)
    return 1


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    """The common --json switch."""
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
