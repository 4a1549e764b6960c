"""The law in the app: a rule's sentence beside the field at once, documents ticked, corrections on the dossier."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select
from textual.widgets import Checkbox, Input, Select, Static

from counter.context import open_context
from counter.records.dossiers import get_dossier
from counter.services import notices
from counter.store.models import Dossier, DossierEvent
from counter.tui.dossier.correct import CorrectDialog
from counter.tui.dossier.screen import DossierScreen
from counter.tui.form.field import FieldRow
from counter.tui.form.screen import FormScreen
from counter.tui.receipt.screen import ReceiptScreen
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.documents_helpers import birth_dossier
from tests.test_tui_counter import open_procedure, set_field
from tests.tui_helpers import make_app, ready, scan, screen_text, settle

SIZE = (120, 40)


def years_ago(years: int, days: int = 0) -> date:
    """The date `years` before today (29 February falls back to the 28th), moved by `days`: ages on any day."""
    today = date.today()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:
        then = today.replace(year=today.year - years, day=28)
    return then + timedelta(days=days)


def shown_error(app: object, field_id: str) -> str:
    """The reason shown under a form field ("" when none)."""
    row = app.screen.query_one(f"#row-{field_id}", FieldRow)  # type: ignore[attr-defined]
    return str(row.query_one(".field-error").render())


async def test_rule_sentence_appears_while_scanning_and_typing(config_path: Path) -> None:
    """A man scanned as the bride: the sentence is beside her name at once, before any save; a birth date
    typed that makes her 16 shows the age rule at once; fixing it clears it; the save is refused meanwhile."""
    app = make_app(config_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "ket hon")
        assert isinstance(app.screen, FormScreen)
        assert shown_error(app, "bride_name") == ("Bên nữ Trần Văn Bình có giới tính Nam; người ở vai trò “Bên nữ” "
                                                  "phải là Nữ (Luật Hôn nhân và gia đình 2014, Điều 8: không thừa "
                                                  "nhận hôn nhân cùng giới tính).")
        await scan(pilot, MOTHER_PAYLOAD, enter=True)
        app.screen.query_one("#role-select", Select).value = "bride"
        await settle(pilot)
        assert shown_error(app, "bride_name") == "" and shown_error(app, "groom_name") == ""
        await set_field(pilot, "bride_birth_date", years_ago(16, days=-30).strftime("%d/%m/%Y"))
        assert "mới 16 tuổi; bên nữ phải từ đủ 18 tuổi" in shown_error(app, "bride_birth_date")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        await set_field(pilot, "bride_birth_date", years_ago(18).strftime("%d/%m/%Y"))
        assert shown_error(app, "bride_birth_date") == ""


async def test_ticked_documents_and_phone_reach_the_receipt(config_path: Path) -> None:
    """Optional documents start unticked; what the clerk ticks and the phone typed are on the receipt."""
    app = make_app(config_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "xac nhan tinh trang hon nhan")
        boxes = {str(b.label): b for b in app.screen.query(Checkbox)}
        required = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân"
        optional = "Giấy tờ chứng minh tình trạng hôn nhân (nếu đã ly hôn hoặc vợ/chồng đã chết)"
        assert boxes[required].value and not boxes[optional].value
        boxes[optional].value = True
        app.screen.query_one("#hand-in-phone", Input).value = "0912345678"
        for field_id, value in [("subject_ethnicity", "Kinh"), ("subject_nationality", "Việt Nam"),
                                ("marital_status", "Chưa đăng ký kết hôn"), ("purpose", "Để đăng ký kết hôn")]:
            widget = app.screen.query_one(f"#f-{field_id}")
            widget.value = value  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen), screen_text(pilot)
        text = screen_text(pilot)
        assert "0912345678" in text and optional[:40] in text and required in text


async def test_consent_to_notices_on_the_form(config_path: Path) -> None:
    """Ticking the citizen's consent asks for a Vietnamese mobile number (one sentence under the phone, F2 saves
    nothing); with one, the saved dossier has its `received` notice waiting for the hub."""
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "xac nhan tinh trang hon nhan")
        for field_id, value in [("subject_ethnicity", "Kinh"), ("subject_nationality", "Việt Nam"),
                                ("marital_status", "Chưa đăng ký kết hôn"), ("purpose", "Để đăng ký kết hôn")]:
            app.screen.query_one(f"#f-{field_id}").value = value  # type: ignore[attr-defined]
        app.screen.query_one("#hand-in-phone", Input).value = "0241234567"
        app.screen.query_one("#hand-in-consent", Checkbox).value = True
        await settle(pilot)
        error = str(app.screen.query_one("#hand-in-error", Static).render())
        assert error == ("Số điện thoại nhận thông báo phải là số di động Việt Nam: 10 chữ số, "
                         "bắt đầu 03, 05, 07, 08 hoặc 09.")
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#hand-in-phone", Input).value = "0912345678"
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen), screen_text(pilot)
    ctx = open_context(config_path)
    try:
        found = notices.notices(ctx, "Nguyễn Thị Lan")
    finally:
        ctx.close()
    assert [(n.kind, n.state, n.phone) for n in found] == [("received", "pending", "091****678")]


async def test_correct_from_the_dossier_screen(config_path: Path) -> None:
    """Ctrl+E on a dossier: choose the field, type the new value and the reason; the history shows old → new."""
    ctx = open_context(config_path)
    try:
        code = birth_dossier(ctx, MOTHER_PAYLOAD).code
    finally:
        ctx.close()
    app = make_app(config_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.push_screen(DossierScreen(code))
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert isinstance(app.screen, CorrectDialog)
        app.screen.query_one("#lc-field", Select).value = "child_name"
        await settle(pilot)
        assert "Đang ghi: Trần Minh Khôi" in screen_text(pilot)
        app.screen.query_one("#lc-value", Input).value = "Trần Minh Khang"
        reason = app.screen.query_one("#lc-reason", Input)
        reason.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "Cần ghi lý do" in screen_text(pilot)
        reason.value = "Gõ sai tên"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        text = str(app.screen.query_one("#dossier-text", Static).render())
        assert "Trần Minh Khôi → Trần Minh Khang" in text and "Lý do: Gõ sai tên" in text
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            dossier: Dossier = get_dossier(session, code)
            kinds = [e.type for e in session.exec(select(DossierEvent).where(DossierEvent.dossier_code == code))]
    finally:
        ctx.close()
    assert '"child_name": "Trần Minh Khang"' in dossier.values_json and kinds.count("field_corrected") == 1
