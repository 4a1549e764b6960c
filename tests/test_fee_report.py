"""`counter report fees`: totals by method, procedure, clerk and day; exempt and unpaid; the total is always
the payments less the refunds (hypothesis, over the real store)."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from counter.context import CounterContext, open_context
from counter.services.fees import fee_report, pay, refund
from tests.conftest import SUPERVISOR_NAME, make_accounts, signed_in, write_config
from tests.fee_helpers import CLERK, copy_dossier, marital_dossier

DAYS = itertools.count()
PAYMENT = st.tuples(st.integers(1, 300), st.integers(1, 5), st.sampled_from(["cash", "transfer"]), st.booleans())


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CounterContext]:
    """One counter for every example (a fresh one each would dominate the run); days keep examples apart."""
    config = write_config(tmp_path_factory.mktemp("report"))
    make_accounts(config)
    ctx = open_context(config)
    yield ctx
    ctx.close()


@settings(max_examples=25, deadline=None)
@given(payments=st.lists(PAYMENT, min_size=1, max_size=6))
def test_total_is_payments_less_refunds(shared: CounterContext, payments: list[tuple[int, int, str, bool]]) -> None:
    """Whatever is paid and refunded on a day, the report's total, its methods, clerks and days all sum to
    the payments less the refunds."""
    ctx = shared
    day = date(2027, 1, 4) + timedelta(days=next(DAYS))
    expected = 0
    for minute, (pages, copies, method, refunded) in enumerate(payments):
        at = datetime.combine(day, datetime.min.time()) + timedelta(hours=8, minutes=minute)
        dossier = pay(ctx, copy_dossier(ctx, pages, copies, at=at).code, method, CLERK, at=at)
        amount = json.loads(dossier.payment_json)["amount"]
        expected += amount
        if refunded:
            refund(ctx, dossier.code, "Thu nhầm", SUPERVISOR_NAME, at=at + timedelta(seconds=30))
            expected -= amount
    report = fee_report(ctx, SUPERVISOR_NAME, day=day)
    assert report.total == expected
    assert sum(t.amount for t in report.by_method.values()) == expected
    assert sum(t.amount for t in report.by_clerk.values()) == expected
    assert sum(report.daily.values()) == expected
    assert report.paid.count == len(payments)
    assert report.refunded.count == sum(refunded for *_, refunded in payments)


def test_report_fees_cli(tmp_path: Path) -> None:
    """A day's report by method, procedure and clerk, the exempt (amount waived) and the unpaid dossiers;
    JSON, CSV with a BOM and XLSX; a clerk may not read it."""
    config = write_config(tmp_path / "c")
    ctx = open_context(config)
    paid = copy_dossier(ctx, pages=3, copies=2)
    unpaid = marital_dossier(ctx)
    marital_dossier(ctx, exemption="khuyet-tat")
    pay(ctx, paid.code, "cash", CLERK)
    ctx.close()
    supervisor = signed_in(config, supervisor=True)
    result = supervisor("report", "fees", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["total"] == 10_000 and data["by_method"] == {"cash": {"count": 1, "amount": 10_000}}
    assert data["by_procedure"]["chung-thuc-ban-sao"]["amount"] == 10_000
    assert data["by_clerk"] == {CLERK: {"count": 1, "amount": 10_000}}
    assert data["exempt"] == {"count": 1, "amount": 15_000}
    assert data["unpaid"] == {"count": 1, "amount": 15_000, "dossiers": [unpaid.code]}
    csv = supervisor("report", "fees", "--csv").stdout
    assert csv.startswith("\ufeffsection,key,label,count,amount") and "Tiền mặt,1,10000" in csv
    xlsx = tmp_path / "fees.xlsx"
    assert supervisor("report", "fees", "--xlsx", str(xlsx)).returncode == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx)["Phí, lệ phí"]
    assert [c.value for c in sheet[2]] == ["total", None, "Tổng thu (đã trừ hoàn trả)", 1, 10_000]
    month = tmp_path / "thang.xlsx"
    made = supervisor("report", "fees", "--month", f"{paid.received_at:%Y-%m}", "--out", str(month))
    assert made.returncode == 0 and str(month) in made.stdout, made.stderr
    assert load_workbook(month).sheetnames == ["Phí, lệ phí", "Thu theo ngày"]
    text = supervisor("report", "fees").stdout
    assert "Tổng thu (đã trừ hoàn trả): 10.000 đ" in text
    clerk = signed_in(config)
    assert clerk("report", "fees").returncode == 1


def test_the_monthly_report_carries_the_fee_totals_and_draws_the_days(tmp_path: Path) -> None:
    """`report monthly` gains `fees` (JSON), a `fee_total` column (CSV), fee lines (text) and, in the
    workbook, the fee figures and a bar chart of the takings of each day; the month's fee text draws them."""
    import csv
    import zipfile

    from openpyxl import load_workbook

    from counter.reporting import fee_export, figures, report_export

    ctx = open_context(write_config(tmp_path / "c"))
    try:
        first, third = datetime(2026, 11, 3, 9), datetime(2026, 11, 5, 9)
        pay(ctx, copy_dossier(ctx, pages=3, copies=2, at=first).code, "cash", CLERK, at=first)
        pay(ctx, copy_dossier(ctx, pages=1, copies=2, at=third).code, "transfer", CLERK, at=third)
        unpaid = marital_dossier(ctx, at=third)
        marital_dossier(ctx, exemption="khuyet-tat", at=third)
        with ctx.store.connection() as conn:
            report = figures.monthly(conn, 2026, 11, datetime(2026, 12, 1), 0)
        titles = {f.id: f.title for f in ctx.forms.values()}
    finally:
        ctx.close()
    fees = report.to_json(titles)["fees"]
    assert fees["total"] == 14_000 and fees["by_method"] == {"cash": {"count": 1, "amount": 10_000},
                                                             "transfer": {"count": 1, "amount": 4_000}}
    assert fees["exempt"] == {"count": 1, "amount": 15_000}
    assert fees["unpaid"] == {"count": 1, "amount": 15_000, "dossiers": [unpaid.code]}
    assert (fees["daily"]["2026-11-03"], fees["daily"]["2026-11-05"], len(fees["daily"])) == (10_000, 4_000, 30)
    table = list(csv.reader(report_export.to_csv(report, titles).removeprefix("\ufeff").splitlines()))
    assert table[0][-1] == "fee_total"
    by_key = {row[1]: row[-1] for row in table[1:]}
    assert (by_key[""], by_key["chung-thuc-ban-sao"], by_key["xac-nhan-tinh-trang-hon-nhan"]) == ("14000", "14000", "0")
    text = report_export.to_text(report, titles)
    assert "14.000 đ (tiền mặt 10.000 đ, chuyển khoản 4.000 đ)" in text and "15.000 đ (1 hồ sơ)" in text
    chart = fee_export.daily_chart(report.fees)  # type: ignore[arg-type]
    assert chart[2] == "T3 03/11 " + "█" * fee_export.BAR_WIDTH + "      10.000 đ"
    assert chart[4].startswith("T5 05/11 " + "█" * 14 + " ") and chart[3].startswith("T4 04/11 · ")
    assert fee_export.CHART_TITLE in fee_export.to_text(report.fees, titles)  # type: ignore[arg-type]
    path = tmp_path / "thang.xlsx"
    report_export.write_xlsx(report, titles, path)
    book = load_workbook(path)
    assert book.sheetnames == ["Tổng hợp", "Theo thủ tục", "Theo cán bộ", "Phí, lệ phí", "Thu theo ngày"]
    assert [c.value for c in book["Theo thủ tục"][1]][-1] == "Phí, lệ phí đã thu (đ)"
    assert [c.value for c in book["Thu theo ngày"][4]] == [datetime(2026, 11, 3), 10_000]
    with zipfile.ZipFile(path) as archive:
        assert any(name.startswith("xl/charts/chart") for name in archive.namelist())
