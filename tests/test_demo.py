"""The demo looks like a real commune: nearly all on time, a few late and stuck, clerks who are clerks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import select

from counter.accounts import users
from counter.context import CounterContext
from counter.reporting import figures
from counter.services.demo import DEMO_CLERKS, fill_demo
from counter.store.models import Dossier


def _report(ctx: CounterContext) -> figures.Report:
    with ctx.store.read() as session:
        first = min(d.received_at for d in session.exec(select(Dossier)))
        period = figures.Period("demo", datetime.combine(first.date(), datetime.min.time()),
                                ctx.now() + timedelta(days=1), "demo")
    with ctx.store.connection() as conn:
        return figures.compute(conn, period, ctx.now())


def test_demo_is_on_time_like_a_commune(ctx: CounterContext) -> None:
    """Over 200 dossiers: 95–98 % on time, some late and some still open past due, most finished."""
    assert fill_demo(ctx, 200, 20) == 200
    total = _report(ctx).total
    assert 0.95 <= total.on_time_rate <= 0.985, total
    assert total.late_finished >= 1 and total.overdue >= 1
    assert total.late_finished + total.overdue <= 0.05 * total.to_handle
    assert total.finished >= total.to_handle // 2
    with ctx.store.read() as session:
        clerks = {d.clerk for d in session.exec(select(Dossier))}
    assert clerks == set(DEMO_CLERKS)


def test_demo_gives_dossiers_to_clerks_never_to_a_supervisor(ctx: CounterContext, fast_pins: None) -> None:
    """With accounts on the counter, the demo's dossiers go to the clerk accounts only."""
    users.add_clerk(ctx, "Nguyễn Thị Lan", users.SUPERVISOR, "482916", by="test")
    users.add_clerk(ctx, "Phạm Văn Tú", users.CLERK, "593027", by="test")
    users.add_clerk(ctx, "Đỗ Thị Yến", users.CLERK, "604138", by="test")
    fill_demo(ctx, 30, 5)
    with ctx.store.read() as session:
        clerks = {d.clerk for d in session.exec(select(Dossier))}
    assert clerks == {"Phạm Văn Tú", "Đỗ Thị Yến"}
