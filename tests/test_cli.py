"""The installed `counter` command: qr, forms, dossier and demo subcommands."""

from __future__ import annotations

import json
import re
from pathlib import Path

from PIL import Image

from counter.qr.qrdraw import qr_image
from tests.conftest import FATHER_PAYLOAD, VALID_PAYLOAD, Cli, run_cli

IDENTITY_KEYS = {"id_number", "old_id_number", "full_name", "birth_date", "issue_date", "sex", "address",
                 "card_kind", "extra", "warnings"}


def test_qr_parse_argument_and_stdin() -> None:
    """One JSON object with exactly the documented keys, from an argument or stdin."""
    result = run_cli("qr", "parse", VALID_PAYLOAD)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == IDENTITY_KEYS
    assert data["full_name"] == "Trần Văn Bình" and data["birth_date"] == "1990-04-15"
    from_stdin = run_cli("qr", "parse", stdin=FATHER_PAYLOAD + "\r\n")
    assert json.loads(from_stdin.stdout)["extra"] == ["", "", "", ""]


def test_qr_parse_refusal_is_one_line_on_stderr() -> None:
    """A refused payload: exit 1, nothing on stdout, one line on stderr naming the field."""
    result = run_cli("qr", "parse", VALID_PAYLOAD.replace("15041990", "31021990"))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Ngày sinh" in result.stderr


def test_qr_decode_images(tmp_path: Path) -> None:
    """Real QR images decoded by zbar: identity for an ID card, an error line for others, exit 1."""
    card = tmp_path / "card.png"
    qr_image(VALID_PAYLOAD).save(card)
    url = tmp_path / "url.png"
    qr_image("https://dichvucong.gov.vn/").save(url)
    blank = tmp_path / "blank.png"
    Image.new("L", (200, 200), 255).save(blank)
    result = run_cli("qr", "decode", str(card))
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stdout)
    assert line["payload"] == VALID_PAYLOAD and line["identity"]["full_name"] == "Trần Văn Bình"
    result = run_cli("qr", "decode", str(card), str(url), str(blank), str(tmp_path / "missing.png"))
    assert result.returncode == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [("identity" in x, "error" in x) for x in lines] == [(True, False), (False, True), (False, True),
                                                               (False, True)]
    assert "URL" in lines[1]["error"]


def test_forms_list_json() -> None:
    """Every form with id, title and processing time."""
    result = run_cli("forms", "list", "--json")
    forms = {f["id"]: f for f in json.loads(result.stdout)}
    assert forms["xac-nhan-tinh-trang-hon-nhan"]["processing_days"] == 3
    assert forms["khai-sinh"]["title"] == "Tờ khai đăng ký khai sinh"
    assert run_cli("forms", "show", "ket-hon").stdout.startswith("Tờ khai đăng ký kết hôn")
    assert run_cli("forms", "show", "nope").returncode == 1


def test_dossier_new_show_list(cli: Cli) -> None:
    """A dossier from a scan and --set values, shown and listed; a refused one writes nothing."""
    refused = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD, "--json")
    assert refused.returncode == 1 and refused.stdout == ""
    assert "purpose): bắt buộc nhập" in refused.stderr
    created = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
                  "--set", "subject_ethnicity=Kinh", "--set", "subject_nationality=Việt Nam",
                  "--set", "marital_status=Chưa đăng ký kết hôn", "--set", "purpose=Kết hôn", "--json")
    assert created.returncode == 0, created.stderr
    dossier = json.loads(created.stdout)
    assert {"code", "form", "status", "received_at", "due_at"} <= set(dossier)
    assert dossier["code"].startswith("000.00.36.H40-") and dossier["status"] == "received"
    shown_text = cli("dossier", "show", dossier["code"], "--json").stdout
    shown = json.loads(shown_text)
    assert shown["people"]["subject"]["id_number"] == "036******123"
    # The card's number is also written into the form's text fields; the view masks it there too.
    assert VALID_PAYLOAD.split("|")[0] not in shown_text and "036******123," in json.dumps(shown["values"],
                                                                                          ensure_ascii=False)
    listed = json.loads(cli("dossier", "list", "--json").stdout)
    assert [d["code"] for d in listed] == [dossier["code"]]
    assert cli("dossier", "show", "000-000000-9999").returncode == 1


def test_two_scans_fill_two_roles(cli: Cli) -> None:
    """Bride then groom: each scan fills its own column of the marriage form."""
    bride = "001305000456||Nguyễn Thị Mai Anh|02112005|Nữ|Hà Nội|10082021"
    created = cli("dossier", "new", "--form", "ket-hon", "--qr", bride, "--qr", FATHER_PAYLOAD,
                  *[arg for pair in ("bride_ethnicity=Kinh", "bride_nationality=Việt Nam",
                                     "bride_marriage_count=1", "groom_ethnicity=Kinh",
                                     "groom_nationality=Việt Nam", "groom_marriage_count=1")
                    for arg in ("--set", pair)], "--json")
    assert created.returncode == 0, created.stderr
    data = json.loads(created.stdout)
    assert data["values"]["bride_name"] == "Nguyễn Thị Mai Anh"
    assert data["values"]["groom_name"] == "Phạm Quốc Huy"


def test_demo_fills_a_working_counter(config_path: Path) -> None:
    """`counter demo` on an empty data directory creates its accounts (PINs printed once) and the asked number
    of valid dossiers over several days; once accounts exist, it needs a supervisor."""
    result = run_cli("demo", "--dossiers", "40", "--days", "5", config=config_path)
    assert result.returncode == 0, result.stderr
    accounts = re.findall(r"^  (.+?) {2,}(Lãnh đạo / giám sát|Cán bộ tiếp nhận) +PIN (\d{6})$", result.stdout,
                          re.MULTILINE)
    assert [role for _, role, _ in accounts] == ["Lãnh đạo / giám sát", "Cán bộ tiếp nhận", "Cán bộ tiếp nhận"]
    again = run_cli("demo", "--dossiers", "1", config=config_path)
    assert again.returncode == 1 and "counter login" in again.stderr
    cli = Cli(config_path).login(accounts[1][0].strip(), accounts[1][2])
    refused = cli("demo", "--dossiers", "1")
    assert refused.returncode == 1 and "giám sát" in refused.stderr
    listed = json.loads(cli("dossier", "list", "--json").stdout)
    assert len(listed) == 40
    assert len({d["received_at"][:10] for d in listed}) >= 4
    assert len({d["form"] for d in listed}) >= 4
    assert len({d["status"] for d in listed}) >= 3


def test_bad_config_is_one_line(tmp_path: Path) -> None:
    """A bad configuration stops the command with the file and key named."""
    bad = tmp_path / "bad.toml"
    bad.write_text("[counter]\nid = ''\n", encoding="utf-8")
    result = run_cli("dossier", "list", config=bad)
    assert result.returncode == 1 and "[counter].id" in result.stderr and "bad.toml" in result.stderr
