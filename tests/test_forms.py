"""Form definitions: every shipped form loads, malformed files are refused by name, values validate."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from counter.citizens.identity import parse
from counter.config import BUNDLED_FORMS_DIR, load_config
from counter.errors import FormDefinitionError
from counter.law.forms import field_error, load_forms, prefill, search, validate
from tests.conftest import FATHER_PAYLOAD, MOTHER_PAYLOAD, write_config

TODAY = date(2026, 11, 24)
EXPECTED_FORMS = {"khai-sinh", "khai-tu", "ket-hon", "xac-nhan-tinh-trang-hon-nhan", "thay-doi-cu-tru",
                  "chung-thuc-ban-sao", "nhan-cha-me-con", "trich-luc-ho-tich", "chung-thuc-chu-ky"}


@pytest.fixture(scope="module")
def forms() -> dict:
    return load_forms(BUNDLED_FORMS_DIR)


def test_all_standard_forms_load(forms: dict) -> None:
    """The nine standard forms are there, each with roles, fields, documents and a legal basis."""
    assert set(forms) == EXPECTED_FORMS
    for form in forms.values():
        assert form.roles and form.fields and form.documents and form.legal_basis
        assert form.scan_roles, f"{form.id} has no role a scan can fill"


def test_search_ignores_diacritics(forms: dict) -> None:
    """“ket hon” finds Đăng ký kết hôn; “dang ky khai tu” finds khai tử."""
    assert [f.id for f in search(forms, "ket hon")] == ["ket-hon"]
    assert [f.id for f in search(forms, "DANG KY KHAI TU")] == ["khai-tu"]
    assert [f.id for f in search(forms, "tình trạng")] == ["xac-nhan-tinh-trang-hon-nhan"]


def test_prefill_by_role(forms: dict) -> None:
    """A scan fills the fields of the role it is assigned to, and only those."""
    form = forms["khai-sinh"]
    mother = parse(MOTHER_PAYLOAD, TODAY)
    values = prefill(form, "mother", mother)
    assert values == {"mother_name": "Nguyễn Thị Mai Anh", "mother_birth_year": "2005",
                      "mother_residence": mother.address}
    groom = parse(FATHER_PAYLOAD, TODAY)
    marriage = prefill(forms["ket-hon"], "groom", groom)
    assert marriage["groom_birth_date"] == "1988-09-09"
    assert marriage["groom_id_document"] == "Thẻ căn cước số 048088000321, cấp ngày 05/09/2025"


def test_validation_reasons(forms: dict) -> None:
    """Missing required fields, bad choices and future dates each get a reason."""
    form = forms["khai-sinh"]
    errors = validate(form, {"child_sex": "Khác", "child_birth_date": "01/01/2030", "nonsense": "x"}, TODAY)
    assert errors["requester_name"] == "Bắt buộc nhập."
    assert errors["child_sex"].startswith("Chọn một trong")
    assert errors["child_birth_date"] == "Ngày không được ở trong tương lai."
    assert "nonsense" in errors
    assert field_error(form.field("child_birth_date"), "31/02/2026", TODAY) is not None
    assert field_error(form.field("child_birth_date"), "05/09/2026", TODAY) is None
    assert field_error(form.field("copies"), "99", TODAY) == "Phải nằm trong khoảng 0–20."


def _write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")
    return directory


VALID_FORM = """
id = "mau"
title = "Tờ khai mẫu"
procedure = "Thủ tục mẫu"
form_code = "Mẫu 01"
legal_basis = "Luật mẫu"
addressee = "UBND xã"
processing_days = 2
cutoff_applies = false
fee = "Miễn phí"
documents = ["Tờ khai"]

[[roles]]
id = "requester"
label = "Người yêu cầu"

[[fields]]
id = "requester_name"
role = "requester"
label = "Họ tên"
type = "text"
required = true
prefill = "full_name"
"""


def test_adding_a_form_is_adding_a_file(tmp_path: Path) -> None:
    """A new TOML file is a new form."""
    forms = load_forms(_write(tmp_path / "forms", "mau.toml", VALID_FORM))
    assert forms["mau"].processing_label == "2 ngày làm việc"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (('type = "text"', 'type = "colour"'), "kiểu “colour”"),
        (('prefill = "full_name"', 'prefill = "shoe_size"'), "prefill “shoe_size”"),
        (('role = "requester"', 'role = "ghost"'), "vai trò “ghost”"),
        (('processing_days = 2', 'processing_days = "two"'), "processing_days"),
        (('id = "mau"', 'id = "other"'), "phải trùng tên tệp"),
        (('fee = "Miễn phí"', 'fee = "Miễn phí"\nsurprise = 1'), "surprise"),
        (('documents = ["Tờ khai"]', ''), "documents"),
    ],
)
def test_malformed_forms_are_refused_with_file_and_problem(tmp_path: Path, change: tuple[str, str],
                                                          problem: str) -> None:
    """A broken form file stops loading with its name and what is wrong."""
    directory = _write(tmp_path / "forms", "mau.toml", VALID_FORM.replace(*change))
    with pytest.raises(FormDefinitionError) as caught:
        load_forms(directory)
    assert caught.value.message.startswith("mau.toml:")
    assert problem in caught.value.message


def test_toml_syntax_error_is_refused(tmp_path: Path) -> None:
    """Not even TOML: refused with the file name."""
    with pytest.raises(FormDefinitionError, match=r"mau\.toml"):
        load_forms(_write(tmp_path / "forms", "mau.toml", "id = \n"))


def test_forms_dir_adds_and_replaces_shipped_forms(tmp_path: Path) -> None:
    """[storage].forms_dir adds a new form and replaces a shipped one with the same id."""
    local = tmp_path / "forms"
    local.mkdir()
    shipped = (BUNDLED_FORMS_DIR / "khai-tu.toml").read_text(encoding="utf-8")
    (local / "khai-tu.toml").write_text(shipped.replace('title = "Tờ khai đăng ký khai tử"',
                                                       'title = "Tờ khai khai tử (mẫu của xã)"'), encoding="utf-8")
    (local / "khai-tu-2.toml").write_text(shipped.replace('id = "khai-tu"', 'id = "khai-tu-2"'), encoding="utf-8")
    config = write_config(tmp_path / "c", extra="")
    config.write_text(config.read_text(encoding="utf-8").replace("[storage]", f'[storage]\nforms_dir = "{local}"'),
                      encoding="utf-8")
    forms = load_forms(load_config(config).storage.forms_dir)
    assert set(forms) == EXPECTED_FORMS | {"khai-tu-2"}
    assert forms["khai-tu"].title == "Tờ khai khai tử (mẫu của xã)"
    assert forms["khai-sinh"].title == load_forms()["khai-sinh"].title
    with pytest.raises(FormDefinitionError, match="không tìm thấy thư mục"):
        load_forms(tmp_path / "missing")
