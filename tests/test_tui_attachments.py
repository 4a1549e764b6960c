"""Scanned papers in the app (real app through Pilot): Ctrl+O takes files from the scanner's folder, Ctrl+T links
a paper digitised earlier; a bad file is one sentence in the dialog and nothing is stored."""

from __future__ import annotations

import os
from pathlib import Path

from textual.widgets import Input, OptionList, SelectionList, Static

from counter.context import open_context
from counter.services import attachments
from counter.tui.attach.dialogs import AttachDialog, ReuseDialog
from counter.tui.dossier.screen import DossierScreen
from counter.tui.form.screen import FormScreen
from counter.tui.receipt.screen import ReceiptScreen
from tests import scans
from tests.conftest import VALID_PAYLOAD, write_config
from tests.synchelpers import open_dossier
from tests.test_tui_counter import open_procedure
from tests.tui_helpers import make_app, ready, scan, screen_text, settle

SIZE = (120, 40)


def _inbox(folder: Path) -> list[Path]:
    """Three pages scanned one after the other, and a text file a scanner would never write."""
    folder.mkdir()
    pages = [scans.jpeg(folder / f"scan-{i}.jpg", seed=i) for i in (1, 2)] + [scans.tiff(folder / "scan-3.tif", 2)]
    for age, page in zip((300, 200, 100), pages, strict=True):
        os.utime(page, (page.stat().st_atime, page.stat().st_mtime - age))
    (folder / "notes.pdf").write_text("not a pdf", encoding="utf-8")
    return pages


async def test_attach_from_the_inbox_and_reuse(tmp_path: Path) -> None:
    """Newest first in the dialog; the chosen scans become one attachment in scan order; Ctrl+T links it
    to another dossier of the same citizen."""
    inbox = tmp_path / "inbox"
    pages = _inbox(inbox)
    config = write_config(tmp_path / "q", extra=f'\n[digitisation]\ninbox = "{inbox}"\n')
    ctx = open_context(config)
    first, second = open_dossier(ctx).code, open_dossier(ctx).code
    ctx.close()
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await app.push_screen(DossierScreen(first))
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, AttachDialog)
        chooser = app.screen.query_one(SelectionList)
        names = [str(chooser.get_option_at_index(i).prompt).split(" · ")[0] for i in range(chooser.option_count)]
        assert names == ["notes.pdf", "scan-3.tif", "scan-2.jpg", "scan-1.jpg"]
        assert "không đọc được" in str(chooser.get_option_at_index(0).prompt)
        chooser.select(str(inbox / "notes.pdf"))
        title = app.screen.query_one("#at-title", Input)
        title.value = "Giấy khai sinh"
        title.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AttachDialog) and "notes.pdf không phải PDF" in screen_text(pilot)
        chooser.deselect(str(inbox / "notes.pdf"))
        for page in pages:
            chooser.select(str(page))
        title.focus()
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen), screen_text(pilot)
        text = str(app.screen.query_one("#dossier-text", Static).render())
        assert "1. Giấy khai sinh — thành phần, 4 trang" in text
        await app.push_screen(DossierScreen(second))
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ReuseDialog)
        assert "Giấy khai sinh" in screen_text(pilot)
        app.screen.query_one(OptionList).focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DossierScreen)
        assert f"dùng lại từ {first}" in str(app.screen.query_one("#dossier-text", Static).render())
    ctx = open_context(config)
    attached = attachments.listing(ctx, first, "Lê Thị Hoa")[1]
    assert [a.pages for a in attached] == [4]
    ctx.close()


async def test_the_form_offers_earlier_papers_and_saves_scans_with_the_dossier(tmp_path: Path) -> None:
    """The form says which papers of the scanned citizen are already digitised; Ctrl+T links one and Ctrl+O
    checks a new scan; F2 stores the dossier with both in one transaction."""
    config = write_config(tmp_path / "q")
    ctx = open_context(config)
    earlier = open_dossier(ctx).code
    attachments.attach(ctx, earlier, [scans.jpeg(tmp_path / "ks.jpg")], "Lê Thị Hoa", title="Giấy khai sinh")
    ctx.close()
    app = make_app(config)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await scan(pilot, VALID_PAYLOAD)
        await open_procedure(pilot, "xac nhan tinh trang hon nhan")
        assert isinstance(app.screen, FormScreen)
        text = screen_text(pilot)
        assert "Đã có bản số hóa: Giấy khai sinh" in text and "Ctrl+T" in text, text
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert isinstance(app.screen, ReuseDialog)
        app.screen.query_one(OptionList).focus()
        await pilot.press("down", "enter")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, AttachDialog)
        path = app.screen.query_one("#at-path", Input)
        path.value = str(scans.tiff(tmp_path / "cmnd.tif", pages=2))
        app.screen.query_one("#at-title", Input).value = "Tờ khai"
        path.focus()
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FormScreen), screen_text(pilot)
        assert "Sẽ đính kèm khi lưu: Tờ khai, Giấy khai sinh (dùng lại)" in screen_text(pilot)
        for field_id, value in [("subject_ethnicity", "Kinh"), ("subject_nationality", "Việt Nam"),
                                ("marital_status", "Chưa đăng ký kết hôn"), ("purpose", "Để đăng ký kết hôn")]:
            app.screen.query_one(f"#f-{field_id}").value = value  # type: ignore[attr-defined]
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        assert isinstance(app.screen, ReceiptScreen), screen_text(pilot)
        code = app.screen.dossier.code  # type: ignore[attr-defined]
    ctx = open_context(config)
    attached = attachments.listing(ctx, code, "Lê Thị Hoa")[1]
    assert [(a.title, a.pages, a.reused_from) for a in attached] == [("Tờ khai", 2, ""),
                                                                     ("Giấy khai sinh", 1, earlier)]
    ctx.close()
