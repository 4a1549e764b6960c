"""Helpers shared by the subcommands: opening the context, printing JSON, refusing with a reason."""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from counter.errors import CounterError, NotFoundError
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
    from counter.services.database import damage

    return damage(args.config, exc)


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
    """The common --json switch, and --out FILE."""
    parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    add_out_option(parser)


def add_out_option(parser: argparse.ArgumentParser) -> None:
    """--out FILE: the output goes to FILE in UTF-8 (CSV with a BOM, for Excel) instead of the screen; a
    PowerShell `>` would re-encode it as UTF-16."""
    parser.add_argument("--out", dest="out_file", type=Path, default=None, metavar="FILE",
                        help="ghi kết quả ra tệp FILE (UTF-8; CSV có BOM cho Excel) thay vì in ra màn hình")


def xlsx_target(args: argparse.Namespace) -> Path | None:
    """The Excel file of a report: --xlsx FILE, or --out FILE.xlsx (then nothing else goes to that file)."""
    out: Path | None = getattr(args, "out_file", None)
    if getattr(args, "xlsx", None) is None and out is not None and out.suffix.lower() == ".xlsx":
        args.wrote_out = True
        return out
    xlsx: Path | None = getattr(args, "xlsx", None)
    return xlsx


def csv_bom(args: argparse.Namespace) -> str:
    """The byte-order mark a CSV printed to the screen starts with ("" with --out, whose writer adds it)."""
    return "" if getattr(args, "out_file", None) is not None else "\ufeff"


def wants_bom(args: argparse.Namespace) -> bool:
    """CSV output (--csv, or a .csv file): Excel reads UTF-8 only after a byte-order mark."""
    out: Path = args.out_file
    return bool(getattr(args, "csv", False)) or out.suffix.lower() == ".csv"


def write_out(path: Path, text: str, bom: bool) -> None:
    """Write a command's output to `path` whole or not at all (temporary name, then rename)."""
    data = ("\ufeff" if bom else "") + text
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise CounterError(f"Không ghi được tệp {path}: {exc.strerror or exc}.") from None


def assignments(pairs: list[str]) -> dict[str, str]:
    """FIELD=VALUE pairs of `--set` as a dict (a pair without "=" is refused)."""
    values = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise NotFoundError(f"--set cần dạng TRƯỜNG=GIÁ_TRỊ, nhận được “{pair}”.")
        values[field.strip()] = value
    return values
