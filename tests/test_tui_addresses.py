"""Addresses on the form, driven through the real app: exact, a split ward chosen, an unknown one picked."""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select
from textual.widgets import Input, Label, OptionList

from counter.context import open_context
from counter.store.models import Dossier
from counter.tui.form.address import AddressRow
from counter.tui.form.address_picker import AddressPicker
from counter.tui.form.screen import FormScreen
from counter.tui.receipt.screen import ReceiptScreen
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.tui_helpers import make_app, ready, scan, settle

UNKNOWN_PAYLOAD = "025090004321||Đỗ Văn Tư|01021990|Nam|Thôn Hạ, Xã Không Có, Huyện Ảo, Tỉnh Phú Thọ|01012021"
FIELD = "subject_residence"


async def open_status_form(pilot: object, payload: str) -> None:
    """Scan a card and open the marital-status confirmation form, with its other required fields filled."""
    await ready(pilot)  # type: ignore[arg-type]
    await scan(pilot, payload)  # type: ignore[arg-type]
    app = pilot.app  # type: ignore[attr-defined]
    search = app.screen.query_one("#procedure-search", Input)
    search.value = "xac nhan tinh trang hon nhan"
    search.focus()
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, FormScreen)
    for field_id, value in [("subject_ethnicity", "Kinh"), ("subject_nationality", "Việt Nam"),
                            ("purpose", "Để đăng ký kết hôn")]:
        app.screen.query_one(f"#f-{field_id}", Input).value = value
        await pilot.pause()  # type: ignore[attr-defined]
    from textual.widgets import Select

    app.screen.query_one("#f-marital_status", Select).value = "Chưa đăng ký kết hôn"
    await settle(pilot)  # type: ignore[arg-type]


def row(app: object) -> AddressRow:
    return app.screen.query_one(f"#row-{FIELD}", AddressRow)  # type: ignore[attr-defined,no-any-return]


def note(app: object) -> str:
    """The line under the address field."""
    return str(row(app).query_one(".address-note", Label).render())


def stored(config_path: Path) -> tuple[dict[str, str], dict[str, dict[str, object]]]:
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            dossier = session.exec(select(Dossier)).one()
            return json.loads(dossier.values_json), json.loads(dossier.addresses_json)
    finally:
        ctx.close()


async def save(pilot: object) -> None:
    await pilot.press("f2")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_an_exact_card_address_shows_todays_line_with_the_card_beneath(config_path: Path) -> None:
    """Hải Minh (Hải Hậu, Nam Định) → "Xóm 3, Xã Hải Anh, Tỉnh Ninh Bình", marked "địa chỉ mới"."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_status_form(pilot, VALID_PAYLOAD)
        assert row(app).value == "Xóm 3, Xã Hải Anh, Tỉnh Ninh Bình"
        assert str(row(app).query_one(".card-mark", Label).render()) == "địa chỉ mới"
        assert row(app).has_class("-from-card")
        assert note(app) == "Trên thẻ: Xóm 3, Xã Hải Minh, Huyện Hải Hậu, Tỉnh Nam Định"
        await save(pilot)
        assert isinstance(app.screen, ReceiptScreen)
    values, structured = stored(config_path)
    assert values[FIELD] == "Xóm 3, Xã Hải Anh, Tỉnh Ninh Bình"
    assert structured[FIELD]["state"] == "resolved" and structured[FIELD]["ward_code"] == 14236


async def test_a_split_ward_stops_the_save_until_the_clerk_chooses(config_path: Path) -> None:
    """Ngọc Hà (Ba Đình) went to two wards: the save is refused, F8 lists both, typing filters, Enter chooses."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_status_form(pilot, MOTHER_PAYLOAD)
        assert "nhấn F8 để chọn" in note(app) and row(app).has_class("-unsettled")
        await save(pilot)
        assert isinstance(app.screen, FormScreen)
        assert "hãy chọn xã/phường" in str(row(app).query_one(".field-error", Label).render())
        row(app).focus_input()
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, AddressPicker)
        options = app.screen.query_one("#address-options", OptionList)
        assert options.option_count == 3  # two candidates and "keep the card's text"
        await pilot.press("n", "g", "o", "c")
        await settle(pilot)
        assert options.option_count == 2
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        assert row(app).value.endswith(", Phường Ngọc Hà, Thành phố Hà Nội")
        assert note(app).startswith("Trên thẻ: Số 12 ngõ 45")
        await save(pilot)
        assert isinstance(app.screen, ReceiptScreen)
    values, structured = stored(config_path)
    assert values[FIELD] == "Số 12 ngõ 45 phố Hoàng Hoa Thám, Phường Ngọc Hà, Thành phố Hà Nội"
    assert structured[FIELD]["state"] == "resolved" and structured[FIELD]["ward_code"] == 8


async def test_an_unknown_address_is_settled_with_the_search_picker(config_path: Path) -> None:
    """No such commune in the table: F8 searches every current ward by name without diacritics."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_status_form(pilot, UNKNOWN_PAYLOAD)
        assert "nhấn F8 để tìm" in note(app)
        row(app).focus_input()
        await pilot.press("f8")
        await settle(pilot)
        assert isinstance(app.screen, AddressPicker)
        for char in "lam thao phu tho":
            await pilot.press(char if char != " " else "space")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert row(app).value == "Thôn Hạ, Xã Lâm Thao, Tỉnh Phú Thọ"
        await save(pilot)
        assert isinstance(app.screen, ReceiptScreen)
    values, structured = stored(config_path)
    assert values[FIELD] == "Thôn Hạ, Xã Lâm Thao, Tỉnh Phú Thọ"
    assert structured[FIELD]["ward_code"] == 8494
    assert structured[FIELD]["original"] == "Thôn Hạ, Xã Không Có, Huyện Ảo, Tỉnh Phú Thọ"


async def test_the_clerk_may_keep_the_card_text_and_it_is_recorded(config_path: Path) -> None:
    """F6 in the picker keeps the card's text; the dossier records that choice."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_status_form(pilot, UNKNOWN_PAYLOAD)
        row(app).focus_input()
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert "Giữ nguyên địa chỉ trên thẻ" in note(app)
        await save(pilot)
        assert isinstance(app.screen, ReceiptScreen)
    values, structured = stored(config_path)
    assert values[FIELD] == "Thôn Hạ, Xã Không Có, Huyện Ảo, Tỉnh Phú Thọ"
    assert structured[FIELD]["state"] == "card_text"
