"""The citizen display started for real on 127.0.0.1 and driven over HTTP, with the CLI acting as the clerk."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlmodel import select

from counter.context import open_context
from counter.store.models import AuditEntry, DossierEvent
from tests.conftest import COUNTER_BIN, FATHER_PAYLOAD, SUPERVISOR_NAME, VALID_PAYLOAD, Cli, signed_in, write_config
from tests.synchelpers import free_port

CHROMIUM = Path("/usr/bin/chromium")


class Display:
    """`counter display serve` in a subprocess on a free port."""

    def __init__(self, config: Path, host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [str(COUNTER_BIN), "display", "serve", "--host", host, "--port", str(self.port)],
            env={**os.environ, "COUNTER_CONFIG": str(config)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        self.banner = self.process.stdout.readline() if self.process.stdout else ""
        self.base = f"http://127.0.0.1:{self.port}"
        for _ in range(600):
            try:
                requests.get(self.base + "/", timeout=5)
                break
            except requests.ConnectionError:
                assert self.process.poll() is None, self.process.stderr.read() if self.process.stderr else ""
                time.sleep(0.05)

    def state(self, **params: str) -> dict[str, object]:
        answer = requests.get(self.base + "/state", params=params, timeout=10)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=30)


@pytest.fixture
def counter(tmp_path: Path) -> Iterator[tuple[Cli, Display]]:
    config = write_config(tmp_path / "c1")
    cli = signed_in(config)
    display = Display(config)
    yield cli, display
    display.stop()


def new_dossier(cli: Cli, payload: str, *extra: str) -> str:
    made = cli("dossier", "new", "--form", "chung-thuc-chu-ky", "--qr", payload, "--set", "document_name=Hợp đồng",
               "--set", "copies=1", "--json", *extra)
    assert made.returncode == 0, made.stderr
    return str(json.loads(made.stdout)["code"])


def test_the_display_follows_the_clerk_and_takes_one_rating(counter: tuple[Cli, Display]) -> None:
    cli, display = counter
    assert display.state() == {"unit": "UBND xã Hải Minh", "counter": "Q1", "called": None, "dossier": None,
                               "rating": None}
    page = requests.get(display.base + "/", timeout=10).text
    assert "Mời số" in page and "<script src" not in page and "http://" not in page and "https://" not in page
    events = requests.get(display.base + "/events", stream=True, timeout=30)
    lines = events.iter_lines(decode_unicode=True)
    assert json.loads(next(lines).removeprefix("data: "))["called"] is None
    cli("ticket", "take", "--no-print")
    assert cli("ticket", "call").returncode == 0
    pushed = next(line for line in lines if line.startswith("data: "))
    assert json.loads(pushed.removeprefix("data: "))["called"]["ticket"] == "A-001"
    events.close()
    called = display.state()["called"]
    assert {k: called[k] for k in ("ticket", "counter", "group")} == {  # type: ignore[index]
        "ticket": "A-001", "counter": "Q1", "group": "Hộ tịch"}
    code = new_dossier(cli, VALID_PAYLOAD, "--ticket", "A-001")
    state = display.state()
    dossier, rating = state["dossier"], state["rating"]
    assert dossier["code"] == code and dossier["id_number"] == "••••••••0123"  # type: ignore[index]
    assert dossier["procedure"].startswith("Chứng thực chữ ký") and dossier["fee"]["amount"] == 10_000  # type: ignore[index]
    assert [lv["level"] for lv in rating["levels"]] == [3, 2, 1]  # type: ignore[index]
    url = display.base + rating["url"]  # type: ignore[index]
    refused = requests.post(url, data={"level": "5"}, timeout=10)
    assert refused.status_code == 400 and refused.json()["reason"].startswith("Mức đánh giá phải là 3")
    taken = requests.post(url, json={"level": 3, "reasons": []}, timeout=10)
    assert taken.json() == {"ok": True, "level": 3, "label": "Rất hài lòng"}
    again = requests.post(url, data={"level": "1"}, timeout=10)
    assert again.status_code == 409 and again.json()["reason"] == ("Mã đánh giá đã được dùng; mỗi hồ sơ chỉ đánh "
                                                                    "giá một lần.")
    state = display.state()
    assert state["rating"] is None and state["dossier"]["rated"] is True  # type: ignore[index]
    other = new_dossier(cli, FATHER_PAYLOAD)
    foreign = display.base + display.state()["rating"]["url"].replace(other, code)  # type: ignore[index]
    wrong = requests.post(foreign, data={"level": "2"}, timeout=10)
    assert wrong.status_code == 403 and wrong.json()["reason"] == "Mã đánh giá này không dành cho hồ sơ này."
    ctx = open_context(cli.config)
    try:
        with ctx.store.read() as session:
            rated = session.exec(select(DossierEvent).where(DossierEvent.type == "rated")).all()
            actions = [a.action for a in session.exec(select(AuditEntry))]
    finally:
        ctx.close()
    assert [(e.dossier_code, json.loads(e.payload_json)["level"]) for e in rated] == [(code, 3)]
    assert actions.count("rated") == 1 and actions.count("rating:link") == 2
    cli.login(SUPERVISOR_NAME)
    report = json.loads(cli("report", "satisfaction", "--json").stdout)
    assert (report["rated"], report["by_level"], report["satisfaction_rate"], report["not_rated"]) == (
        1, {"3": 1, "2": 0, "1": 0}, 1.0, 1)
    assert report["formula"].startswith("Tỉ lệ hài lòng = ")
    assert set(report["by_procedure"]) == {"chung-thuc-chu-ky"}


def test_another_host_needs_the_printed_token(tmp_path: Path) -> None:
    config = write_config(tmp_path / "c1")
    signed_in(config)
    display = Display(config, host="0.0.0.0")
    try:
        assert "?token=" in display.banner
        token = display.banner.split("?token=")[1].split()[0]
        refused = requests.get(display.base + "/state", timeout=10)
        assert refused.status_code == 403 and refused.json()["reason"].startswith("Cần mã truy cập màn hình")
        assert requests.get(display.base + "/", params={"token": "x" + token}, timeout=10).status_code == 403
        assert display.state(token=token)["called"] is None
    finally:
        display.stop()


def test_a_screenshot_in_a_real_browser(counter: tuple[Cli, Display], tmp_path: Path) -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (/usr/bin/chromium), so no browser screenshot is taken.")
    cli, display = counter
    cli("ticket", "take", "--no-print")
    cli("ticket", "call")
    new_dossier(cli, VALID_PAYLOAD, "--ticket", "A-001")
    shot = tmp_path / "display.png"
    subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--screenshot={shot}",
                    "--window-size=1280,800", "--virtual-time-budget=3000", display.base + "/"], check=True,
                   capture_output=True, timeout=120)
    from PIL import Image

    picture = Image.open(shot).convert("RGB")
    assert picture.size == (1280, 800)
    assert (0xB3, 0x00, 0x00) in {color for _, color in picture.getcolors(1 << 20) or []}  # the called number
