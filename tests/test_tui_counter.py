"""The clerk's main path through the real app: scan, prefilled form, save, receipt, database."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from textual.widgets import Input

from counter.context import open_context
from counter.store.models import AuditEntry, Dossier
from counter.tui.form.address import AddressRow
from counter.tui.form.field import FieldRow
from counter.tui.form.screen import FormScreen
from counter.tui.home.screen import HomeScreen
from counter.tui.receipt.screen import ReceiptScreen
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.tui_helpers import make_app, ready, scan, screen_text, settle, type_slowly


def field_value(app: object, field_id: str) -> str:
    """The value a form field shows."""
    return app.screen.query_one(f"#row-{field_id}", FieldRow).value  # type: ignore[attr-defined]


async def set_field(pilot: object, field_id: str, value: str) -> None:
    """Put a value into a form field as the clerk's edit (through the Input's change event)."""
    pilot.app.screen.query_one(f"#f-{field_id}", Input).value = value  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]


async def open_procedure(pilot: object, query: str) -> None:
    """Search the procedure list on the home screen and open the first match."""
    search = pilot.app.screen.query_one("#procedure-search", Input)  # type: ignore[attr-defined]
    search.value = query
    search.focus()
    await pilot.pause()  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_scan_fill_save_receipt(config_path: Path) -> None:
    """Keystrokes of a scan → card and prefilled form → complete, save → receipt → dossier stored."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, MOTHER_PAYLOAD)
        text = screen_text(pilot)
        assert "NGUYỄN THỊ MAI ANH" in text
        assert "001******456" in text and "02/11/2005" in text and "Nữ" in text
        assert "001305000456" not in text
        await open_procedure(pilot, "ket hon")
        assert isinstance(app.screen, FormScreen)
        assert field_value(app, "bride_name") == "Nguyễn Thị Mai Anh"
        assert field_value(app, "bride_birth_date") == "02/11/2005"
        assert app.screen.query_one("#row-bride_name").has_class("-from-card")
        await scan(pilot, VALID_PAYLOAD, enter=True)
        assert field_value(app, "groom_name") == "Trần Văn Bình"
        assert field_value(app, "bride_name") == "Nguyễn Thị Mai Anh"
        app.screen.query_one("#f-bride_ethnicity", Input).focus()
        await type_slowly(pilot, "Kinh")
        for field_id, value in [("bride_nationality", "Việt Nam"), ("bride_marriage_count", "1"),
                                ("groom_ethnicity", "Kinh"), ("groom_nationality", "Việt Nam"),
                                ("groom_marriage_count", "1")]:
            await set_field(pilot, field_id, value)
        app.screen.query_one("#row-bride_residence", AddressRow).focus_input()
        await pilot.press("f8")  # Ngọc Hà (Ba Đình) was split: the clerk settles the bride's address first
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen)
        receipt = screen_text(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen) and app.screen.person is None
        assert "Chưa có công dân" in screen_text(pilot)
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            dossier = session.exec(select(Dossier)).one()
            audits = session.exec(select(AuditEntry)).all()
    finally:
        ctx.close()
    assert dossier.code in receipt
    assert f"{dossier.due_at:%H:%M ngày %d/%m/%Y}" in receipt
    assert "Đăng ký kết hôn" in receipt and "Tờ khai đăng ký kết hôn (cả hai bên ký)" in receipt
    assert dossier.form_id == "ket-hon" and dossier.clerk == "Lê Thị Hoa"
    assert '"bride_ethnicity": "Kinh"' in dossier.values_json
    assert '"groom_birth_date": "1990-04-15"' in dossier.values_json
    assert {a.action for a in audits} >= {"create", "view"}
    assert all("001305000456" not in a.subject_ref for a in audits)
