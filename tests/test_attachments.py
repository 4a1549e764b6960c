"""Scanned papers on dossiers: real images and PDFs made here, the real encrypted store, the installed CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from counter.attachments.intake import prepare
from counter.attachments.pdfcheck import AttachmentRefused
from counter.cli import main
from counter.context import CounterContext, open_context
from counter.custody import backup
from counter.documents.catalog import build
from counter.documents.fonts import find_font
from counter.documents.pdf import render_pdf
from counter.documents.sources import load_sources
from counter.errors import CounterError, NotFoundError
from counter.records.dossiers import TransitionRefused
from counter.services import attachments
from counter.services.dossiers import change_status, return_result
from counter.store import blobs
from counter.store.models import AuditEntry, DossierEvent
from sync.client import run_pass
from sync.protocol import payload_problem
from tests import scans
from tests.conftest import SUPERVISOR_NAME, Cli, make_accounts, write_config
from tests.documents_helpers import pdf_pages_text
from tests.synchelpers import HubProcess, enrolled_counter, open_dossier
from tests.test_backup import restore_as

CLERK = "Nguyễn Thị Lan"
SUBJECT_ID = "036090000123"
OTHER_PAYLOAD = "001305000456||Nguyễn Thị Mai Anh|02112005|Nữ|Số 12 ngõ 45, Phường Ngọc Hà, Hà Nội|10082021"


def _counts(ctx: CounterContext) -> tuple[int, int, int]:
    """Blobs, attachment events and `attach` audit entries stored."""
    with ctx.store.read() as session:
        conn = session.connection().connection.driver_connection
        stored = conn.execute("SELECT count(*) FROM blob").fetchone()[0]
        events = len(list(session.exec(select(DossierEvent).where(DossierEvent.type == "attachment_added"))))
        audited = len(list(session.exec(select(AuditEntry).where(AuditEntry.action == "attach"))))
    return stored, events, audited


def test_images_become_one_pdf_in_order(ctx: CounterContext, tmp_path: Path) -> None:
    """A JPEG, a PNG and a 3-page G4 TIFF become one 5-page PDF; the JPEG is embedded unchanged; the
    attachment records sha256, pages, bytes, the lowest resolution, kind, title, who and when."""
    code = open_dossier(ctx).code
    files = [scans.jpeg(tmp_path / "a.jpg", dpi=300), scans.png(tmp_path / "b.png", dpi=240),
             scans.tiff(tmp_path / "c.tif", pages=3, dpi=300)]
    done = attachments.attach(ctx, code, files, CLERK, title="Giấy khai sinh")
    made = attachments.export(ctx, code, 1, tmp_path / "out.pdf", CLERK)
    data = (tmp_path / "out.pdf").read_bytes()
    assert hashlib.sha256(data).hexdigest() == made.sha256 == done.attachment.sha256
    assert scans.pdf_bytes(data) == made.pages == 5 and made.bytes == len(data)
    assert files[0].read_bytes() in data, "the JPEG is embedded as it was scanned, not re-encoded"
    assert (made.dpi, made.kind, made.title, made.clerk, done.n, done.warnings) == (
        240, "component", "Giấy khai sinh", CLERK, 1, ())
    assert _counts(ctx) == (1, 1, 1)


def test_the_same_files_always_make_the_same_pdf(tmp_path: Path) -> None:
    """No date or random file id in what is made: the same scan (or scan and PDF) gives the same hash at any
    moment, so it is one blob however often it is attached."""
    image, given = scans.jpeg(tmp_path / "a.jpg", seed=3), scans.pdf(tmp_path / "g.pdf", pages=1)
    alone = prepare([image], 50).data
    assert b"/CreationDate" not in alone and b"/ModDate" not in alone
    assert prepare([image, given], 50).sha256 == prepare([image, given], 50).sha256


def test_pdf_kept_as_given_and_alpha_png_converted(ctx: CounterContext, tmp_path: Path) -> None:
    """A single PDF is stored byte for byte; a PNG with an alpha channel (img2pdf refuses those) still goes in."""
    code = open_dossier(ctx).code
    given = scans.pdf(tmp_path / "given.pdf", pages=3)
    attachments.attach(ctx, code, [given], CLERK, kind="result", title="Trích lục")
    attachments.attach(ctx, code, [scans.png(tmp_path / "alpha.png", alpha=True)], CLERK)
    attachments.export(ctx, code, 1, tmp_path / "back.pdf", CLERK)
    assert (tmp_path / "back.pdf").read_bytes() == given.read_bytes()
    _, listed = attachments.listing(ctx, code, CLERK)
    assert [(a.kind, a.pages) for a in listed] == [("result", 3), ("component", 1)]


def test_low_resolution_is_stored_with_a_warning(ctx: CounterContext, tmp_path: Path) -> None:
    """Under 200 dpi: one warning sentence, the attachment is kept."""
    code = open_dossier(ctx).code
    done = attachments.attach(ctx, code, [scans.jpeg(tmp_path / "low.jpg", dpi=150)], CLERK)
    assert done.attachment.dpi == 150 and len(done.warnings) == 1 and "150 dpi" in done.warnings[0]


def _bad_inputs(tmp_path: Path) -> Iterator[tuple[str, list[Path], str]]:
    """(case, files, a word of the expected sentence)."""
    tmp_path.mkdir()
    (tmp_path / "empty.pdf").write_bytes(b"")
    yield "empty", [tmp_path / "empty.pdf"], "rỗng"
    (tmp_path / "folder").mkdir()
    yield "directory", [tmp_path / "folder"], "thư mục"
    (tmp_path / "letter.jpg").write_text("Kính gửi UBND xã", encoding="utf-8")
    yield "text named .jpg", [tmp_path / "letter.jpg"], "không phải PDF"
    scans.page().save(tmp_path / "gif.png", format="GIF")
    yield "GIF named .png", [tmp_path / "gif.png"], "không phải PDF"
    scans.page(200, 280).save(tmp_path / "scan.bmp", format="BMP")
    yield "BMP", [tmp_path / "scan.bmp"], "không phải PDF"
    yield "truncated JPEG", [scans.truncated(scans.jpeg(tmp_path / "t.jpg"), tmp_path / "cut.jpg")], "cắt cụt"
    yield "truncated PNG", [scans.truncated(scans.png(tmp_path / "t.png"), tmp_path / "cut.png")], "cắt cụt"
    yield "truncated TIFF", [scans.truncated(scans.tiff(tmp_path / "t.tif"), tmp_path / "cut.tif")], "cắt cụt"
    yield "truncated PDF", [scans.truncated(scans.pdf(tmp_path / "t.pdf"), tmp_path / "cut.pdf")], "cắt cụt"
    yield "password PDF", [scans.pdf(tmp_path / "pw.pdf", password="1234")], "mật khẩu"
    yield "encrypted PDF", [scans.pdf(tmp_path / "enc.pdf", password="")], "mã hóa"
    yield "JavaScript PDF", [scans.pdf(tmp_path / "js.pdf", javascript=True)], "JavaScript"
    yield "embedded file", [scans.pdf(tmp_path / "emb.pdf", embedded=True)], "tệp đính kèm bên trong"
    big = tmp_path / "big.jpg"
    scans.jpeg(big, size=(2480, 3508))
    big.write_bytes(big.read_bytes() + bytes(1_100_000))
    yield "over the limit", [big], "quá giới hạn 1 MB"
    yield "good then bad", [scans.jpeg(tmp_path / "ok.jpg"), tmp_path / "letter.jpg"], "không phải PDF"
    yield "missing", [tmp_path / "nowhere.jpg"], "Không tìm thấy"


def test_bad_inputs_are_one_sentence_and_nothing_is_stored(tmp_path: Path) -> None:
    """Every bad input the issue lists: one sentence naming the problem, no blob, no event, no audit entry."""
    ctx = open_context(write_config(tmp_path / "q", extra="\n[digitisation]\nmax_mb = 1\n"))
    code = open_dossier(ctx).code
    for case, files, word in _bad_inputs(tmp_path / "files"):
        with pytest.raises(AttachmentRefused) as refused:
            attachments.attach(ctx, code, files, CLERK)
        message = refused.value.message
        assert word in message and "\n" not in message and message.endswith("."), (case, message)
    assert _counts(ctx) == (0, 0, 0)
    with pytest.raises(AttachmentRefused, match="component hoặc result"):
        attachments.attach(ctx, code, [scans.jpeg(tmp_path / "k.jpg")], CLERK, kind="photo")
    ctx.close()


def test_bytes_are_stored_once_and_never_in_plaintext(ctx: CounterContext, tmp_path: Path) -> None:
    """The same scan on two dossiers is one blob; no slice of the scanned page appears in any file of the data
    directory (the store is SQLCipher); a blob whose bytes were altered is refused on the way out."""
    scan = scans.jpeg(tmp_path / "page.jpg", seed=7)
    first, second = open_dossier(ctx).code, open_dossier(ctx).code
    for code in (first, second):
        attachments.attach(ctx, code, [scan], CLERK)
    assert _counts(ctx)[0] == 1
    raw = scan.read_bytes()
    probes = [raw[i:i + 48] for i in range(1000, len(raw) - 48, len(raw) // 8)]
    stored = b"".join(p.read_bytes() for p in ctx.config.storage.data_dir.rglob("*") if p.is_file())
    assert probes and not any(probe in stored for probe in probes)
    with ctx.store.write() as session:
        session.connection().exec_driver_sql("UPDATE blob_chunk SET data = zeroblob(length(data)) WHERE seq = 0")
    with pytest.raises(blobs.BlobDamaged):
        attachments.export(ctx, first, 1, tmp_path / "x.pdf", CLERK)
    assert not (tmp_path / "x.pdf").exists()


def test_reuse_and_citizen_papers(ctx: CounterContext, tmp_path: Path) -> None:
    """A citizen's earlier paper is listed and linked to a new dossier of theirs without storing it again;
    an unknown hash, another citizen's paper and a second link are refused."""
    old = open_dossier(ctx).code
    done = attachments.attach(ctx, old, [scans.jpeg(tmp_path / "ks.jpg")], CLERK, title="Giấy khai sinh")
    papers = attachments.papers(ctx, SUBJECT_ID, CLERK)
    assert [(p.title, p.dossier_code) for p in papers] == [("Giấy khai sinh", old)]
    new = open_dossier(ctx).code
    linked = attachments.reuse(ctx, new, done.attachment.sha256.upper(), CLERK)
    assert (linked.attachment.reused_from, linked.attachment.title) == (old, "Giấy khai sinh")
    assert _counts(ctx)[:2] == (1, 2)
    with pytest.raises(AttachmentRefused, match="đã có bản số hóa này"):
        attachments.reuse(ctx, new, done.attachment.sha256, CLERK)
    with pytest.raises(AttachmentRefused, match="không giữ"):
        attachments.reuse(ctx, new, "ab" * 32, CLERK)
    from counter.citizens import identity
    from counter.records.dossiers import DossierDraft
    from counter.services.dossiers import create_dossier
    from tests.test_dossiers import STATUS_VALUES

    stranger = create_dossier(ctx, DossierDraft("xac-nhan-tinh-trang-hon-nhan",
                                                {"subject": identity.parse(OTHER_PAYLOAD)}, dict(STATUS_VALUES)), CLERK)
    with pytest.raises(AttachmentRefused, match="không thuộc người nào"):
        attachments.reuse(ctx, stranger.code, done.attachment.sha256, CLERK)
    with pytest.raises(NotFoundError, match="12 chữ số"):
        attachments.papers(ctx, "12345", CLERK)


def test_the_receipt_names_the_digitised_components(ctx: CounterContext, tmp_path: Path) -> None:
    """The printed receipt counts the components scanned or linked (a linked one marked), not the results."""
    old = open_dossier(ctx).code
    done = attachments.attach(ctx, old, [scans.jpeg(tmp_path / "ks.jpg")], CLERK, title="Giấy khai sinh")
    new = open_dossier(ctx).code
    attachments.attach(ctx, new, [scans.pdf(tmp_path / "tk.pdf", pages=1)], CLERK, title="Tờ khai")
    attachments.reuse(ctx, new, done.attachment.sha256, CLERK)
    attachments.attach(ctx, new, [scans.pdf(tmp_path / "kq.pdf", pages=2)], CLERK, kind="result", title="Trích lục")
    pages = [_receipt_text(ctx, code) for code in (old, new, open_dossier(ctx).code)]
    assert "Đã số hóa 01 thành phần: Giấy khai sinh." in pages[0]
    assert "Đã số hóa 02 thành phần: Tờ khai; Giấy khai sinh (dùng lại)." in pages[1]
    assert "Trích lục" not in pages[1] and "Đã số hóa" not in pages[2]


def _receipt_text(ctx: CounterContext, code: str) -> str:
    """The citizen's copy of the receipt as printed on A4 (text extracted from the real PDF)."""
    with ctx.store.read() as session:
        src = load_sources(session, ctx.config.unit, ctx.forms, code)
    return pdf_pages_text(render_pdf(build("receipt", src, "A4"), find_font(), "A4"))[-1]


def test_removal_by_a_supervisor_keeps_bytes_while_referred(ctx: CounterContext, tmp_path: Path) -> None:
    """A clerk cannot remove; a supervisor removes with a reason; bytes go when no dossier refers to them."""
    make_accounts(Path(ctx.config.source))
    scan = scans.jpeg(tmp_path / "p.jpg")
    first, second = open_dossier(ctx).code, open_dossier(ctx).code
    for code in (first, second):
        attachments.attach(ctx, code, [scan], CLERK)
    with pytest.raises(CounterError, match="giám sát"):
        attachments.remove(ctx, first, 1, "nhầm hồ sơ", CLERK)
    with pytest.raises(AttachmentRefused, match="lý do"):
        attachments.remove(ctx, first, 1, "  ", SUPERVISOR_NAME)
    with pytest.raises(NotFoundError, match="không có tệp số 2"):
        attachments.remove(ctx, first, 2, "nhầm", SUPERVISOR_NAME)
    attachments.remove(ctx, first, 1, "nhầm hồ sơ", SUPERVISOR_NAME)
    assert attachments.listing(ctx, first, CLERK)[1] == [] and _counts(ctx)[0] == 1
    attachments.remove(ctx, second, 1, "bản quét mờ", SUPERVISOR_NAME)
    assert _counts(ctx)[0] == 0
    with ctx.store.read() as session:
        removed = list(session.exec(select(DossierEvent).where(DossierEvent.type == "attachment_removed")))
    assert [json.loads(e.payload_json)["reason"] for e in removed] == ["nhầm hồ sơ", "bản quét mờ"]


def test_returning_needs_a_result_scan_when_required(tmp_path: Path) -> None:
    """With require_result, a result is handed over only once a `result` attachment is on the dossier."""
    ctx = open_context(write_config(tmp_path / "q", extra="\n[digitisation]\nrequire_result = true\n"))
    code = open_dossier(ctx).code
    change_status(ctx, code, "processing", CLERK)
    change_status(ctx, code, "done", CLERK)
    with pytest.raises(TransitionRefused, match="chưa có bản số hóa kết quả"):
        return_result(ctx, code, "Trần Văn Bình", CLERK, receiver_id=SUBJECT_ID)
    attachments.attach(ctx, code, [scans.pdf(tmp_path / "kq.pdf")], CLERK, kind="result", title="Giấy xác nhận")
    assert return_result(ctx, code, "Trần Văn Bình", CLERK, receiver_id=SUBJECT_ID).status == "returned"
    ctx.close()


def test_cli_attach_list_export_papers_and_detach(ctx: CounterContext, cli: Cli, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """The commands as a clerk types them (in process, through the CLI's own entry point); refusals are one
    line on stderr with exit 1."""

    def run(*args: str) -> tuple[int, str, str]:
        status = main(["--config", str(cli.config), *args])
        out, err = capsys.readouterr()
        return status, out, err

    code = open_dossier(ctx).code
    files = [str(scans.jpeg(tmp_path / "1.jpg", dpi=150)), str(scans.tiff(tmp_path / "2.tif", pages=2))]
    status, out, err = run("dossier", "attach", code, *files, "--title", "Giấy khai sinh", "--json")
    assert status == 0, err
    added = json.loads(out)
    assert (added["n"], added["pages"], added["dpi"], added["kind"]) == (1, 3, 150, "component")
    assert "150 dpi" in err and len(added["warnings"]) == 1
    listed = json.loads(run("dossier", "attachments", code, "--json")[1])
    assert [a["sha256"] for a in listed["attachments"]] == [added["sha256"]]
    assert "3 trang" in (text := run("dossier", "attachments", code)[1]) and "150 dpi (dưới 200 dpi)" in text
    out_file = tmp_path / "back.pdf"
    assert run("dossier", "attachment", code, "1", "--out", str(out_file))[0] == 0
    assert hashlib.sha256(out_file.read_bytes()).hexdigest() == added["sha256"]
    papers = json.loads(run("citizen", "papers", SUBJECT_ID, "--json")[1])
    assert [p["sha256"] for p in papers] == [added["sha256"]]
    other = open_dossier(ctx).code
    assert run("dossier", "attach", other, "--reuse", added["sha256"])[0] == 0
    for args, word in (((code, str(tmp_path)), "thư mục"), ((code,), "Cần nêu tệp"),
                       ((other, "--reuse", "0" * 64), "không giữ")):
        status, _, err = run("dossier", "attach", *args)
        assert status == 1 and word in err and err.count("\n") == 1
    status, _, err = run("dossier", "detach", code, "1", "--reason", "nhầm")
    assert status == 1 and "giám sát" in err
    cli.login(SUPERVISOR_NAME)
    assert run("dossier", "detach", code, "1", "--reason", "nhầm")[0] == 0
    assert "chưa có tệp đính kèm" in run("dossier", "attachments", code)[1]
    audit = run("audit", "--json")[1]
    assert all(action in audit for action in ("attach", "view_attachments", "export_attachment", "view_papers",
                                              "detach"))


def test_backup_carries_attachments(ctx: CounterContext, tmp_path: Path) -> None:
    """A backup holds the attachment bytes; after a restore they come back byte for byte."""
    key = tmp_path / "k" / "backup-key.txt"
    recipient = backup.keygen(key)
    make_accounts(Path(ctx.config.source))
    code = open_dossier(ctx).code
    attachments.attach(ctx, code, [scans.tiff(tmp_path / "s.tif", pages=2)], CLERK)
    before = tmp_path / "before.pdf"
    attachments.export(ctx, code, 1, before, CLERK)
    made = backup.create(ctx, str(tmp_path / "b"), recipient)
    ctx.close()
    config = Path(ctx.config.source)
    restored = restore_as(config, made.path, key, "--force")
    assert restored.returncode == 0, restored.stderr
    again = open_context(config)
    attachments.export(again, code, 1, tmp_path / "after.pdf", CLERK)
    assert (tmp_path / "after.pdf").read_bytes() == before.read_bytes()
    again.close()


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path / "hub.db").start()
    yield process
    process.stop()


def test_attachment_events_sync_and_pulled_papers_are_listed(tmp_path: Path, hub: HubProcess) -> None:
    """`attachment_added` reaches the hub and the unit's other counter, whose reuse look-up lists the paper;
    a malformed attachment payload is refused by the shared payload rules."""
    first = enrolled_counter(tmp_path / "q1", hub)
    second = enrolled_counter(tmp_path / "q2", hub, counter_id="Q2", first=5000, last=9999)
    code = open_dossier(first).code
    done = attachments.attach(first, code, [scans.jpeg(tmp_path / "ks.jpg")], CLERK, title="Giấy khai sinh")
    report = run_pass(first)
    assert (report.pushed, report.blobs_sent, report.errors) == (2, 1, [])
    assert not run_pass(second).errors
    papers = attachments.papers(second, SUBJECT_ID, CLERK)
    assert [(p.sha256, p.dossier_code, p.counter_id) for p in papers] == [(done.attachment.sha256, code, "Q1")]
    attachments.export(first, code, 1, tmp_path / "sent.pdf", CLERK)
    attachments.export(second, code, 1, tmp_path / "fetched.pdf", CLERK)
    assert (tmp_path / "fetched.pdf").read_bytes() == (tmp_path / "sent.pdf").read_bytes()
    linked = attachments.reuse(second, open_dossier(second).code, done.attachment.sha256, CLERK)
    assert linked.attachment.reused_from == code
    again = run_pass(second)
    assert (again.pushed, again.blobs_sent, again.errors) == (2, 0, []), "a reused blob is not sent again"
    good = {"sha256": done.attachment.sha256, "kind": "result", "title": "Kết quả", "pages": 1, "bytes": 10}
    assert payload_problem("attachment_added", good) is None
    for key, bad in (("sha256", "ABC"), ("kind", "photo"), ("title", ""), ("pages", 0), ("bytes", True)):
        assert payload_problem("attachment_added", {**good, key: bad}) == key
    assert payload_problem("attachment_removed", {"attachment_id": "x", "reason": " "}) == "reason"
    first.close()
    second.close()


def test_monthly_figures_count_digitisation(ctx: CounterContext, tmp_path: Path) -> None:
    """The month's report counts dossiers with digitised components, reused ones and digitised results, with
    their shares of received and returned dossiers, in JSON, CSV and XLSX; a removal takes its count back."""
    from openpyxl import load_workbook

    from counter.reporting import figures, report_export

    make_accounts(Path(ctx.config.source))
    codes = [open_dossier(ctx).code for _ in range(4)]
    first = attachments.attach(ctx, codes[0], [scans.jpeg(tmp_path / "a.jpg")], CLERK)
    attachments.reuse(ctx, codes[1], first.attachment.sha256, CLERK)
    attachments.attach(ctx, codes[2], [scans.jpeg(tmp_path / "b.jpg", seed=3)], CLERK)
    attachments.remove(ctx, codes[2], 1, "nhầm hồ sơ", SUPERVISOR_NAME)
    for code in codes[:2]:
        change_status(ctx, code, "processing", CLERK)
        change_status(ctx, code, "done", CLERK)
    attachments.attach(ctx, codes[0], [scans.pdf(tmp_path / "kq.pdf")], CLERK, kind="result")
    for code in codes[:2]:
        return_result(ctx, code, "Trần Văn Bình", CLERK, receiver_id=SUBJECT_ID)
    month, now = ctx.now(), ctx.now() + timedelta(minutes=1)
    with ctx.store.connection() as conn:
        report = figures.monthly(conn, month.year, month.month, now)
    data = report.to_json()
    assert (data["received"], data["returned"]) == (4, 2)
    assert (data["digitised_components"], data["reused_components"], data["digitised_results"]) == (2, 1, 1)
    assert (data["digitised_components_share"], data["reused_components_share"],
            data["digitised_results_share"]) == (0.5, 0.25, 0.5)
    csv_text = report_export.to_csv(report, {})
    header, total = csv_text.splitlines()[:2]
    assert dict(zip(header.split(","), total.split(","), strict=True))["reused_components_share"] == "0.25"
    report_export.write_xlsx(report, {}, tmp_path / "r.xlsx")
    summary = {row[0]: row[1] for row in load_workbook(tmp_path / "r.xlsx")["Tổng hợp"].iter_rows(values_only=True)
               if row and len(row) > 1}
    assert summary["Kết quả trả đã số hóa"] == 1 and summary["tỉ lệ dùng lại (trên tiếp nhận)"] == 0.25
    with ctx.store.write() as session:
        from counter.records.projection import rebuild

        rebuild(session)
    with ctx.store.connection() as conn:
        assert figures.monthly(conn, month.year, month.month, now).to_json()["digitised_components"] == 2
