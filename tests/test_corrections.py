"""Corrections of a saved dossier, and pinned form versions: a dossier reprints as it was taken."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlmodel import select

from counter.citizens import identity
from counter.context import open_context
from counter.records.dossiers import DossierDraft
from counter.services.dossiers import create_dossier
from counter.store.models import AuditEntry, DossierEvent
from tests.conftest import CLERK_NAME, MOTHER_PAYLOAD, REPO, Cli, signed_in, write_config
from tests.documents_helpers import birth_dossier, birth_values, pdf_pages_text


def _reprint_text(cli: Cli, kind: str, code: str, tmp_path: Path) -> str:
    target = tmp_path / f"{kind}.pdf"
    result = cli("print", kind, code, "--pdf", str(target))
    assert result.returncode == 0, result.stderr
    return " ".join(pdf_pages_text(target.read_bytes()))


def test_correct_a_misspelt_name(tmp_path: Path, config_path: Path, cli: Cli) -> None:
    """`counter dossier correct` records old and new values with the reason, audited, queued for sync,
    and the reprinted declaration shows the corrected name."""
    ctx = open_context(config_path)
    code = birth_dossier(ctx, MOTHER_PAYLOAD).code
    ctx.close()
    result = cli("dossier", "correct", code, "--set", "child_name=Trần Minh Khôi Nguyên",
                 "--reason", "Gõ sai tên trẻ", "--json")
    assert result.returncode == 0, result.stderr
    detail = json.loads(result.stdout)
    assert detail["values"]["child_name"] == "Trần Minh Khôi Nguyên"
    correction = detail["events"][-1]
    assert correction["type"] == "field_corrected" and not correction["synced"]
    assert correction["changes"] == {"child_name": {"old": "Trần Minh Khôi", "new": "Trần Minh Khôi Nguyên"}}
    assert correction["reason"] == "Gõ sai tên trẻ"
    ctx = open_context(config_path)
    with ctx.store.read() as session:
        audit_rows = session.exec(select(AuditEntry).where(AuditEntry.action == "correct")).all()
        event = session.exec(select(DossierEvent).where(DossierEvent.type == "field_corrected")).one()
    ctx.close()
    assert [(a.clerk, a.subject_ref, a.detail) for a in audit_rows] == [
        (CLERK_NAME, code, "child_name: Gõ sai tên trẻ")]
    assert json.loads(event.payload_json)["old_values"] == {"child_name": "Trần Minh Khôi"}
    assert "Trần Minh Khôi Nguyên" in _reprint_text(cli, "form", code, tmp_path)


def test_a_correction_is_checked_again(config_path: Path, cli: Cli) -> None:
    """A correction that breaks a field check or a rule, has no reason, or would make the birth late is
    refused in one sentence and changes nothing."""
    ctx = open_context(config_path)
    dossier = birth_dossier(ctx, MOTHER_PAYLOAD)
    ctx.close()
    cases = [
        (["--set", "child_birth_date=31/11/2026", "--reason", "sai ngày"], "Ngày không hợp lệ"),
        (["--set", "child_birth_date=01/01/2000", "--reason", "sai ngày"], "Mẹ Nguyễn Thị Mai Anh (sinh năm 2005) "
                                                                         "phải lớn tuổi hơn"),
        (["--set", "child_name=Trần Minh An", "--reason", " "], "Cần ghi lý do"),
        (["--set", "child_name=Trần Minh Khôi", "--reason", "x"], "giống giá trị đang có"),
        (["--set", "nickname=Bi", "--reason", "x"], "nickname: Mẫu tờ khai không có trường này"),
    ]
    for args, sentence in cases:
        result = cli("dossier", "correct", dossier.code, *args)
        assert result.returncode == 1 and sentence.lower() in result.stderr.lower(), (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1
    late = (dossier.received_at.replace(year=dossier.received_at.year - 1)).strftime("%d/%m/%Y")
    result = cli("dossier", "correct", dossier.code, "--set", f"child_birth_date={late}", "--reason", "x")
    assert result.returncode == 1 and "sang “Đăng ký khai sinh quá hạn”" in result.stderr
    shown = json.loads(cli("dossier", "show", dossier.code, "--json").stdout)
    assert [e["type"] for e in shown["events"]] == ["received"]


def test_closed_dossiers_are_not_corrected(config_path: Path, cli: Cli) -> None:
    """Once refused (closed), a dossier is a record: no correction."""
    ctx = open_context(config_path)
    code = birth_dossier(ctx, MOTHER_PAYLOAD).code
    ctx.close()
    refused = cli("dossier", "status", code, "refused", "--reason", "Không đủ giấy tờ")
    assert refused.returncode == 0
    result = cli("dossier", "correct", code, "--set", "child_name=Trần An", "--reason", "x")
    assert result.returncode == 1 and "chỉ sửa được hồ sơ đang giải quyết" in result.stderr


def test_a_dossier_keeps_its_form_version(tmp_path: Path) -> None:
    """A province's own form (in [storage].forms_dir): after its file is edited, and after it is removed, an
    old dossier reprints with its own version; `forms show --json` and `dossier show --json` agree."""
    forms_dir = tmp_path / "forms"
    forms_dir.mkdir()
    path = forms_dir / "khai-sinh-tinh.toml"
    path.write_text((REPO / "forms" / "khai-sinh.toml").read_text(encoding="utf-8")
                    .replace('id = "khai-sinh"', 'id = "khai-sinh-tinh"'), encoding="utf-8")
    config = write_config(tmp_path / "c", extra='\n[forms]\nprocedure_codes = { "khai-sinh-tinh" = "1.001193" }\n')
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[storage]", f'[storage]\nforms_dir = "{forms_dir}"'), encoding="utf-8")
    cli = signed_in(config)
    form_json = json.loads(cli("forms", "show", "khai-sinh-tinh", "--json").stdout)
    assert form_json["procedure_code"] == "1.001193" and len(form_json["sha256"]) == 64
    ctx = open_context(config)
    received = (ctx.now() - timedelta(days=3)).replace(hour=9, minute=15, second=0)
    mother = identity.parse(MOTHER_PAYLOAD)
    draft = DossierDraft("khai-sinh-tinh", {"requester": mother, "mother": mother}, birth_values(received))
    code = create_dossier(ctx, draft, "Lan", received_at=received).code
    ctx.close()
    shown = json.loads(cli("dossier", "show", code, "--json").stdout)
    assert (shown["form_version"], shown["form_sha256"]) == (form_json["version"], form_json["sha256"])
    assert "Mã thủ tục hành chính: 1.001193" in _reprint_text(cli, "receipt", code, tmp_path)

    path.write_text(path.read_text(encoding="utf-8").replace('label = "Quê quán"', 'label = "Quê gốc"')
                    .replace('version = "2"', 'version = "3"'), encoding="utf-8")
    edited = json.loads(cli("forms", "show", "khai-sinh-tinh", "--json").stdout)
    assert edited["version"] == "3" and edited["sha256"] != form_json["sha256"]
    declaration = _reprint_text(cli, "form", code, tmp_path)
    assert "Quê quán" in declaration and "Quê gốc" not in declaration

    path.unlink()
    assert cli("forms", "show", "khai-sinh-tinh").returncode == 1
    assert "Quê quán" in _reprint_text(cli, "form", code, tmp_path)
    corrected = cli("dossier", "correct", code, "--set", "child_hometown=Tỉnh Ninh Bình", "--reason", "đổi tỉnh")
    assert corrected.returncode == 0
    assert "Tỉnh Ninh Bình" in _reprint_text(cli, "form", code, tmp_path)


def test_dossiers_from_before_pinning_use_todays_form(config_path: Path) -> None:
    """A dossier saved before migration 10 (no form_sha256) still prints, with today's form file."""
    from sqlmodel import update

    from counter.documents.sources import load_sources
    from counter.store.models import Dossier

    ctx = open_context(config_path)
    try:
        code = birth_dossier(ctx, MOTHER_PAYLOAD).code
        with ctx.store.write() as session:
            session.exec(update(Dossier).where(Dossier.code == code).values(form_sha256="", form_version=""))
        with ctx.store.read() as session:
            src = load_sources(session, ctx.config.unit, ctx.forms, code)
    finally:
        ctx.close()
    assert src.form.sha256 == ctx.forms["khai-sinh"].sha256 and src.procedure.name == "Đăng ký khai sinh"
