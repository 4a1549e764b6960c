"""The fee in the app: the amount beside the fee line, recomputed while typing; F6 picks an exemption."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlmodel import select
from textual.widgets import Label, Select, Static

from counter.context import open_context
from counter.store.models import Dossier
from counter.tui.form.screen import FormScreen
from tests.conftest import MOTHER_PAYLOAD, VALID_PAYLOAD
from tests.test_tui_counter import open_procedure, set_field
from tests.tui_helpers import make_app, ready, scan, settle


def fee_line(app: object) -> str:
    """What the fee line of the form says now."""
    return str(app.screen.query_one("#form-fee", Label).render())  # type: ignore[attr-defined]


async def test_amount_follows_pages_and_copies(config_path: Path) -> None:
    """A certified copy: the tariff until pages and copies are typed, then the amount, the cap at 300
    pages; F6 on a certification fee says it has no exemption."""
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "chung thuc ban sao")
        assert isinstance(app.screen, FormScreen)
        assert "2.000 đ/trang" in fee_line(app)
        await set_field(pilot, "pages", "5")
        await set_field(pilot, "copies", "2")
        assert "14.000 đ" in fee_line(app)
        await set_field(pilot, "pages", "300")
        assert "400.000 đ" in fee_line(app)
        await pilot.press("f6")
        await settle(pilot)
        assert app.screen.allowed_exemptions == () and app.screen.draft.exemption == ""


async def test_late_birth_shows_its_fee_and_an_exemption_is_saved(config_path: Path) -> None:
    """A birth registered after 60 days shows the province's fee at once; F6 picks a category the fee
    allows, the line says so, and the saved dossier records it."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, MOTHER_PAYLOAD)
        await open_procedure(pilot, "khai sinh")
        assert fee_line(app) == "Lệ phí: Miễn lệ phí khi đăng ký đúng hạn"
        birth = (app.ctx.now() - timedelta(days=90)).date()
        await set_field(pilot, "child_birth_date", f"{birth:%d/%m/%Y}")
        assert "8.000 đ" in fee_line(app)
        await pilot.press("f6")
        await settle(pilot)
        assert "miễn — Người thuộc gia đình có công với cách mạng" in fee_line(app)
        assert "8.000 đ" in fee_line(app)


async def test_exemption_is_saved_with_the_dossier(config_path: Path) -> None:
    """A marital-status certificate with the poor-household exemption picked by F6 is saved exempt."""
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "tinh trang hon nhan")
        assert "15.000 đ" in fee_line(app)
        for field_id, value in [("subject_ethnicity", "Kinh"), ("subject_nationality", "Việt Nam"),
                                ("purpose", "Kết hôn")]:
            await set_field(pilot, field_id, value)
        app.screen.query_one("#f-marital_status", Select).value = "Chưa đăng ký kết hôn"
        await pilot.pause()
        await pilot.press("f6")
        await pilot.press("f6")
        await settle(pilot)
        assert "Người thuộc hộ nghèo" in fee_line(app)
        await pilot.press("f2")
        await settle(pilot)
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            fee = json.loads(session.exec(select(Dossier)).one().fee_json)
    finally:
        ctx.close()
    assert (fee["exempt"], fee["exemption"], fee["waived"]) == (True, "ho-ngheo", 15_000)


async def test_ctrl_t_takes_the_fee_on_the_dossier_screen(config_path: Path) -> None:
    """Ctrl+N on a dossier: the amount in figures and words, cash by default; Enter records the payment
    and the fee receipt is offered for printing; a second Ctrl+N says it was paid."""
    from counter.tui.dossier.screen import DossierScreen
    from counter.tui.fees.dialog import PayDialog
    from tests.fee_helpers import copy_dossier

    ctx = open_context(config_path)
    code = copy_dossier(ctx, pages=5, copies=2).code
    ctx.close()
    app = make_app(config_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.open_dossier(code)
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert isinstance(app.screen, PayDialog)
        assert "14.000 đ" in str(app.screen.query_one("#pay-amount", Label).render())
        assert "Mười bốn nghìn đồng" in str(app.screen.query_one("#pay-amount", Label).render())
        app.screen.query_one("#lc-reference").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, PayDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert not isinstance(app.screen, PayDialog)
    ctx = open_context(config_path)
    try:
        with ctx.store.read() as session:
            payment = json.loads(session.exec(select(Dossier)).one().payment_json)
    finally:
        ctx.close()
    assert (payment["amount"], payment["method"], payment["receipt_no"], payment["clerk"]) == (
        14_000, "cash", 1, "Lê Thị Hoa")


async def test_the_supervisor_sees_the_days_cash_and_the_months_chart(config_path: Path, fast_pins: None) -> None:
    """Beside the queue the day's cash (a transfer not counted); the figures end with the fees; the Lệ phí tab
    draws the month's takings day by day, the best day a full bar; F6 goes to the month before."""
    from counter.accounts import users
    from counter.reporting.fee_export import BAR_WIDTH
    from counter.services.fees import pay
    from counter.tui.supervisor.screen import SupervisorScreen
    from tests.fee_helpers import CLERK, copy_dossier
    from tests.test_tui_supervisor import shows, until

    ctx = open_context(config_path)
    try:
        pay(ctx, copy_dossier(ctx, pages=3, copies=2).code, "cash", CLERK)
        pay(ctx, copy_dossier(ctx, pages=1, copies=2).code, "transfer", CLERK)
        users.add_clerk(ctx, "Giám", users.SUPERVISOR, "975310", by="test")
        today = ctx.now().date()
    finally:
        ctx.close()
    app = make_app(config_path, clerk="Giám")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("f10")
        await settle(pilot)
        assert await until(pilot, lambda: isinstance(app.screen, SupervisorScreen))
        assert await shows(pilot, "tiền mặt 10.000 đ")
        await pilot.click("#--content-tab-tab-figures")
        summary = app.screen.query_one("#f-summary", Static)
        assert await until(pilot, lambda: "Phí, lệ phí đã thu" in str(summary.content))
        assert "14.000 đ (tiền mặt 10.000 đ, chuyển khoản 4.000 đ)" in str(summary.content)
        await pilot.click("#--content-tab-tab-fees")
        assert await shows(pilot, f"Tháng {today:%m/%Y} · đã thu 14.000 đ · tiền mặt 10.000 đ")
        chart = str(app.screen.query_one("#fee-text", Static).content)
        assert f"{today:%d/%m} {'█' * BAR_WIDTH}      14.000 đ" in chart  # the line may lie below the fold
        await pilot.press("f6")
        assert await shows(pilot, "đã thu 0 đ · tiền mặt 0 đ")
