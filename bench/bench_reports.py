"""Time the supervisor's monthly report over a year of a busy commune, and the daily queue.

How the data is made: 50,000 dossiers over 12 months (about 200 a working day, 4 clerks, 2 counters).
Each dossier's events (received, status changes, sometimes a reschedule) are built in memory as real
`DossierEvent` rows, folded into the dossier row by the real projection (`counter.records.projection._fold`),
and both are bulk-inserted through the store's tables (SQLAlchemy executemany) in one transaction.
That is the same data `create_dossier`/`change_status` write, without one fsync per event.

Prints medians of several runs, and the ratio against a baseline measured in the same run (one full
scan of the dossier table reading a text column). Target: monthly report ≤ 100 ms.

Run: .venv/bin/python bench/bench_reports.py [--dossiers N] [--runs R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from counter.accounts import users
from counter.context import CounterContext, open_context
from counter.law import lifecycle
from counter.records.dossiers import dossier_code
from counter.records.ids import format_stamp, uuid7
from counter.records.projection import RECEIVED, RESCHEDULED, STATUS_CHANGED, _fold
from counter.reporting import figures, reports
from counter.reporting.report_export import to_text
from counter.services.demo import random_person
from counter.store.models import Dossier, DossierEvent
from counter.store.rows import driver

CONFIG = """
[unit]
code = "000.00.36.H40"
name = "UBND xã Hải Minh"
province = "Tỉnh Ninh Bình"

[counter]
id = "Q1"
sequence_first = 1
sequence_last = 4999

[storage]
data_dir = "{data_dir}"
"""
CLERKS = ("Nguyễn Thị Lan", "Trần Văn Hùng", "Lê Thị Hoa", "Phạm Quốc Huy")
COUNTERS = ("Q1", "Q2")


def _event(dossier_uuid: str, code: str, kind: str, payload: dict[str, Any], at: datetime, clerk: str,
           counter: str, synced: bool) -> DossierEvent:
    ms = int(at.timestamp() * 1000)
    return DossierEvent(
        id=uuid7(ms), dossier_uuid=dossier_uuid, dossier_code=code, unit_code="000.00.36.H40", type=kind,
        payload_json=json.dumps(payload, ensure_ascii=False), hlc=format_stamp(ms, 0, counter),
        occurred_at=at, clerk=clerk, counter_id=counter,
        synced_at=at + timedelta(minutes=5) if synced else None)


def _history(ctx: CounterContext, rng: random.Random, code: str, received: datetime, now: datetime,
             clerk: str, counter: str) -> list[DossierEvent]:
    """The events of one dossier: received, then a plausible path through the lifecycle up to now."""
    form = rng.choice(list(ctx.forms.values()))
    due = ctx.calendar.due_at(received, form.processing_days, form.cutoff_applies)
    person = random_person(rng, today=received.date())
    uuid = uuid7(int(received.timestamp() * 1000))
    synced_before = now - timedelta(days=2)
    payload = {"form_id": form.id, "received_day": received.date().isoformat(), "sequence": 0, "values": {},
               "people": {form.scan_roles[0].id: person.to_json()}, "received_at": received.isoformat(),
               "due_at": due.isoformat()}
    events = [_event(uuid, code, RECEIVED, payload, received, clerk, counter, received < synced_before)]

    def step(kind: str, body: dict[str, Any], at: datetime) -> None:
        if at < now:
            events.append(_event(uuid, code, kind, body, at, clerk, counter, at < synced_before))

    roll = rng.random()
    moment = received + timedelta(hours=1)
    if roll < 0.03:
        step(STATUS_CHANGED, {"from": "received", "to": lifecycle.REFUSED, "reason": "Thiếu hồ sơ"}, moment)
        return events
    if roll < 0.04:
        step(STATUS_CHANGED, {"from": "received", "to": lifecycle.WITHDRAWN, "reason": ""}, moment)
        return events
    step(STATUS_CHANGED, {"from": "received", "to": lifecycle.PROCESSING, "reason": ""}, moment)
    if rng.random() < 0.04:
        new_due = due + timedelta(days=3)
        body = {"old_due_at": due.isoformat(), "new_due_at": new_due.isoformat(), "reason": "Xác minh"}
        step(RESCHEDULED, body, moment + timedelta(minutes=30))
        due = new_due
    finish = due - timedelta(hours=rng.randint(0, 30)) if rng.random() < 0.85 else due + timedelta(
        hours=rng.randint(1, 72))
    finish = max(finish, moment + timedelta(minutes=10))
    step(STATUS_CHANGED, {"from": "processing", "to": lifecycle.DONE, "reason": ""}, finish)
    if rng.random() < 0.85:
        step(STATUS_CHANGED, {"from": "done", "to": lifecycle.RETURNED, "reason": "",
                              "receiver": person.full_name}, finish + timedelta(hours=rng.randint(1, 48)))
    return events


def generate(ctx: CounterContext, count: int, now: datetime, seed: int = 5) -> None:
    """Bulk-insert `count` dossiers received over the 12 months before `now`."""
    rng = random.Random(seed)
    span = (now.date() - timedelta(days=n) for n in range(365, -1, -1))
    days = [d for d in span if ctx.calendar.is_workday(d)]
    per_day = count / len(days)
    events: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    made = 0
    for index, day in enumerate(days):
        quota = round(per_day * (index + 1)) - made
        sequences = dict.fromkeys(COUNTERS, 0)
        for _ in range(quota):
            counter = rng.choice(COUNTERS)
            sequences[counter] += 1
            sequence = sequences[counter] + (0 if counter == "Q1" else 5000)
            received = datetime.combine(day, ctx.config.hours.opens) + timedelta(minutes=rng.randint(0, 540))
            received = min(received, now - timedelta(minutes=1))
            code = dossier_code("000.00.36.H40", day, sequence)
            history = _history(ctx, rng, code, received, now, rng.choice(CLERKS), counter)
            folded = _fold(history)
            assert folded is not None
            state = folded[0]
            state["sequence"] = sequence
            rows.append(state)
            events.extend(e.model_dump() for e in history)
        made += quota
    with ctx.store.write() as session:
        connection = session.connection()
        connection.execute(insert(DossierEvent), events)
        connection.execute(insert(Dossier), rows)
    print(f"generated {made} dossiers, {len(events)} events")


def median_ms(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median wall time of `runs` calls in milliseconds, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


async def tui_queue_ms(config: Path, day: date, runs: int) -> tuple[float, int]:
    """Median time from asking the queue tab for a day to its table being filled (headless Textual app)."""
    from textual.widgets import DataTable, Label

    from counter.config import load_config
    from counter.tui.app import CounterApp
    from counter.tui.supervisor.queue import QueuePane
    from counter.tui.supervisor.screen import SupervisorScreen

    app = CounterApp(load_config(config), clerk="Giám sát")
    times = []
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.push_screen(SupervisorScreen())
        await app.workers.wait_for_complete()
        await pilot.pause()
        pane = app.screen.query_one(QueuePane)
        title = pane.query_one("#q-title", Label)
        for _ in range(runs):
            title.update("")
            start = time.perf_counter()
            pane.load(day)
            while not str(title.render()):
                await asyncio.sleep(0.0005)
            times.append((time.perf_counter() - start) * 1000)
            await pilot.pause()
        rows = pane.query_one("#q-table", DataTable).row_count
    return statistics.median(times), rows


def main() -> None:
    """Generate the data, then time the report, the queue and stuck work."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dossiers", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "counter.toml"
        config.write_text(CONFIG.format(data_dir=Path(tmp) / "data"), encoding="utf-8")
        ctx = open_context(config)
        now = datetime.combine(date(2026, 11, 24), datetime.min.time()).replace(hour=10)
        start = time.perf_counter()
        generate(ctx, args.dossiers, now)
        print(f"generation: {time.perf_counter() - start:.1f} s")
        last = (now.replace(day=1) - timedelta(days=1))
        titles = {f.id: f.title for f in ctx.forms.values()}
        with ctx.store.read() as session:
            def baseline() -> object:
                scan = text("SELECT SUM(LENGTH(values_json)) FROM dossier")
                return session.connection().execute(scan).scalar()

            def monthly() -> figures.Report:
                return figures.monthly(driver(session), last.year, last.month, now)

            def this_month() -> figures.Report:
                return figures.monthly(driver(session), now.year, now.month, now)

            def oldest_month() -> figures.Report:
                return figures.monthly(driver(session), now.year - 1, now.month + 1, now)

            def queue_render() -> str:
                rows = reports.queue(session, now.date() - timedelta(days=1), now, ctx.calendar)
                return "\n".join(f"{r.code} {r.form_id} {r.applicant} {r.applicant_id} {r.clerk} {r.status} "
                                 f"{r.due_at:%d/%m %H:%M} {r.deadline} {r.synced}" for r in rows)

            def open_queue() -> list[reports.QueueRow]:
                return reports.queue(session, now.date(), now, ctx.calendar, scope=reports.QUEUE_OPEN)

            def stuck() -> reports.StuckWork:
                return reports.stuck_work(session, now, ctx.calendar)

            base, _ = median_ms(baseline, args.runs)
            month_ms, report = median_ms(monthly, args.runs)
            current_ms, _ = median_ms(this_month, args.runs)
            oldest_ms, _ = median_ms(oldest_month, args.runs)
            text_ms, _ = median_ms(lambda: to_text(monthly(), titles), args.runs)
            queue_ms, rendered = median_ms(queue_render, args.runs)
            open_ms, open_rows = median_ms(open_queue, args.runs)
            stuck_ms, work = median_ms(stuck, args.runs)
        assert isinstance(report, figures.Report) and isinstance(work, reports.StuckWork)
        print(f"baseline full scan of dossier: {base:.2f} ms (median of {args.runs} runs each)")
        print(f"monthly report {report.period.label} ({report.total.to_handle} to handle, "
              f"{len(report.by_procedure)} procedures, {len(report.by_clerk)} clerks): {month_ms:.1f} ms "
              f"= {month_ms / base:.1f}× baseline; target ≤ 100 ms")
        print(f"monthly report, current month: {current_ms:.1f} ms; oldest month (worst case: every later "
              f"dossier is scanned): {oldest_ms:.1f} ms; last month with text rendering: {text_ms:.1f} ms")
        print(f"daily queue (received yesterday, {str(rendered).count(chr(10)) + 1} rows) query+render: "
              f"{queue_ms:.1f} ms")
        opened = len(open_rows) if isinstance(open_rows, list) else 0
        print(f"open-dossier queue ({opened} rows): {open_ms:.1f} ms")
        print(f"stuck work ({len(work.unsent)} unsent dossiers listed): {stuck_ms:.1f} ms")
        print(f"on-time rate {report.period.label}: {report.total.on_time_rate:.3f}")
        users.add_clerk(ctx, "Giám sát", users.SUPERVISOR, "135790", by="bench")
        ctx.close()
        tui_ms, rows = asyncio.run(tui_queue_ms(config, now.date() - timedelta(days=1), args.runs))
        print(f"supervisor screen, queue tab (headless Textual, {rows} rows) read and fill the table: {tui_ms:.1f} ms")


if __name__ == "__main__":
    main()
