"""--out FILE on the commands that write JSON, CSV or XLSX: UTF-8 whatever the shell (PowerShell 5.1's `>`
re-encodes as UTF-16), CSV with a BOM for Excel, the file written whole or not at all."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from counter.cli import main
from tests.conftest import VALID_PAYLOAD, Cli


def new_dossier(cli: Cli) -> str:
    """One dossier made through the CLI; its code."""
    made = cli("dossier", "new", "--form", "xac-nhan-tinh-trang-hon-nhan", "--qr", VALID_PAYLOAD,
               "--set", "subject_ethnicity=Kinh", "--set", "subject_nationality=Việt Nam",
               "--set", "marital_status=Chưa đăng ký kết hôn", "--set", "purpose=Kết hôn", "--json")
    assert made.returncode == 0, made.stderr
    code: str = json.loads(made.stdout)["code"]
    return code


def test_json_goes_to_the_file_in_utf8_without_bom(cli: Cli, tmp_path: Path) -> None:
    """The file holds what the screen would have shown; the screen shows nothing."""
    code = new_dossier(cli)
    out = tmp_path / "hồ sơ.json"
    written = cli("dossier", "list", "--json", "--out", str(out))
    assert written.returncode == 0 and written.stdout == "", written.stderr
    data = out.read_bytes()
    assert not data.startswith(codecs.BOM_UTF8)
    assert [row["code"] for row in json.loads(data.decode("utf-8"))] == [code]
    assert data.decode("utf-8") == cli("dossier", "list", "--json").stdout
    shown = tmp_path / "một hồ sơ.json"
    assert cli("dossier", "show", code, "--json", "--out", str(shown)).returncode == 0
    assert json.loads(shown.read_text(encoding="utf-8"))["applicant"] == "Trần Văn Bình"


def test_csv_gets_a_bom_and_xlsx_a_workbook(supervisor_cli: Cli, tmp_path: Path) -> None:
    """report --csv --out: BOM then the CSV; report monthly --out FILE.xlsx: an Excel workbook and one line
    on the screen saying where it went."""
    new_dossier(supervisor_cli)
    csv_file = tmp_path / "bao-cao.csv"
    assert supervisor_cli("report", "daily", "--csv", "--out", str(csv_file)).returncode == 0
    data = csv_file.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[len(codecs.BOM_UTF8):].decode("utf-8") == supervisor_cli("report", "daily", "--csv").stdout
    book = tmp_path / "thang.xlsx"
    made = supervisor_cli("report", "monthly", "--out", str(book))
    assert made.returncode == 0 and str(book) in made.stdout, made.stderr
    assert load_workbook(book).active is not None


def test_the_citizen_side_and_fee_reports_take_out_too(supervisor_cli: Cli, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    """report waiting, satisfaction and fees --out: CSV with one BOM (never two), JSON without, satisfaction and
    fees also as a workbook; run in process through the CLI's own entry point."""

    def run(*args: str) -> str:
        status = main(["--config", str(supervisor_cli.config), *args])
        out, err = capsys.readouterr()
        assert status == 0, err
        return out

    new_dossier(supervisor_cli)
    for report in ("waiting", "satisfaction", "fees"):
        on_screen = run("report", report, "--csv")
        csv_file = tmp_path / f"{report}.csv"
        assert run("report", report, "--csv", "--out", str(csv_file)) == ""
        data = csv_file.read_bytes()
        assert data.startswith(codecs.BOM_UTF8) and not data[3:].startswith(codecs.BOM_UTF8), report
        assert data.decode("utf-8-sig") == on_screen.removeprefix("\ufeff"), report
        json_file = tmp_path / f"{report}.json"
        run("report", report, "--json", "--out", str(json_file))
        assert json.loads(json_file.read_text(encoding="utf-8")) == json.loads(run("report", report, "--json"))
    for report in ("satisfaction", "fees"):
        book = tmp_path / f"{report}.xlsx"
        assert str(book) in run("report", report, "--out", str(book))
        assert load_workbook(book).active is not None


def test_refusals_write_no_file(cli: Cli, tmp_path: Path) -> None:
    """A failing command leaves no file; .xlsx where only JSON is made, or a folder that does not exist:
    one sentence, exit 1."""
    missing = tmp_path / "none.json"
    failed = cli("dossier", "show", "000-000000-9999", "--json", "--out", str(missing))
    assert failed.returncode == 1 and not missing.exists()
    wrong = cli("dossier", "list", "--json", "--out", str(tmp_path / "x.xlsx"))
    assert wrong.returncode == 1 and "không ghi được tệp Excel" in wrong.stderr
    assert len(wrong.stderr.splitlines()) == 1 and not (tmp_path / "x.xlsx").exists()
    nowhere = cli("dossier", "list", "--json", "--out", str(tmp_path / "no-such-folder" / "x.json"))
    assert nowhere.returncode == 1 and "Không ghi được tệp" in nowhere.stderr
    assert len(nowhere.stderr.splitlines()) == 1
