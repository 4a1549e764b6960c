"""Text is text: control characters and broken characters are refused where text enters, with one sentence
naming the field, and escaped when stored text is printed to a terminal."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from counter.accounts import users
from counter.citizens import identity
from counter.context import open_context
from counter.errors import FormDefinitionError
from counter.law import forms
from counter.text.plaintext import TextRefused, check_text, json_safe, terminal_safe, text_problem
from tests.conftest import VALID_PAYLOAD, Cli, run_cli, signed_in

TITLE_ATTACK = "\x1b]0;pwned\x07"
CLEAR_ATTACK = "\x1b[2J"
PURPOSE = ["--set", "subject_ethnicity=Kinh", "--set", "subject_nationality=Việt Nam",
           "--set", "marital_status=Chưa đăng ký kết hôn"]


@pytest.mark.parametrize(("value", "multiline", "found"), [
    ("Trần Văn Bình, Xóm 3 — “Hải Minh”", False, None),
    ("dòng 1\ndòng 2\r\ndòng 3", True, None),
    ("dòng 1\ndòng 2", False, "xuống dòng"),
    ("dòng 1\rdòng 2", True, "U+000D"),
    ("a\tb", True, "U+0009"),
    (f"Bình{TITLE_ATTACK}", False, "U+001B"),
    ("Bình\x7f", False, "U+007F"),
    ("Bình\x85", True, "U+0085"),
    ("Bình\x9b2J", False, "U+009B"),
    ("B\udc80nh", False, "U+DC80"),
    ("\ud83d", True, "U+D83D"),
    ("\ufeff", False, "vô hình U+FEFF"),
    ("\u200b\u200b", True, "vô hình U+200B"),
    ("Nguy\u202eễn", False, "vô hình U+202E"),
    ("Bình\u2066", True, "vô hình U+2066"),
    ("Xóm \u0661\u0662", False, "chữ số ngoài 0–9 (U+0661)"),
    ("Tổ １２", True, "chữ số ngoài 0–9 (U+FF11)"),
    ("Số 12, ngõ 3", False, None),
])
def test_text_problem(value: str, multiline: bool, found: str | None) -> None:
    """C0, DEL and C1 controls and unpaired surrogates are refused; a line break only where several lines fit."""
    problem = text_problem(value, multiline)
    assert (problem is None) if found is None else (problem is not None and found in problem)


def test_the_hub_refuses_what_the_counter_refuses() -> None:
    """The protocol's check (hub and pulled events) refuses the same invisible characters and foreign digits."""
    from sync.protocol import text_problem as protocol_problem

    for value in ("\ufeff", "Nguy\u202eễn", "\u200b", "Xóm \u0661"):
        assert protocol_problem(value, multiline=True) is not None and text_problem(value, True) is not None
    assert protocol_problem("Nguyễn Văn An, Xóm 3", multiline=True) is None


def test_check_text_names_the_field_and_escaping_makes_everything_visible() -> None:
    """One sentence naming the field; terminal and JSON escaping leave no raw control character."""
    with pytest.raises(TextRefused, match=r"^Lý do: có ký tự điều khiển U\+001B"):
        check_text(f"x{CLEAR_ATTACK}", "Lý do")
    shown = terminal_safe(f"Bình{TITLE_ATTACK}\x85\udc80\r\n\tok\rX")
    assert shown == "Bình\\x1b]0;pwned\\x07\\x85\\udc80\r\n\tok\\x0dX"
    document = json_safe(json.dumps({"v": f"a{CLEAR_ATTACK}\x85\udc80"}, ensure_ascii=False))
    assert text_problem(document) is None and json.loads(document)["v"] == f"a{CLEAR_ATTACK}\x85\udc80"


def test_qr_fields_are_refused_by_name() -> None:
    """A control character in a QR field is refused naming the field; broken characters end in no traceback."""
    with pytest.raises(identity.IdentityError, match=r"^Họ và tên trong mã QR có ký tự điều khiển U\+001B"):
        identity.parse(VALID_PAYLOAD.replace("Bình", f"Bình{TITLE_ATTACK}"))
    with pytest.raises(identity.IdentityError, match=r"^Nơi thường trú trong mã QR"):
        identity.parse(VALID_PAYLOAD.replace("Xóm 3", f"{CLEAR_ATTACK}Xóm 3"))
    with pytest.raises(identity.IdentityError, match="ký tự hỏng"):
        identity.parse(VALID_PAYLOAD.replace("Bình", "B\udc80nh"))
    assert identity.parse(VALID_PAYLOAD + "\r\n").full_name == "Trần Văn Bình"
    for payload in (VALID_PAYLOAD.replace("Bình", "Bình\x1b[31m"), VALID_PAYLOAD.replace("Bình", "B\udc80nh")):
        refused = run_cli("qr", "parse", payload)
        assert refused.returncode == 1 and refused.stderr.count("\n") == 1 and "\x1b" not in refused.stderr
        assert "Traceback" not in refused.stderr


def test_typed_and_set_values_are_refused_by_field(cli: Cli) -> None:
    """The core check every entry shares (app fields and `--set`): the field is named, nothing is saved."""
    form = open_context(cli.config).forms["xac-nhan-tinh-trang-hon-nhan"]
    errors = forms.validate(form, {"purpose": f"Kết hôn{TITLE_ATTACK}", "subject_ethnicity": "Kinh\udc80"},
                            date(2026, 3, 2))
    assert "U+001B" in errors["purpose"] and "U+DC80" in errors["subject_ethnicity"]
    for bad in (f"purpose=Kết hôn{CLEAR_ATTACK}", "purpose=K\udc80t hôn"):
        refused = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                      *PURPOSE, "--set", bad)
        assert refused.returncode == 1 and "(purpose): có ký tự" in refused.stderr and "Traceback" not in refused.stderr
        assert "\x1b" not in refused.stderr
    assert cli("dossier", "list", "--json").stdout.strip() == "[]"


def test_reasons_and_account_names_are_plain(cli: Cli) -> None:
    """A status reason or a receiver with an escape sequence, and such an account name, are refused."""
    created = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                  *PURPOSE, "--set", "purpose=Kết hôn", "--json")
    code = json.loads(created.stdout)["code"]
    refused = cli("dossier", "status", code, "refused", "--reason", f"Thiếu giấy{CLEAR_ATTACK}")
    assert refused.returncode == 1 and refused.stderr.startswith("counter: Lý do: có ký tự điều khiển U+001B")
    ctx = open_context(cli.config)
    try:
        with pytest.raises(TextRefused, match=r"^Tên cán bộ"):
            users.add_clerk(ctx, f"Lan{TITLE_ATTACK}", users.CLERK, "246813", by="test")
    finally:
        ctx.close()


def test_form_files_are_plain(tmp_path: Path) -> None:
    """A form file with a control character is refused at load, naming the file and the key."""
    source = forms.shipped_forms() / "khai-tu.toml"
    bad = tmp_path / "khai-tu.toml"
    content = source.read_text(encoding="utf-8")
    bad.write_text(content.replace('title = "', 'title = "\\u001b[2J', 1), encoding="utf-8")
    with pytest.raises(FormDefinitionError, match=r"khai-tu\.toml: khoá “title” có ký tự điều khiển U\+001B"):
        forms.load_form(bad)


def test_stored_text_is_escaped_when_printed(config_path: Path) -> None:
    """Text stored before the checks (an escape sequence in a value) reaches the terminal escaped."""
    cli = signed_in(config_path, supervisor=True)
    created = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                  *PURPOSE, "--set", "purpose=Kết hôn", "--json")
    code = json.loads(created.stdout)["code"]
    ctx = open_context(config_path)
    try:
        with ctx.store.write() as session:
            session.exec(text("UPDATE dossier SET values_json = replace(values_json, 'Kết hôn', "  # type: ignore[call-overload]
                              "'Kết hôn\\u001b]0;pwned\\u0007\\u001b[2J\\u0085'), applicant_name = "
                              "applicant_name || char(27) || '[31m'"))
    finally:
        ctx.close()
    shown = cli("dossier", "show", code)
    assert shown.returncode == 0, shown.stderr
    assert "Kết hôn\\x1b]0;pwned\\x07\\x1b[2J\\x85" in shown.stdout
    as_json = cli("dossier", "show", code, "--json")
    assert json.loads(as_json.stdout)["values"]["purpose"] == f"Kết hôn{TITLE_ATTACK}{CLEAR_ATTACK}\x85"
    for output in (shown, as_json, cli("dossier", "list"), cli("report", "queue", "--open"),
                   cli("dossier", "find", code[-4:]), cli("audit")):
        assert output.returncode == 0, output.stderr
        assert text_problem(output.stdout, multiline=True) is None, output.stdout
