"""Search through the people index: ranking (exact, prefix, rest; newest first), paging, ID and code."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta

from sqlmodel import select

from counter.citizens import identity
from counter.context import CounterContext
from counter.records.dossiers import DossierDraft, find
from counter.services.dossiers import create_dossier, search
from counter.store import AuditEntry
from tests.conftest import VALID_PAYLOAD, Cli

VALUES = {"subject_ethnicity": "Kinh", "subject_nationality": "Việt Nam",
          "marital_status": "Chưa đăng ký kết hôn", "purpose": "Để đăng ký kết hôn"}
START = datetime(2026, 11, 24, 8, 0)


def person_dossier(ctx: CounterContext, name: str, id_number: str, minutes: int) -> str:
    """Save a marital-status request for a person called `name`, `minutes` after START; returns its code."""
    person = replace(identity.parse(VALID_PAYLOAD), full_name=name, id_number=id_number)
    draft = DossierDraft("xac-nhan-tinh-trang-hon-nhan", {"subject": person}, dict(VALUES))
    return create_dossier(ctx, draft, "Lan", received_at=START + timedelta(minutes=minutes)).code


def test_name_search_ranks_exact_then_prefix_then_rest_newest_first(ctx: CounterContext) -> None:
    """“nguyen van an” lists the exact names (newest first), then “Nguyễn Văn Anh”, then other word matches."""
    older_exact = person_dossier(ctx, "Nguyễn Văn An", "001090000001", 1)
    rest = person_dossier(ctx, "Trần Nguyễn Văn An", "001090000002", 2)
    prefix = person_dossier(ctx, "Nguyễn Văn Anh", "001090000003", 3)
    newer_exact = person_dossier(ctx, "NGUYỄN VĂN AN", "001090000004", 4)
    person_dossier(ctx, "Nguyễn Thị Bình", "001090000005", 5)
    with ctx.store.read() as session:
        assert [d.code for d in find(session, "nguyen van an")] == [newer_exact, older_exact, prefix, rest]
        assert [d.code for d in find(session, "Nguyễn  Văn")] == [newer_exact, prefix, older_exact, rest]
        assert [d.code for d in find(session, "van an")] == [newer_exact, prefix, rest, older_exact]
        assert find(session, "nguyen van binh") == []
        assert find(session, "  ") == [] and find(session, "“”") == []


def test_id_number_and_code_use_the_index(ctx: CounterContext) -> None:
    """A 12-digit ID number finds every dossier of that person; a code or its tail finds the dossier."""
    first = person_dossier(ctx, "Lê Thị Hoa", "001090000011", 1)
    second = person_dossier(ctx, "Lê Thị Hoa", "001090000011", 2)
    other = person_dossier(ctx, "Lê Văn Hải", "001090000012", 3)
    with ctx.store.read() as session:
        assert [d.code for d in find(session, "001090000011")] == [second, first]
        assert [d.code for d in find(session, other)] == [other]
        assert [d.code for d in find(session, other[-11:])] == [other]
        assert [d.code for d in find(session, "-0001")] == [first]


def test_search_pages_and_audits(ctx: CounterContext) -> None:
    """Five matches at two a page: pages 1–3 with `more` until the last; each search is audited, ID masked."""
    codes = [person_dossier(ctx, "Phạm Minh Tuấn", f"00109000002{i}", i) for i in range(5)]
    pages = [search(ctx, "pham minh", "Lan", page, 2) for page in (1, 2, 3, 4)]
    assert [[d.code for d in p.dossiers] for p in pages] == [codes[4:2:-1], codes[2:0:-1], codes[:1], []]
    assert [p.more for p in pages] == [True, True, False, False]
    search(ctx, "001090000020", "Lan")
    with ctx.store.read() as session:
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "search")).all()
    assert len(entries) == 5 and entries[-1].detail == "001******020" and entries[-1].clerk == "Lan"


def test_cli_find(ctx: CounterContext, cli: Cli) -> None:
    """`counter dossier find` prints a ranked page as JSON with masked IDs, and refuses a bad page."""
    code = person_dossier(ctx, "Đỗ Thị Thu", "001090000031", 1)
    person_dossier(ctx, "Đỗ Văn Nam", "001090000032", 2)
    result = cli("dossier", "find", "do thi thu", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert [d["code"] for d in data["dossiers"]] == [code] and data["more"] is False
    assert data["dossiers"][0]["applicant_id"] == "001******031"
    text = cli("dossier", "find", "do", "--per-page", "1")
    assert text.returncode == 0 and "Còn nữa" in text.stdout and "001090000032" not in text.stdout
    bad = cli("dossier", "find", "do", "--page", "0")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1
