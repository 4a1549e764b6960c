"""The print dialog of the TUI through Pilot: print, fail with one sentence, retry, reprint, save as PDF."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Button, OptionList, Static
from textual.worker import WorkerFailed

from counter.context import CounterContext, open_context
from counter.tui.dossier.screen import DossierScreen
from counter.tui.printing.screen import PrintScreen
from counter.tui.receipt.screen import ReceiptScreen
from tests.conftest import MOTHER_PAYLOAD, write_config
from tests.documents_helpers import CLERK, birth_dossier, pdf_pages_text, with_all_events
from tests.tui_helpers import make_app, ready, screen_text
from tests.tui_helpers import settle as tui_settle


class Host(App[None]):
    """A bare app that opens the print dialog for one dossier."""

    def __init__(self, ctx: CounterContext, code: str, kind: str) -> None:
        super().__init__()
        self.ctx, self.code, self.kind = ctx, code, kind

    def on_mount(self) -> None:
        self.push_screen(PrintScreen(self.ctx, self.code, CLERK, self.kind))


async def settle(pilot: object) -> None:
    """Wait for the print workers, failed ones included (a failure is what some tests expect), then redraw."""
    app = pilot.app  # type: ignore[attr-defined]
    for worker in list(app.workers):
        with contextlib.suppress(WorkerFailed):
            await worker.wait()
    await pilot.pause()  # type: ignore[attr-defined]


async def test_failed_print_shows_one_sentence_and_retry_then_reprint(tmp_path: Path, fake_lp: Path) -> None:
    ctx = open_context(write_config(tmp_path / "c", extra='\n[printer]\nkind = "system"\n'))
    try:
        dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
        (fake_lp / "refuse").write_text("lp: Unable to connect to the printer.\n", encoding="utf-8")
        app = Host(ctx, dossier.code, "receipt")
        async with app.run_test() as pilot:
            screen = app.screen
            assert isinstance(screen, PrintScreen)
            assert screen.kind == "receipt"
            await pilot.press("f5")
            await settle(pilot)
            status = screen.query_one("#print-status", Static)
            assert str(status.render()) == "Máy in từ chối lệnh in: Unable to connect to the printer."
            assert status.has_class("error")
            assert str(screen.query_one("#print", Button).label) == "Thử lại (F5)"
            (fake_lp / "refuse").unlink()
            await pilot.click("#print")
            await settle(pilot)
            assert str(status.render()) == "Đã gửi giấy tiếp nhận hồ sơ và hẹn trả kết quả tới máy in mặc định."
            assert not status.has_class("error")
            assert str(screen.query_one("#print", Button).label) == "In lại (F5)"
            await pilot.press("f5")
            await settle(pilot)
        assert (fake_lp / "args").read_text(encoding="utf-8").count("-t") == 3
    finally:
        ctx.close()


async def test_a_missing_spooler_is_shown_with_its_config_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = open_context(write_config(tmp_path / "c", extra='\n[printer]\nkind = "system"\n'))
    try:
        dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
        monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
        app = Host(ctx, dossier.code, "form")
        async with app.run_test() as pilot:
            await pilot.press("enter")
            await settle(pilot)
            status = app.screen.query_one("#print-status", Static)
            assert str(status.render()) == ('Không tìm thấy lệnh in lp (CUPS); cài gói cups-client hoặc đặt '
                                            '[printer].kind = "pdf".')
    finally:
        ctx.close()


async def test_save_pdf_of_a_slip_from_the_dialog(ctx: CounterContext) -> None:
    dossier = with_all_events(ctx, birth_dossier(ctx, MOTHER_PAYLOAD))
    app = Host(ctx, dossier.code, "apology")
    async with app.run_test() as pilot:
        screen = app.screen
        assert isinstance(screen, PrintScreen)
        assert screen.query_one("#print-kinds", OptionList).option_count == 5
        assert screen.kind == "apology"
        await pilot.press("f6")
        await settle(pilot)
        saved = ctx.config.storage.data_dir / "prints" / f"{dossier.code}-apology.pdf"
        assert saved.read_bytes().startswith(b"%PDF-")
        assert str(screen.query_one("#print-status", Static).render()).startswith("Đã lưu phiếu xin lỗi")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PrintScreen)


async def test_f12_opens_the_dialog_from_the_receipt_and_the_dossier_view(ctx: CounterContext,
                                                                         config_path: Path) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    app = make_app(config_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await app.push_screen(ReceiptScreen(dossier, ctx.forms["khai-sinh"]))
        await pilot.pause()
        assert "F7: in giấy tiếp nhận" in screen_text(pilot)
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PrintScreen) and dialog.code == dossier.code and dialog.kind == "receipt"
        await pilot.press("f5")
        await tui_settle(pilot)
        saved = ctx.config.storage.data_dir / "prints" / f"{dossier.code}-receipt.pdf"
        assert f"Mã hồ sơ: {dossier.code}" in pdf_pages_text(saved.read_bytes())[1]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReceiptScreen)
        await app.push_screen(DossierScreen(dossier.code))
        await tui_settle(pilot)
        await pilot.press("f7")
        await pilot.pause()
        assert isinstance(app.screen, PrintScreen)
        assert "Tờ khai" in screen_text(pilot) and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in screen_text(pilot)
