"""Receipts, declarations and slips rendered to PDF: Vietnamese text extracted exactly, QR decoded back."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from counter.context import CounterContext
from counter.documents.catalog import available, build
from counter.documents.fonts import FontMissing, covers_vietnamese, find_font, font_from_setting
from counter.documents.pdf import render_pdf
from counter.documents.slips import NothingToPrint
from counter.documents.sources import Sources, clock_date, load_sources
from counter.law.forms import display_value, parse_form
from counter.services.demo import demo_draft
from counter.services.dossiers import create_dossier
from tests.conftest import MOTHER_PAYLOAD
from tests.documents_helpers import (
    CLERK,
    MISSING,
    REFUSAL,
    RESCHEDULE_REASON,
    birth_dossier,
    is_nfc,
    pdf_page_images,
    pdf_pages_text,
    qr_codes,
    with_all_events,
)


def sources(ctx: CounterContext, code: str) -> Sources:
    with ctx.store.read() as session:
        return load_sources(session, ctx.config.unit, ctx.forms, code)


def render(ctx: CounterContext, kind: str, code: str, paper: str = "A4") -> bytes:
    return render_pdf(build(kind, sources(ctx, code), paper), find_font(), paper)


def test_receipt_a4_has_two_copies_with_every_value_and_a_readable_qr(ctx: CounterContext) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    data = render(ctx, "receipt", dossier.code)
    pages = pdf_pages_text(data)
    assert len(pages) == 2
    assert "Liên 1: Lưu" in pages[0] and "Liên 2: Giao người nộp hồ sơ" in pages[1]
    for text in pages:
        assert is_nfc(text)
        for expected in ("GIẤY TIẾP NHẬN HỒ SƠ", "VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {dossier.code}",
                         "UBND XÃ HẢI MINH", "TỈNH NINH BÌNH", "Ông/Bà: Nguyễn Thị Mai Anh",
                         "Số 12 ngõ 45 phố Hoàng Hoa Thám, Phường Ngọc Hà, Quận Ba Đình, Hà Nội",
                         "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
                         "Giấy chứng sinh (bản chính) hoặc giấy tờ thay thế",
                         f"Thời gian nhận hồ sơ: {clock_date(dossier.received_at)}",
                         f"Thời gian trả kết quả giải quyết hồ sơ: {clock_date(dossier.due_at)}",
                         "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", CLERK, "Miễn lệ phí khi đăng ký đúng hạn"):
            assert expected in text, expected
    assert clock_date(dossier.received_at).startswith("09 giờ 15 phút, ngày ")
    images = pdf_page_images(data)
    assert [qr_codes(image) for image in images] == [[dossier.code], [dossier.code]]


@pytest.mark.parametrize(("paper", "copies"), [("A5", 2), ("80mm", 1)])
def test_receipt_on_a5_and_on_a_roll(ctx: CounterContext, paper: str, copies: int) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    data = render(ctx, "receipt", dossier.code, paper)
    pages = pdf_pages_text(data)
    assert len(pages) == copies
    assert "Liên 2: Giao người nộp hồ sơ" in pages[-1]
    assert "Nguyễn Thị Mai Anh" in pages[-1]
    assert qr_codes(pdf_page_images(data, 300)[-1]) == [dossier.code]


def test_declaration_prints_entered_prefilled_and_blank_fields(ctx: CounterContext) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    data = render(ctx, "form", dossier.code)
    text = " ".join(pdf_pages_text(data))
    assert is_nfc(text)
    for expected in ("TỜ KHAI ĐĂNG KÝ KHAI SINH", "Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)",
                     "Kính gửi: Ủy ban nhân dân xã Hải Minh", "Người được khai sinh:",
                     "Họ, chữ đệm, tên: Trần Minh Khôi", "Nơi sinh: Trạm y tế xã Hải Minh",
                     "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Mai Anh",
                     "Giấy tờ tùy thân: Căn cước công dân số 001305000456, cấp ngày 10/08/2021",
                     "Năm sinh: 2005", "Tôi cam đoan", "NGƯỜI YÊU CẦU", "(Ký, ghi rõ họ, chữ đệm, tên)",
                     f"Hải Minh, ngày {dossier.received_at:%d} tháng {dossier.received_at:%m} năm "):
        assert expected in text, expected
    form = ctx.forms["khai-sinh"]
    birth = display_value(form.field("child_birth_date"), dossier.values_json.split('"child_birth_date": "')[1][:10])
    assert f"Ngày, tháng, năm sinh: {birth}" in text
    assert "Họ, chữ đệm, tên người cha: ....." in text
    assert "Dân tộc: ....." in text
    assert qr_codes(pdf_page_images(data)[0]) == [dossier.code]


def test_every_form_file_prints_as_one_page_declaration(ctx: CounterContext) -> None:
    rng = random.Random(7)
    for form in ctx.forms.values():
        dossier = create_dossier(ctx, demo_draft(form, rng, ctx.now().date()), CLERK)
        src = sources(ctx, dossier.code)
        data = render_pdf(build("form", src, "A4"), find_font(), "A4")
        pages = pdf_pages_text(data)
        text = " ".join(pages)
        assert len(pages) == 1, form.id
        assert form.title.upper() in text
        for field_def in form.fields:
            assert f"{field_def.label}:" in text, (form.id, field_def.id)
            value = src.values.get(field_def.id)
            if value:
                assert f"{field_def.label}: {display_value(field_def, value)}" in text, (form.id, field_def.id)


NEW_FORM = {
    "id": "cap-ban-sao-trich-luc", "title": "Tờ khai cấp bản sao trích lục hộ tịch",
    "procedure": "Cấp bản sao trích lục hộ tịch", "form_code": "Mẫu thử nghiệm", "legal_basis": "Luật Hộ tịch 2014",
    "addressee": "Ủy ban nhân dân xã", "processing_days": 0, "cutoff_applies": True, "fee": "8.000 đ/bản",
    "documents": ["Tờ khai"], "roles": [{"id": "requester", "label": "Người đề nghị"}],
    "fields": [{"id": "ten", "role": "requester", "label": "Họ và tên", "type": "text", "prefill": "full_name"},
               {"id": "ly_do", "label": "Lý do đề nghị cấp", "type": "longtext"}],
}


def test_a_new_form_file_prints_without_new_code(ctx: CounterContext) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    base = sources(ctx, dossier.code)
    form = parse_form(NEW_FORM, "cap-ban-sao-trich-luc.toml")
    src = Sources(**{**base.__dict__, "form": form, "values": {"ten": "Lê Thị Hằng"}})
    text = " ".join(pdf_pages_text(render_pdf(build("form", src, "A4"), find_font(), "A4")))
    assert "TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH" in text
    assert "Họ và tên: Lê Thị Hằng" in text
    assert "Lý do đề nghị cấp: ....." in text
    assert "NGƯỜI ĐỀ NGHỊ" in text


def test_slips_come_from_the_dossier_events(ctx: CounterContext) -> None:
    fresh = birth_dossier(ctx, MOTHER_PAYLOAD)
    assert available(sources(ctx, fresh.code)) == ["receipt", "form"]
    dossier = with_all_events(ctx, fresh)
    assert available(sources(ctx, dossier.code)) == ["receipt", "form", "supplement", "refusal", "apology"]
    supplement = " ".join(pdf_pages_text(render(ctx, "supplement", dossier.code)))
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in supplement
    assert f"1. {MISSING[0]}" in supplement and f"2. {MISSING[1]}" in supplement
    refusal = " ".join(pdf_pages_text(render(ctx, "refusal", dossier.code)))
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in refusal and REFUSAL in refusal
    apology_pdf = render(ctx, "apology", dossier.code)
    apology = " ".join(pdf_pages_text(apology_pdf))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology and RESCHEDULE_REASON in apology
    assert clock_date(dossier.due_at) in apology
    assert all(is_nfc(t) for t in (supplement, refusal, apology))
    assert qr_codes(pdf_page_images(apology_pdf)[0]) == [dossier.code]
    receipt = " ".join(pdf_pages_text(render(ctx, "receipt", dossier.code)))
    assert f"Đã hẹn lại ngày trả kết quả: {clock_date(dossier.due_at)}" in receipt


@pytest.mark.parametrize("kind", ["supplement", "refusal", "apology"])
def test_a_slip_without_its_event_is_refused_in_one_sentence(ctx: CounterContext, kind: str) -> None:
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    with pytest.raises(NothingToPrint) as caught:
        build(kind, sources(ctx, dossier.code), "A4")
    assert caught.value.message.startswith(f"Hồ sơ {dossier.code} ")


def test_font_discovery_and_a_bad_configured_font(tmp_path: Path) -> None:
    family = find_font()
    assert covers_vietnamese(family.regular) and covers_vietnamese(family.bold)
    not_a_font = tmp_path / "broken.ttf"
    not_a_font.write_bytes(b"not a font")
    with pytest.raises(FontMissing, match="không đọc được"):
        font_from_setting(str(not_a_font))
    assert font_from_setting(str(family.regular)).regular == family.regular
