"""Print figures: status notices sent per second by the hub's worker, to the log sender and to an HTTP gateway.

A temporary counter writes dossiers with consent (each one a `notice_requested` event), pushes them into a
temporary hub in-process, and the worker sends them all; the log sender is the baseline of the same run.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlmodel import select

from counter.citizens.identity import parse
from counter.context import open_context
from counter.records.dossiers import DossierDraft
from counter.services.dossiers import create_dossier
from counter.store.models import DossierEvent
from sync.client import event_message
from sync.hub.notices import HttpGatewaySender, LogSender, NoticeSender, NoticeWorker
from sync.hub.store import HubStore
from tests.conftest import MOTHER_PAYLOAD, write_config
from tests.documents_helpers import birth_values
from tests.smsgateway import Gateway

NOTICES = 300


def hub_with_notices(folder: Path) -> HubStore:
    """A hub holding NOTICES notices pushed by one counter."""
    ctx = open_context(write_config(folder / "counter"))
    mother = parse(MOTHER_PAYLOAD)
    for _ in range(NOTICES):
        create_dossier(ctx, DossierDraft("khai-sinh", {"requester": mother, "mother": mother},
                                         birth_values(ctx.now()), phone="0912345678", consent=True), "bench")
    with ctx.store.read() as session:
        events = [event_message(e) for e in session.exec(select(DossierEvent).order_by(DossierEvent.hlc))]
    store = HubStore(str(folder / "hub.db"))
    token = store.enrol(store.new_enrolment_code(ctx.config.unit.code, "Q1"), ctx.config.unit.code, "Q1", 1, 4999)
    counter = store.authenticate(token)
    assert counter is not None
    for start in range(0, len(events), 500):
        store.store_events(counter, events[start:start + 500])
    ctx.close()
    return store


def rate(folder: Path, sender: NoticeSender) -> float:
    """Notices per second the worker sends through `sender`."""
    store = hub_with_notices(folder)
    worker = NoticeWorker(store, sender)
    start = time.perf_counter()
    sent = 0
    with contextlib.redirect_stdout(io.StringIO()):
        while sent < NOTICES:
            sent += worker.run_once()
    seconds = time.perf_counter() - start
    store.close()
    return NOTICES / seconds


def main() -> None:
    """Time both senders."""
    gateway = Gateway()
    try:
        with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as two:
            logged = rate(Path(one), LogSender())
            posted = rate(Path(two), HttpGatewaySender(gateway.url, "bench"))
    finally:
        gateway.close()
    print(f"hub notices, log sender (baseline): {logged:.0f} per second over {NOTICES}")
    print(f"hub notices, HTTP gateway on 127.0.0.1: {posted:.0f} per second ({posted / logged:.2f}× the log sender)")


if __name__ == "__main__":
    main()
