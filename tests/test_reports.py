"""Report figures, the queue and stuck work checked against a known month (tests/supervisor_month.py)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from counter.context import CounterContext, open_context
from counter.law import lifecycle
from counter.law.workdays import WorkCalendar, package_days_off
from counter.reporting import figures, reports
from counter.reporting.report_export import to_csv, to_text, write_xlsx
from counter.store import figures as figure_rows
from tests.conftest import signed_in, write_config
from tests.supervisor_month import AN, BINH, CT, CT01, NO_HOLIDAYS, XN, at, build, second_counter

NOW = datetime(2026, 11, 24, 10, 0)
Month = tuple[CounterContext, dict[str, str]]


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[CounterContext, dict[str, str]]]:
    """One database holding the known month, shared by the read-only tests of this module."""
    config = write_config(tmp_path_factory.mktemp("month"), extra=NO_HOLIDAYS)
    ctx = open_context(config)
    calendar = WorkCalendar(ctx.config.hours, ctx.config.calendar)
    assert all(calendar.is_workday(day) for day in package_days_off(2026) if day.weekday() < 5), \
        "the expected figures assume no holidays"
    codes = build(ctx)
    yield ctx, codes
    ctx.close()


def figures_of(ctx: CounterContext, period: figures.Period, now: datetime = NOW) -> figures.Report:
    """The report of a period as the screens and CLI compute it."""
    with ctx.store.connection() as conn:
        return figures.compute(conn, period, now)


def test_due_dates_of_the_known_month(month: Month) -> None:
    """The hand-derived due dates hold (so the figures below rest on the right deadlines)."""
    ctx, codes = month
    expected = {"D1": "2026-03-04 17:00", "D2": "2026-03-03 17:00", "D4": "2026-03-06 17:00",
                "D6": "2026-03-03 17:00", "D7": "2026-03-16 17:00", "D11": "2026-04-07 17:00",
                "D13": "2026-04-02 17:00", "D15": "2026-03-31 17:00"}
    with ctx.store.read() as session:
        from counter.records.dossiers import get_dossier

        for name, due in expected.items():
            assert get_dossier(session, codes[name]).due_at == at(due), name


def test_monthly_totals(month: Month) -> None:
    """Every total of March 2026 matches the hand count, and the rate follows domain.md §4.4."""
    ctx, _ = month
    report = figures_of(ctx, figures.Period.month(2026, 3))
    assert report.as_of == datetime(2026, 4, 1)
    assert report.total.to_json() == {
        "received": 10, "carried_over": 3, "to_handle": 13, "finished": 6, "early": 1, "on_time": 3,
        "late_finished": 2, "returned": 3, "refused": 1, "withdrawn": 1, "in_progress": 5,
        "late_in_progress": 3, "overdue": 3, "rescheduled": 1, "outside_unit": 0, "on_time_rate": round(8 / 13, 4),
        "digitised_components": 0, "reused_components": 0, "digitised_results": 0,
        "digitised_components_share": 0.0, "reused_components_share": 0.0, "digitised_results_share": 0.0,
    }


def test_monthly_by_clerk_and_procedure(month: Month) -> None:
    """The groups add up to the totals and each matches its hand count."""
    ctx, _ = month
    report = figures_of(ctx, figures.Period.month(2026, 3))
    an, binh = report.by_clerk[AN], report.by_clerk[BINH]
    assert (an.received, an.carried_over, an.finished) == (5, 1, 4)
    assert (an.early, an.on_time, an.late_finished) == (1, 2, 1)
    assert (an.returned, an.in_progress, an.late_in_progress, an.rescheduled) == (2, 2, 0, 1)
    assert an.on_time_rate == pytest.approx(5 / 6)
    assert (binh.received, binh.carried_over, binh.finished, binh.on_time) == (5, 2, 2, 1)
    assert (binh.late_finished, binh.returned, binh.refused, binh.withdrawn) == (1, 1, 1, 1)
    assert (binh.in_progress, binh.late_in_progress) == (3, 3)
    assert binh.on_time_rate == pytest.approx(3 / 7)
    xn, ct01, ct = (report.by_procedure[k] for k in (XN, CT01, CT))
    assert (xn.to_handle, xn.finished, xn.late_finished) == (6, 3, 1)
    assert (xn.in_progress, xn.late_in_progress) == (2, 1)
    assert (xn.withdrawn, xn.rescheduled, xn.returned) == (1, 1, 1)
    assert xn.on_time_rate == pytest.approx(4 / 6)
    assert (ct01.received, ct01.carried_over, ct01.late_finished, ct01.in_progress) == (1, 2, 1, 2)
    assert ct01.on_time_rate == pytest.approx(1 / 3)
    assert (ct.received, ct.finished, ct.on_time, ct.refused, ct.late_in_progress) == (4, 2, 2, 1, 1)
    assert ct.on_time_rate == pytest.approx(3 / 4)
    for groups in (report.by_clerk, report.by_procedure):
        total = figures.Figures()
        for group in groups.values():
            total.add(group)
        assert total == report.total


def test_next_month_carries_over_and_judges_late_finishes(month: Month) -> None:
    """April: what was open at the end of March is carried over; D15 finished late, D13 early."""
    ctx, _ = month
    april = figures_of(ctx, figures.Period.month(2026, 4)).total
    assert (april.received, april.carried_over, april.finished) == (1, 5, 2)
    assert (april.early, april.late_finished) == (1, 1)
    assert (april.in_progress, april.late_in_progress) == (4, 4)


def test_month_in_progress_is_judged_now(month: Month) -> None:
    """Asked on 18 March at noon, the month so far: only what happened by then counts."""
    ctx, _ = month
    report = figures_of(ctx, figures.Period.month(2026, 3), now=at("2026-03-18 12:00"))
    total = report.total
    assert report.as_of == at("2026-03-18 12:00")
    assert (total.received, total.carried_over, total.finished, total.early, total.on_time) == (4, 3, 6, 1, 3)
    assert (total.late_finished, total.in_progress, total.late_in_progress, total.returned) == (2, 1, 1, 3)
    assert total.on_time_rate == pytest.approx(1 - 3 / 7)


def test_daily_figures(month: Month) -> None:
    """2 March: two received, three carried in, one finished on time, two results handed over."""
    ctx, _ = month
    day = figures_of(ctx, figures.Period.day(date(2026, 3, 2))).total
    assert (day.received, day.carried_over, day.finished, day.on_time, day.returned) == (2, 3, 1, 1, 2)
    assert (day.in_progress, day.late_in_progress, day.on_time_rate) == (4, 0, 1.0)
    empty = figures_of(ctx, figures.Period.day(date(2026, 3, 1))).total
    assert empty.received == 0 and empty.on_time_rate == pytest.approx(1.0)
    nothing = figures_of(ctx, figures.Period.day(date(2025, 1, 6))).total
    assert nothing.to_handle == 0 and nothing.on_time_rate is None


def test_queue_of_a_day_and_filters(month: Month) -> None:
    """The queue lists the day's dossiers with masked IDs; filters narrow it."""
    ctx, codes = month
    with ctx.store.read() as session:
        rows = reports.queue(session, date(2026, 3, 2), NOW, ctx.calendar)
        assert [r.code for r in rows] == [codes["D5"], codes["D6"]]
        assert all("*" in r.applicant_id and r.counter == "Q1" and not r.synced for r in rows)
        assert rows[0].returned_to == "Người nhận D5" and rows[0].status == lifecycle.RETURNED
        assert [r.code for r in reports.queue(session, date(2026, 3, 2), NOW, ctx.calendar, clerk=BINH)] == [
            codes["D6"]]
        assert reports.queue(session, date(2026, 3, 2), NOW, ctx.calendar, form_id=XN) == []
        assert reports.queue(session, date(2026, 3, 2), NOW, ctx.calendar, counter="Q9") == []
        done = reports.queue(session, date(2026, 3, 2), NOW, ctx.calendar, status=lifecycle.DONE)
        assert [r.code for r in done] == [codes["D6"]]


def test_open_queue_highlights_overdue_and_due_soon(month: Month) -> None:
    """At the end of 31 March: D4, D12, D15 overdue; D13 due on the next working day; D11 neither."""
    ctx, codes = month
    with ctx.store.read() as session:
        rows = reports.queue(session, date(2026, 3, 31), NOW, ctx.calendar, scope=reports.QUEUE_OPEN)
        states = {r.code: r.deadline for r in rows}
        overdue = reports.queue(session, date(2026, 3, 31), NOW, ctx.calendar, scope=reports.QUEUE_OPEN,
                                status="overdue")
    by_name = {name: states.get(code) for name, code in codes.items() if code in states}
    assert by_name == {"D4": "overdue", "D12": "overdue", "D15": "overdue", "D13": "due_soon", "D11": ""}
    assert {r.code for r in overdue} == {codes["D4"], codes["D12"], codes["D15"]}
    assert [r.code for r in rows][:1] == [codes["D4"]], "the open queue is ordered by due date"


def test_stuck_work(ctx: CounterContext) -> None:
    """Unsent dossiers with their wait, quarantined events, and a counter that went quiet."""
    codes = build(ctx)
    other = second_counter(ctx)
    try:
        other_code = build_one(other)
        with ctx.store.write() as session:
            session.connection().execute(text(
                "UPDATE dossier_event SET synced_at = '2026-04-01 12:00:00.000000' WHERE dossier_code = :c"),
                {"c": codes["D1"]})
            session.connection().execute(text(
                "UPDATE dossier_event SET quarantine_reason = 'Sai mã thủ tục' WHERE dossier_code = :c"),
                {"c": codes["D3"]})
        with ctx.store.read() as session:
            work = reports.stuck_work(session, at("2026-04-01 10:00"), ctx.calendar)
    finally:
        other.close()
    unsent = {u.code: u for u in work.unsent}
    assert codes["D1"] not in unsent and codes["D3"] not in unsent
    assert unsent[codes["D2"]].pending_events == 4
    assert unsent[codes["D2"]].oldest_at == at("2026-02-20 10:00")
    assert work.unsent[0].code == other_code, "the longest-waiting dossier comes first"
    assert {q.code for q in work.quarantined} == {codes["D3"]}
    assert all(q.reason == "Sai mã thủ tục" for q in work.quarantined)
    seen = {c.counter: c for c in work.counters}
    assert seen["Q2"].silent and seen["Q2"].last_event_at == at("2026-02-02 09:00")
    assert not seen["Q1"].silent
    assert json.loads(json.dumps(work.to_json()))["quarantined"][0]["reason"] == "Sai mã thủ tục"
    assert reports.waited(unsent[codes["D2"]].waiting) == "40 ngày 0 giờ"


def build_one(ctx: CounterContext) -> str:
    """One dossier from the second counter, received long ago."""
    import random

    from counter.services.demo import demo_draft
    from counter.services.dossiers import create_dossier

    draft = demo_draft(ctx.forms[CT], random.Random(7), date(2026, 2, 2))
    return create_dossier(ctx, draft, "Chi", received_at=at("2026-02-02 09:00")).code


def test_exports_agree(month: Month, tmp_path: Path) -> None:
    """Text, CSV, JSON and XLSX carry the same numbers."""
    ctx, _ = month
    report = figures_of(ctx, figures.Period.month(2026, 3))
    titles = {f.id: f.title for f in ctx.forms.values()}
    assert "61,5 %" in to_text(report, titles) and figures.FORMULA in to_text(report, titles)
    exported = to_csv(report, titles)
    assert exported.startswith("\ufeffscope,"), "Excel needs the UTF-8 BOM to show Vietnamese"
    rows = list(csv.DictReader(io.StringIO(exported.removeprefix("\ufeff"))))
    assert rows[0]["scope"] == "total" and rows[0]["received"] == "10" and rows[0]["on_time_rate"] == "0.6154"
    assert {r["key"] for r in rows if r["scope"] == "clerk"} == {AN, BINH}
    data = report.to_json(titles)
    assert data["by_procedure"][0]["title"] == titles[data["by_procedure"][0]["procedure"]]
    path = tmp_path / "m.xlsx"
    write_xlsx(report, titles, path)
    book = load_workbook(path)
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True) if len(row) > 1}
    assert summary["Tiếp nhận trong kỳ"] == 10
    assert summary["Tỉ lệ đúng hạn"] == pytest.approx(0.6154)
    clerks = [row for row in book["Theo cán bộ"].iter_rows(values_only=True)][1:]
    assert {row[0] for row in clerks} == {AN, BINH}


def test_report_cli(month: Month, tmp_path: Path) -> None:
    """`counter report monthly` prints the same figures as JSON, CSV, XLSX and text, and logs the export."""
    ctx, _ = month
    cli = signed_in(Path(str(ctx.config.source)), supervisor=True)
    result = cli("report", "monthly", "--month", "2026-03", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key, value in {"received": 10, "finished": 6, "returned": 3, "in_progress": 5, "overdue": 3,
                       "on_time_rate": 0.6154}.items():
        assert data[key] == value
    assert {c["clerk"] for c in data["by_clerk"]} == {AN, BINH}
    assert {p["procedure"] for p in data["by_procedure"]} == {XN, CT01, CT}
    csv_out = cli("report", "daily", "--date", "2026-03-02", "--csv")
    assert csv_out.stdout.splitlines()[1].startswith("total,,Tổng,2,3,1,0,1,0,2,")
    xlsx = tmp_path / "out.xlsx"
    saved = cli("report", "monthly", "--month", "2026-03", "--xlsx", str(xlsx))
    assert saved.returncode == 0 and xlsx.exists()
    shown = cli("report", "monthly", "--month", "2026-03")
    assert "Tỉ lệ đúng hạn" in shown.stdout and "61,5 %" in shown.stdout
    bad = cli("report", "monthly", "--month", "2026-13")
    assert bad.returncode == 1 and "tham số --month: cần dạng YYYY-MM" in bad.stderr
    log = cli("audit", "--action", "export", "--json")
    assert {e["detail"] for e in json.loads(log.stdout)} >= {"json", "csv", "xlsx"}


def test_report_by_index_counts_long_running_and_only_touching_dossiers(ctx: CounterContext) -> None:
    """A dossier suspended for months is carried over into a late day (found by the long-running index);
    one finished within days of its receipt long ago is not; the plan reads indexes, never the whole table."""
    from tests.test_search import person_dossier

    with_long = person_dossier(ctx, "Lê Văn Lâu", "001090000041", 0)
    short = person_dossier(ctx, "Lê Văn Nhanh", "001090000042", 1)
    lifecycle_at = datetime(2026, 11, 24, 10, 0)
    from counter.services.dossiers import change_status

    change_status(ctx, with_long, lifecycle.PROCESSING, "Lan", at=lifecycle_at)
    change_status(ctx, with_long, lifecycle.SUSPENDED, "Lan", "Chờ xác minh", at=lifecycle_at)
    change_status(ctx, short, lifecycle.PROCESSING, "Lan", at=lifecycle_at)
    change_status(ctx, short, lifecycle.DONE, "Lan", at=datetime(2026, 11, 25, 9, 0))
    later = date(2027, 3, 3)
    with ctx.store.connection() as conn:
        report = figures.daily(conn, later, datetime(2027, 3, 4, 9, 0))
        assert (report.total.carried_over, report.total.received, report.total.finished) == (1, 0, 0)
        plan = " ".join(str(row[3]) for row in conn.execute(
            "EXPLAIN QUERY PLAN " + figure_rows.FIGURES, figure_rows.figure_params(
                datetime(2027, 3, 3), datetime(2027, 3, 4), 0)))
    assert "ix_dossier_long_running" in plan and "ix_dossier_received_at" in plan
    assert "SCAN dossier" not in plan
