"""Ratings on a real database: one per dossier, tokens bound, expiring and used once; the month's figures."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import select

from counter.context import CounterContext
from counter.errors import ConfigError
from counter.ratings.tokens import RatingRefused
from counter.services import ratings
from counter.settings.display import parse_display, parse_ratings
from counter.store.models import DossierEvent, RatingToken
from tests.conftest import MOTHER_PAYLOAD, signed_in
from tests.documents_helpers import CLERK, birth_dossier


def rated_events(ctx: CounterContext) -> list[DossierEvent]:
    with ctx.store.read() as session:
        return list(session.exec(select(DossierEvent).where(DossierEvent.type == "rated")))


def refusal(call: object, *args: object) -> tuple[int, str]:
    with pytest.raises(RatingRefused) as caught:
        call(*args)  # type: ignore[operator]
    return caught.value.status, caught.value.message


def test_bad_ratings_are_one_sentence_each_and_store_nothing(ctx: CounterContext,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = birth_dossier(ctx, MOTHER_PAYLOAD), birth_dossier(ctx, MOTHER_PAYLOAD)
    token = ratings.issue(ctx, first.code, CLERK)
    assert refusal(ratings.rate, ctx, first.code, token, 4, [], "display", CLERK)[0] == 400
    assert refusal(ratings.rate, ctx, first.code, token, 2, ["Không có lý do này"], "display", CLERK) == (
        400, "Lý do đánh giá phải chọn trong danh sách có sẵn.")
    assert refusal(ratings.rate, ctx, second.code, token, 2, [], "display", CLERK) == (
        403, "Mã đánh giá này không dành cho hồ sơ này.")
    assert refusal(ratings.rate, ctx, first.code, "không-phải-mã", 2, [], "display", CLERK)[0] == 403
    assert refusal(ratings.rate, ctx, "000.00.36.H40-000000-0001", token, 2, [], "display", CLERK)[0] == 404
    later = ctx.now() + timedelta(minutes=11)
    monkeypatch.setattr(ctx, "now", lambda: later)
    assert refusal(ratings.rate, ctx, first.code, token, 2, [], "display", CLERK) == (410, "Mã đánh giá đã hết hạn.")
    assert rated_events(ctx) == []
    fresh = ratings.issue(ctx, first.code, CLERK)
    ratings.rate(ctx, first.code, fresh, "1", ["Phải chờ lâu", "Phải chờ lâu"], "display", CLERK)
    (event,) = rated_events(ctx)
    assert json.loads(event.payload_json) == {"level": 1, "reasons": ["Phải chờ lâu"], "via": "display",
                                              "served_by": CLERK}
    assert refusal(ratings.issue, ctx, first.code, CLERK) == (409, "Hồ sơ này đã được đánh giá.")
    with ctx.store.read() as session:
        hashes = [t.token_hash for t in session.exec(select(RatingToken))]
    assert fresh not in hashes and all(len(h) == 64 for h in hashes)


def test_display_and_ratings_configuration() -> None:
    assert parse_display("x.toml", {}).host == "127.0.0.1"
    with pytest.raises(ConfigError, match=r"\[display\].port"):
        parse_display("x.toml", {"port": 0})
    with pytest.raises(ConfigError, match=r"\[ratings\].reasons"):
        parse_ratings("x.toml", {"reasons": [""]})
    with pytest.raises(ConfigError, match=r"\[ratings\].colour"):
        parse_ratings("x.toml", {"colour": "red"})


def test_report_satisfaction_as_csv_and_xlsx(ctx: CounterContext, config_path: Path, tmp_path: Path) -> None:
    dossiers = [birth_dossier(ctx, MOTHER_PAYLOAD) for _ in range(3)]
    for dossier, level in zip(dossiers, (3, 1), strict=False):
        ratings.rate(ctx, dossier.code, ratings.issue(ctx, dossier.code, CLERK), level, [], "keypad", CLERK)
    month = dossiers[0].received_at.strftime("%Y-%m")
    cli = signed_in(config_path, supervisor=True)
    text = cli("report", "satisfaction", "--month", month).stdout
    assert "2 đánh giá (Rất hài lòng 1, Hài lòng 0, Không hài lòng 1), tỉ lệ hài lòng 50,0 %" in text
    assert "= (1 + 0) / 2 = 50,0 %" in text
    rows = cli("report", "satisfaction", "--month", month, "--csv").stdout.lstrip("\ufeff").splitlines()
    assert rows[0] == "scope,key,name,rated,level_3,level_2,level_1,satisfaction_rate,not_rated"
    assert rows[1] == "total,,Tổng,2,1,0,1,0.5,1" and rows[2] == f"clerk,{CLERK},{CLERK},2,1,0,1,0.5,1"
    book = tmp_path / "hai-long.xlsx"
    assert cli("report", "satisfaction", "--month", month, "--xlsx", str(book)).returncode == 0
    sheet = load_workbook(book).worksheets[0]
    assert [c.value for c in sheet[2]] == ["total", None, "Tổng", 2, 1, 0, 1, 0.5, 1]
    assert cli("report", "satisfaction", "--month", "2026-13").returncode == 1
