"""Incremental projection equals a full re-projection for any events in any arrival order (hypothesis)."""

from __future__ import annotations

import itertools
import json
from datetime import datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from counter.context import CounterContext
from counter.law import lifecycle
from counter.records.ids import format_stamp, uuid7
from counter.records.projection import FIELD_CORRECTED, RECEIVED, RESCHEDULED, STATUS_CHANGED, apply_event, project
from counter.store import Dossier, DossierEvent, DossierPerson

BASE = datetime(2026, 11, 24, 8, 0)
STATUSES = sorted(lifecycle.STATUS_LABELS)
SEQUENCES = itertools.count(1)
Stamped = tuple[int, str, dict[str, Any]]


def received_payload(sequence: int, name: str) -> dict[str, Any]:
    """A `received` payload with one person and one value."""
    return {"form_id": "f", "received_day": BASE.date().isoformat(), "sequence": sequence,
            "values": {"a": "1", "b": "x"}, "received_at": BASE.isoformat(),
            "due_at": (BASE + timedelta(days=3)).isoformat(),
            "people": {"subject": {"id_number": f"0010900{sequence:05d}", "full_name": name}}}


later_event = st.one_of(
    st.tuples(st.just(STATUS_CHANGED), st.sampled_from(STATUSES).map(lambda s: {"to": s, "receiver": "Bình"})),
    st.tuples(st.just(FIELD_CORRECTED), st.dictionaries(st.sampled_from("abc"), st.sampled_from(["2", "y", "z"]),
                                                        min_size=1).map(lambda v: {"values": v})),
    st.tuples(st.just(RESCHEDULED), st.integers(4, 9).map(
        lambda d: {"new_due_at": (BASE + timedelta(days=d)).isoformat()})),
)


@st.composite
def histories(draw: st.DrawFn) -> list[Stamped]:
    """Events with distinct clock stamps (the index), including one or two `received`, in arrival order."""
    events = [(RECEIVED, received_payload(1, draw(st.sampled_from(["Nguyễn Văn An", "Lê Thị Hoa"]))))]
    if draw(st.booleans()):
        events.append((RECEIVED, received_payload(1, "Trần Văn Bình")))
    events += draw(st.lists(later_event, max_size=8))
    stamps = draw(st.lists(st.integers(1, 10_000), min_size=len(events), max_size=len(events), unique=True))
    stamped = [(stamp, kind, payload) for stamp, (kind, payload) in zip(stamps, events, strict=True)]
    return draw(st.permutations(stamped))


def columns(row: Dossier) -> dict[str, Any]:
    """Every column of the dossier row but its key."""
    return {k: v for k, v in row.model_dump().items() if k != "id"}


def people(session: Session, row: Dossier) -> list[tuple[str, str, str]]:
    """The dossier's indexed people."""
    return sorted((p.role, p.id_number, p.name_folded)
                  for p in session.exec(select(DossierPerson).where(DossierPerson.dossier_id == row.id)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories())
def test_incremental_projection_equals_full(ctx: CounterContext, history: list[Stamped]) -> None:
    """Apply events one by one as they arrive; the row and its people equal a projection from scratch."""
    dossier_uuid, sequence = uuid7(), next(SEQUENCES)
    with ctx.store.write() as session:
        row: Dossier | None = None
        for stamp, kind, payload in history:
            if kind == RECEIVED:
                payload = {**payload, "sequence": sequence}
            event = DossierEvent(
                id=uuid7(), dossier_uuid=dossier_uuid, dossier_code=f"T-{dossier_uuid}", unit_code="U", type=kind,
                payload_json=json.dumps(payload, ensure_ascii=False), hlc=format_stamp(stamp, 0, "Q1"),
                occurred_at=BASE + timedelta(minutes=stamp), clerk="Lan", counter_id="Q1")
            session.add(event)
            session.flush()
            row = apply_event(session, row, event)
        assert row is not None
        incremental, incremental_people = columns(row), people(session, row)
        full = project(session, dossier_uuid)
        assert full is not None
        assert columns(full) == incremental
        assert people(session, full) == incremental_people
