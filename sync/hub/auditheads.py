"""The hub's record of each counter's audit-log head; a head that does not extend the previous is flagged."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from sync.adapter import AuditHeadAnswer, CounterIdentity
from sync.hub.schema import audit_head


def record(engine: Engine, counter: CounterIdentity, count: int, head: str, prior_count: int,
           prior_hash: str) -> AuditHeadAnswer:
    """Compare with the stored head and keep the new one: ok, broken or need (with the stored count); no flags."""
    key = (audit_head.c.unit_code == counter.unit_code) & (audit_head.c.counter_id == counter.counter_id)
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        row = conn.execute(select(audit_head).where(key)).first()
        stored = None if row is None else row._mapping
        if stored is not None and prior_count != stored["count"]:
            return AuditHeadAnswer("need", stored["count"], stored["head"])
        extends = stored is None or (prior_hash == stored["head"] and count >= stored["count"])
        values = {"count": count, "head": head, "updated_at": now}
        if stored is None:
            conn.execute(audit_head.insert().values(unit_code=counter.unit_code, counter_id=counter.counter_id,
                                                    **values))
        else:
            if not extends and stored["broken_at"] is None:
                values |= {"broken_at": now, "broken_count": stored["count"]}
            conn.execute(audit_head.update().where(key).values(**values))
    return AuditHeadAnswer("ok" if extends else "broken", count, head)


def heads(engine: Engine, unit_code: str | None = None) -> list[dict[str, Any]]:
    """Every counter's latest head (of one unit), flagged ones with when and at which count."""
    query = select(audit_head).order_by(audit_head.c.unit_code, audit_head.c.counter_id)
    if unit_code:
        query = query.where(audit_head.c.unit_code == unit_code)
    with engine.connect() as conn:
        return [{"unit": r.unit_code, "counter": r.counter_id, "entries": r._mapping["count"], "head": r.head,
                 "updated_at": r.updated_at.isoformat(timespec="seconds"),
                 "broken_at": r.broken_at.isoformat(timespec="seconds") if r.broken_at else None,
                 "broken_after_entries": r.broken_count} for r in conn.execute(query)]
