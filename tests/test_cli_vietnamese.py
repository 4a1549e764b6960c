"""Every word the CLI says is Vietnamese: argparse refusals, value conversions, help; reasons joined properly."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

from counter.cli.parser import day, explain, month
from counter.law.sentences import join_reasons
from tests.conftest import VALID_PAYLOAD, Cli, run_cli

ENGLISH = ("invalid", "argument", "error", "usage", "required", "expected", "choose from", "unrecognized")


@pytest.mark.parametrize(("args", "sentence"), [
    (("dossier", "list", "--date", "31/11/2026"),
     "counter dossier list: tham số --date: “31/11/2026” không phải một ngày dạng YYYY-MM-DD hoặc dd/mm/yyyy "
     "(ví dụ 2026-09-05 hoặc 05/09/2026). Xem “counter dossier list --help”."),
    (("report", "daily", "--date", "9999-12-31"),
     "counter report daily: tham số --date: ngày 31/12/9999 nằm ngoài khoảng năm 1900–2199. "
     "Xem “counter report daily --help”."),
    (("report", "monthly", "--month", "9999-12"),
     "counter report monthly: tham số --month: tháng 12/9999 nằm ngoài khoảng năm 1900–2199. "
     "Xem “counter report monthly --help”."),
    (("dossier", "new"), "counter dossier new: thiếu tham số bắt buộc: --form. Xem “counter dossier new --help”."),
    (("demo", "--dossiers", "many"),
     "counter demo: tham số --dossiers: “many” không phải một số nguyên. Xem “counter demo --help”."),
    (("report", "daily", "--date"), "counter report daily: tham số --date: cần đúng một giá trị. "
     "Xem “counter report daily --help”."),
    (("dossier", "list", "--bogus"), "counter: không hiểu tham số: --bogus. Xem “counter --help”."),
])
def test_refusals_are_one_vietnamese_line(config_path: Path, args: tuple[str, ...], sentence: str) -> None:
    """A bad command line is one Vietnamese sentence on stderr, exit 1, nothing on stdout."""
    result = run_cli(*args, config=config_path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr == sentence + "\n"


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-09-05", date(2026, 9, 5)), ("05/09/2026", date(2026, 9, 5)), ("5/9/2026", date(2026, 9, 5)),
    ("1900-01-01", date(1900, 1, 1)), ("31/12/2199", date(2199, 12, 31)),
])
def test_a_day_is_taken_as_the_form_fields_take_it(text: str, expected: date) -> None:
    """--date and --due take YYYY-MM-DD and dd/mm/yyyy alike, from 1900 to 2199 inclusive."""
    assert day(text) == expected


@pytest.mark.parametrize("text", ["1899-12-31", "01/01/2200", "0001-01-01", "2026-02-30", "hôm nay"])
def test_a_day_outside_the_years_or_the_calendar_is_refused(text: str) -> None:
    """One step outside the range, or no real day, is refused in Vietnamese (never a traceback later)."""
    with pytest.raises(argparse.ArgumentTypeError, match=r"nằm ngoài khoảng năm|không phải một ngày"):
        day(text)


def test_a_month_is_checked_at_both_ends() -> None:
    """--month: 1900-01 and 2199-12 are taken; 1899-12, 2200-01 and month 13 are refused."""
    assert (month("1900-01"), month("2199-12")) == ((1900, 1), (2199, 12))
    for text in ("1899-12", "2200-01", "2026-13", "2026-00"):
        with pytest.raises(argparse.ArgumentTypeError):
            month(text)


def test_help_is_vietnamese(config_path: Path) -> None:
    """Help headings and the -h line are Vietnamese."""
    shown = run_cli("dossier", "--help", config=config_path).stdout
    assert shown.startswith("cách dùng: counter dossier")
    assert "tuỳ chọn:" in shown and "in hướng dẫn này rồi thoát" in shown and "lệnh:" in shown
    assert not any(word in shown for word in ("usage", "options:", "show this help"))


@pytest.mark.parametrize("message", [
    "the following arguments are required: --form, --qr",
    "argument --due: invalid fromisoformat value: '2026-13-01'",
    "argument --kind: invalid choice: 'x' (choose from 'a', 'b')",
    "argument --port: invalid int value: 'abc'",
    "argument --x: expected at least one argument",
    "argument --a: not allowed with argument --b",
    "one of the arguments --a --b is required",
    "ambiguous option: --d could match --date, --due",
    "unrecognized arguments: a b",
])
def test_every_argparse_message_is_translated(message: str) -> None:
    """Each message argparse can give a user comes out without an English word."""
    said = explain(message).lower()
    assert not any(word in said for word in ENGLISH), said


def test_reasons_are_one_sentence() -> None:
    """Several field reasons are joined into one sentence, never "Bắt buộc nhập.; …"."""
    assert join_reasons(["Bắt buộc nhập.", "Phải là số.", "Số CCCD sai."]) == \
        "Bắt buộc nhập; phải là số; số CCCD sai."
    assert join_reasons(["CCCD hết hạn."]) == "CCCD hết hạn."


def test_refused_dossier_lists_fields_in_one_sentence(cli: Cli) -> None:
    """A dossier with missing fields is refused in one sentence naming each field once."""
    result = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD)
    assert result.returncode == 1
    line = result.stderr.strip()
    assert line.startswith("counter: Hồ sơ không được lưu: ") and line.endswith(".")
    assert ".;" not in line and "purpose): bắt buộc nhập" in line and line.count("\n") == 0
