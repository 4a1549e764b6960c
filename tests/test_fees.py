"""Fee schedules as form data: tiers, caps, per copy and per case, province amounts, exemptions, pinning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from counter.context import open_context
from counter.errors import ConfigError, FormDefinitionError
from counter.fees.amounts import FeeRefused, compute
from counter.law.forms import load_forms, parse_form
from counter.records.dossiers import get_dossier, list_dossiers
from counter.records.views import detail_json
from counter.store.rows import driver
from tests.conftest import MOTHER_PAYLOAD, Cli, write_config
from tests.documents_helpers import birth_values
from tests.fee_helpers import copy_dossier, marital_dossier

FORMS = load_forms()


def _copy_fee(pages: int, copies: int = 1) -> int:
    schedule = FORMS["chung-thuc-ban-sao"].fee_schedule
    assert schedule is not None
    return compute(schedule, {"pages": str(pages), "copies": str(copies)}, {}, "chung-thuc-ban-sao").amount


@pytest.mark.parametrize(("pages", "amount"), [(1, 2_000), (2, 4_000), (3, 5_000), (198, 200_000),
                                               (200, 200_000), (300, 200_000)])
def test_certified_copy_tiers_and_cap(pages: int, amount: int) -> None:
    """2.000 đ for pages 1–2, 1.000 đ from page 3, at most 200.000 đ a copy (Thông tư 226/2016, Điều 4)."""
    assert _copy_fee(pages) == amount
    assert _copy_fee(pages, copies=3) == 3 * amount


def test_lines_show_each_tier_and_the_cap() -> None:
    """The lines say how the sum was reached: each tier of every copy, or the cap per copy."""
    schedule = FORMS["chung-thuc-ban-sao"].fee_schedule
    assert schedule is not None
    tiers = compute(schedule, {"pages": "5", "copies": "2"}, {}, "chung-thuc-ban-sao")
    assert [(line.label, line.quantity, line.unit_amount, line.amount) for line in tiers.lines] == [
        ("Trang 1–2", 4, 2000, 8000), ("Trang 3–5", 6, 1000, 6000)]
    assert tiers.amount == 14_000
    capped = compute(schedule, {"pages": "300", "copies": "2"}, {}, "chung-thuc-ban-sao")
    assert [(line.quantity, line.unit, line.unit_amount) for line in capped.lines] == [(2, "bản", 200_000)]


def test_per_copy_and_per_paper() -> None:
    """An extract copy costs 8.000 đ a copy; a signature certification 10.000 đ a paper."""
    extract, signature = FORMS["trich-luc-ho-tich"].fee_schedule, FORMS["chung-thuc-chu-ky"].fee_schedule
    assert extract is not None and signature is not None
    assert compute(extract, {"copies": "3"}, {}, "trich-luc-ho-tich").amount == 24_000
    assert compute(signature, {"copies": "2"}, {}, "chung-thuc-chu-ky").amount == 20_000


def test_a_province_amount_not_set_is_refused_by_its_key(tmp_path: Path) -> None:
    """A civil-status fee the provincial council sets and counter.toml does not: one sentence naming the
    key, nothing saved (never a silent 0)."""
    config = tmp_path / "bare.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    ctx = open_context(config)
    try:
        with pytest.raises(FeeRefused, match=r'chưa đặt mức lệ phí \[fees\]\."xac-nhan-tinh-trang-hon-nhan"'):
            marital_dossier(ctx)
        with ctx.store.read() as session:
            assert list_dossiers(session) == []
    finally:
        ctx.close()


def test_province_amount_and_exemption_paths(config_path: Path) -> None:
    """The province's amount is charged; a category the fee allows waives it (recorded, with what was
    waived); a category it does not allow, an unknown one, or one on a fee free for everyone is refused."""
    ctx = open_context(config_path)
    try:
        charged = json.loads(marital_dossier(ctx).fee_json)
        assert (charged["amount"], charged["exempt"], charged["exempt_reason"]) == (15_000, False, None)
        waived = json.loads(marital_dossier(ctx, exemption="ho-ngheo").fee_json)
        assert (waived["amount"], waived["exempt"], waived["exemption"], waived["waived"]) == (
            0, True, "ho-ngheo", 15_000)
        assert waived["exempt_reason"] == "Người thuộc hộ nghèo (Luật Hộ tịch 2014, Điều 11)"
        with pytest.raises(FeeRefused, match="không áp dụng miễn cho diện “Người khuyết tật”"):
            copy_dossier(ctx, exemption="khuyet-tat")
        with pytest.raises(FeeRefused, match="Không có diện miễn “sinh-vien”"):
            marital_dossier(ctx, exemption="sinh-vien")
    finally:
        ctx.close()


def test_birth_on_time_is_free_and_late_is_charged(config_path: Path, cli: Cli) -> None:
    """On-time birth registration is exempt for everyone (computed, not picked); registered after 60 days
    it is the late case with the province's fee, as `dossier new --json` shows at once."""
    def new(values: dict[str, str], *extra: str) -> dict[str, object]:
        sets = [f"--set={key}={value}" for key, value in values.items()]
        result = cli("dossier", "new", "--form", "khai-sinh", "--qr", MOTHER_PAYLOAD, "--role", "requester",
                     "--qr", MOTHER_PAYLOAD, "--role", "mother", *sets, *extra, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    ctx = open_context(config_path)
    today = ctx.now()
    ctx.close()
    on_time = new(birth_values(today))["fee"]
    assert on_time == {"amount": 0, "currency": "VND", "name": "Lệ phí đăng ký khai sinh",
                       "basis": "Luật Hộ tịch 2014, Điều 11", "lines": [], "exempt": True,
                       "exempt_reason": "Đăng ký khai sinh đúng hạn được miễn lệ phí", "exemption": None,
                       "waived": 0}
    late_values = {**birth_values(today), "child_birth_date": "2026-01-05"}
    late = new(late_values)
    assert (late["fee"]["amount"], late["fee"]["exempt"]) == (8_000, False)  # type: ignore[index]
    assert new(late_values, "--exempt", "khuyet-tat")["fee"]["waived"] == 8_000  # type: ignore[index]
    refused = cli("dossier", "new", "--form", "khai-sinh", "--qr", MOTHER_PAYLOAD, "--role", "requester",
                  "--qr", MOTHER_PAYLOAD, "--role", "mother",
                  *[f"--set={k}={v}" for k, v in birth_values(today).items()], "--exempt", "ho-ngheo")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "được miễn lệ phí cho mọi người" in refused.stderr


@pytest.mark.parametrize("pages", ["0", "-2", "1.5", "501", "mười"])
def test_bad_page_counts_are_refused(config_path: Path, cli: Cli, pages: str) -> None:
    """Pages that are zero, negative, not whole or over the form's maximum: one sentence, nothing saved."""
    result = cli("dossier", "new", "--form", "chung-thuc-ban-sao", "--qr", MOTHER_PAYLOAD,
                 "--set", "document_name=Học bạ", f"--set=pages={pages}", "--set", "copies=1")
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert "pages" in result.stderr
    assert cli("dossier", "list", "--json").stdout.strip() == "[]"


def test_the_dossier_keeps_the_fee_it_was_received_with(tmp_path: Path) -> None:
    """The fee is computed once, with the form's pinned schedule and the province's amount of the day:
    a later change of [fees] does not change a saved dossier's fee."""
    first = write_config(tmp_path / "c")
    ctx = open_context(first)
    code = marital_dossier(ctx).code
    ctx.close()
    first.write_text(first.read_text(encoding="utf-8").replace("15000", "20000"), encoding="utf-8")
    ctx = open_context(first)
    try:
        with ctx.store.read() as session:
            assert detail_json(driver(session), get_dossier(session, code))["fee"]["amount"] == 15_000
        assert json.loads(marital_dossier(ctx).fee_json)["amount"] == 20_000
    finally:
        ctx.close()


BASE_FORM = {"id": "phi", "title": "T", "procedure": "P", "form_code": "F", "legal_basis": "L", "addressee": "A",
             "processing_days": 0, "cutoff_applies": False, "documents": [], "roles": [],
             "fields": [{"id": "copies", "label": "Số bản", "type": "integer", "required": True, "min": 1}]}


@pytest.mark.parametrize(("fee", "problem"), [
    ({"text": "t", "name": "n", "basis": "b", "amount": 1000, "colour": "red"}, "khoá không được hỗ trợ “fee.colour”"),
    ({"text": "t", "name": "n", "basis": "b", "amount": 1000.5}, "fee.amount phải là số nguyên"),
    ({"text": "t", "name": "n", "basis": "b", "amount": "1000"}, "fee.amount phải là số nguyên"),
    ({"text": "t", "name": "n", "basis": "b", "per": "copy", "amount": 1, "copies": "pages"},
     "fee.copies phải là id của một trường kiểu integer"),
    ({"text": "t", "name": "n", "basis": "b", "per": "page", "tiers": [{"from_page": 2, "amount": 1}],
      "pages": "copies", "copies": "copies"}, "fee.tiers phải bắt đầu từ trang 1"),
    ({"text": "t", "name": "n", "basis": "b", "exemptions": ["sinh-vien"]}, "diện miễn “sinh-vien” không có"),
])
def test_bad_fee_tables_are_refused(fee: dict[str, object], problem: str) -> None:
    """A fee table with an unknown key, a non-integer amount or a bad reference: refused with its file."""
    with pytest.raises(FormDefinitionError, match=problem):
        parse_form({**BASE_FORM, "fee": fee}, "phi.toml")


def test_unknown_fee_keys_and_amounts_in_config_are_refused(tmp_path: Path) -> None:
    """A [fees] key that names no province-set fee, or an amount that is not whole đồng: refused at start."""
    typo = write_config(tmp_path / "a")
    typo.write_text(typo.read_text(encoding="utf-8").replace('"nhan-cha-me-con"', '"nhan-cha-me"'),
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r'\[fees\]\."nhan-cha-me" không ứng với lệ phí nào'):
        open_context(typo)
    fraction = write_config(tmp_path / "b")
    fraction.write_text(fraction.read_text(encoding="utf-8").replace("= 10000", "= 10000.5"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[fees\]\.nhan-cha-me-con không hợp lệ"):
        open_context(fraction)
