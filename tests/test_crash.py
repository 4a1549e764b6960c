"""A writer killed with SIGKILL at random moments never loses an acknowledged dossier."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlmodel import select

from counter.context import open_context
from counter.store import Dossier, DossierEvent
from tests.conftest import write_config

WRITER = """
import sys
from counter import addresses
from counter.citizens import identity
from counter.context import open_context
from counter.records.dossiers import DossierDraft
from counter.services.dossiers import create_dossier
from counter.law.workdays import package_days_off
ctx = open_context(sys.argv[1])
package_days_off(2026)  # load the holiday calendar before "ready": the kills must land among the writes
person = identity.parse(sys.argv[2])
values = {"subject_ethnicity": "Kinh", "subject_nationality": "Việt Nam",
          "marital_status": "Chưa đăng ký kết hôn", "purpose": "Kết hôn"}
addresses.warm()  # the national address table loads once, as the app does after its first frame
print("ready", flush=True)
while True:
    dossier = create_dossier(ctx, DossierDraft("xac-nhan-tinh-trang-hon-nhan", {"subject": person}, values), "Lan")
    print(dossier.code, flush=True)
"""

PAYLOAD = "036090000123|163000123|Trần Văn Bình|15041990|Nam|Xóm 3, Xã Hải Minh|20052021"


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_sigkill_never_loses_acknowledged_dossiers(tmp_path: Path) -> None:
    """Kill the writer 6 times at random moments; every printed code is intact, the file is sound."""
    config = write_config(tmp_path / "c")
    rng = random.Random(7)
    acknowledged: list[str] = []
    for _trial in range(6):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(config), PAYLOAD],
                                  stdout=subprocess.PIPE, text=True)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        writer.send_signal(signal.SIGKILL)
        output, _ = writer.communicate()
        acknowledged += [line for line in output.splitlines() if line.strip()]
    assert acknowledged, "the writer acknowledged nothing before being killed"
    ctx = open_context(config)
    with ctx.store.read() as session:
        codes = set(session.exec(select(Dossier.code)).all())
        event_codes = set(session.exec(select(DossierEvent.dossier_code)).all())
    assert set(acknowledged) <= codes
    assert codes == event_codes, "every dossier row has its received event and no event is orphaned"
