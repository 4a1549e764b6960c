"""An argparse parser that speaks Vietnamese: refusals, value-conversion messages, help headings.

argparse builds its messages from English templates; `explain` turns each one it can raise into one
Vietnamese sentence, and the parser prints that one line and exits 1 like every other CLI refusal.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Any, NoReturn

FIRST_YEAR, LAST_YEAR = 1900, 2199
"""Days a command accepts: wide enough for any record, narrow enough that due dates and months stay dates."""


def day(text: str) -> date:
    """A --date value: YYYY-MM-DD or dd/mm/yyyy, as the form fields take it, between 1900 and 2199."""
    from counter.law.forms import parse_date

    parsed = parse_date(text)
    if parsed is None:
        raise argparse.ArgumentTypeError(f"“{text}” không phải một ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy "
                                         "(ví dụ 2026-09-05 hoặc 05/09/2026)")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"ngày {parsed:%d/%m/%Y} nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR}")
    return parsed


def month(text: str) -> tuple[int, int]:
    """A --month value YYYY-MM as (year, month), between 1900 and 2199."""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", text.strip())
    if found is None or not 1 <= int(found[2]) <= 12:
        raise argparse.ArgumentTypeError(f"cần dạng YYYY-MM, nhận được “{text}”")
    if not FIRST_YEAR <= int(found[1]) <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"tháng {found[2]}/{found[1]} nằm ngoài khoảng năm {FIRST_YEAR}–{LAST_YEAR}")
    return int(found[1]), int(found[2])


TYPE_HINTS = {
    "fromisoformat": "không phải một ngày dạng YYYY-MM-DD (ví dụ 2026-09-05)",
    "int": "không phải một số nguyên",
    "float": "không phải một số",
    "Path": "không phải một đường dẫn tệp",
}
"""What a value failed to be, by the name of the function that converts it."""


def _quoted(items: str) -> str:
    """A comma-separated list with argparse's repr quotes replaced by Vietnamese quotes."""
    return ", ".join(f"“{item.strip().strip(chr(39))}”" for item in items.split(","))


def _invalid_value(match: re.Match[str]) -> str:
    hint = TYPE_HINTS.get(match["type"], f"không hợp lệ ({match['type']})")
    return f"“{match['value']}” {hint}"


_RULES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^argument (?P<arg>\S+): (?P<rest>.*)$", re.S),
     lambda m: f"tham số {m['arg'].replace('/', ' / ')}: {explain(m['rest'])}"),
    (re.compile(r"^the following arguments are required: (?P<args>.*)$"),
     lambda m: f"thiếu tham số bắt buộc: {m['args']}"),
    (re.compile(r"^unrecognized arguments: (?P<args>.*)$"),
     lambda m: f"không hiểu tham số: {m['args']}"),
    (re.compile(r"^invalid (?P<type>\w+) value: '(?P<value>.*)'$", re.S), _invalid_value),
    (re.compile(r"^invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.*)\)$"),
     lambda m: f"“{m['value']}” không có; chọn một trong: {_quoted(m['choices'])}"),
    (re.compile(r"^expected one argument$"), lambda m: "cần đúng một giá trị"),
    (re.compile(r"^expected at most one argument$"), lambda m: "chỉ nhận tối đa một giá trị"),
    (re.compile(r"^expected at least one argument$"), lambda m: "cần ít nhất một giá trị"),
    (re.compile(r"^expected (?P<n>\d+) arguments?$"), lambda m: f"cần {m['n']} giá trị"),
    (re.compile(r"^ambiguous option: (?P<opt>\S+) could match (?P<matches>.*)$"),
     lambda m: f"{m['opt']} không rõ là tham số nào trong: {m['matches']}"),
    (re.compile(r"^not allowed with argument (?P<arg>.*)$"), lambda m: f"không dùng cùng với {m['arg']}"),
    (re.compile(r"^one of the arguments (?P<args>.*) is required$"),
     lambda m: f"cần một trong các tham số {m['args']}"),
    (re.compile(r"^ignored explicit argument '(?P<value>.*)'$"), lambda m: f"không nhận giá trị “{m['value']}”"),
]


def explain(message: str) -> str:
    """One of argparse's English error messages in Vietnamese (a message it does not know stays as is)."""
    for pattern, render in _RULES:
        match = pattern.match(message)
        if match:
            return str(render(match))
    return message


class VietnameseHelpFormatter(argparse.HelpFormatter):
    """Help text with a Vietnamese usage line."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        """Start the usage line with "cách dùng:"."""
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """argparse with Vietnamese headings and one-line Vietnamese refusals (exit 1)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        add_help = kwargs.pop("add_help", True)
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tuỳ chọn"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="in hướng dẫn này rồi thoát")

    def add_subparsers(self, **kwargs: Any) -> Any:
        """Subcommands under a Vietnamese heading, built with this same class."""
        kwargs.setdefault("title", "lệnh")
        return super().add_subparsers(**kwargs)

    def error(self, message: str) -> NoReturn:
        """Refuse the command line in one Vietnamese sentence on stderr, pointing at --help; exit 1."""
        sentence = explain(message).rstrip(".")
        self.exit(1, f"{self.prog}: {sentence}. Xem “{self.prog} --help”.\n")
