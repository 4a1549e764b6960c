"""Every word the CLI says is Vietnamese: argparse refusals, value conversions, help; reasons joined properly."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.cli.parser import explain
from counter.law.sentences import join_reasons
from tests.conftest import VALID_PAYLOAD, Cli, run_cli

ENGLISH = ("invalid", "argument", "error", "usage", "required", "expected", "choose from", "unrecognized")


@pytest.mark.parametrize(("args", "sentence"), [
    (("dossier", "list", "--date", "31/11/2026"),
     "counter dossier list: tham số --date: “31/11/2026” không phải một ngày dạng YYYY-MM-DD (ví dụ 2026-09-05). "
     "Xem “counter dossier list --help”."),
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
