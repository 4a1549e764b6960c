"""The app syncs in the background, shows the link in the status bar and never blocks the clerk."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import select
from textual.pilot import Pilot

from counter.records.ids import uuid7
from counter.services.demo import fill_demo
from counter.store.models import DossierEvent
from counter.tui.common.statusbar import StatusBar
from counter.tui.find.screen import FindScreen
from counter.tui.sync.segments import status_segments
from sync.credentials import load_credentials, save_credentials
from sync.state import SyncStatus
from sync.testing.faultproxy import FaultProxy
from tests.synchelpers import HubProcess, enrolled_counter, free_port
from tests.tui_helpers import make_app, ready, screen_text


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


async def until(pilot: Pilot[None], condition: Callable[[], bool], rounds: int = 300) -> bool:
    """Let the app run until `condition()` holds."""
    for _ in range(rounds):
        if condition():
            return True
        await pilot.pause(0.05)
    return False


def segment(pilot: Pilot[None], name: str) -> str:
    """What one status-bar segment shows on the current screen."""
    return pilot.app.screen.query_one(StatusBar).segment_text(name)


async def test_background_sync_sends_and_the_dossier_view_says_so(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.T01")
    fill_demo(ctx, 2, days=1, seed=4)
    app = make_app(tmp_path / "c" / "counter.toml")
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: segment(pilot, "sync_link") == "Tỉnh: đã kết nối")
        assert segment(pilot, "pending") == "Đã gửi hết"
        assert segment(pilot, "sync_last").startswith("Đồng bộ lúc")
        assert segment(pilot, "sync_error") == "" and segment(pilot, "sync_clock") == ""
        assert len(hub.store.dossiers("000.00.36.T01")) == 2
        fill_demo(ctx, 1, days=1, seed=9)
        app.refresh_pending()
        assert await until(pilot, lambda: len(hub.store.dossiers("000.00.36.T01")) == 3)
        code = hub.store.dossiers("000.00.36.T01")[-1]["code"]
        assert await until(pilot, lambda: segment(pilot, "pending") == "Đã gửi hết")
        app.open_dossier(code)
        assert await until(pilot, lambda: "Gửi tỉnh:      đã gửi" in screen_text(pilot))
    ctx.close()


async def test_unreachable_hub_backs_off_and_sync_now_retries(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.T02")
    fill_demo(ctx, 1, days=1, seed=4)
    save_credentials(ctx, replace(load_credentials(ctx), hub_url=f"http://127.0.0.1:{free_port()}"))
    app = make_app(tmp_path / "c" / "counter.toml")
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: segment(pilot, "sync_link").startswith("Tỉnh: mất kết nối, thử lại lúc"))
        assert segment(pilot, "sync_error") == "Lỗi: Không liên lạc được với hệ thống tỉnh."
        assert segment(pilot, "pending").startswith("Chờ gửi tỉnh:")
        assert app.sync.failures >= 1 and app.sync.retry_at() is not None
        before = app.sync.passes
        await pilot.press("f12")
        assert await until(pilot, lambda: app.sync.passes > before and not app.sync.busy)
        assert app.sync.failures >= 2
    ctx.close()


async def test_a_slow_pass_never_blocks_the_clerk(tmp_path: Path, hub: HubProcess) -> None:
    proxy = FaultProxy(hub.port).start()
    try:
        ctx = enrolled_counter(tmp_path / "c", hub, proxy.url, unit="000.00.36.T03")
        fill_demo(ctx, 1, days=1, seed=4)
        proxy.arm("stall", 8.0, 1, match=b"POST /v1/events")  # long enough that a loaded machine still sees it
        app = make_app(tmp_path / "c" / "counter.toml")
        async with app.run_test(size=(140, 40)) as pilot:
            assert await until(pilot, lambda: app.sync.busy)
            await pilot.press("f3")
            assert await until(pilot, lambda: isinstance(app.screen, FindScreen))
            assert app.sync.busy, "the clerk works while sync waits"
            assert segment(pilot, "sync_link") == "Tỉnh: đang đồng bộ…"
            assert await until(pilot, lambda: segment(pilot, "sync_link") == "Tỉnh: đã kết nối", rounds=600)
        ctx.close()
    finally:
        proxy.close()


async def test_a_refused_event_shows_on_the_bar_and_the_dossier(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.T04")
    fill_demo(ctx, 1, days=1, seed=4)
    with ctx.store.write() as session:
        first = session.exec(select(DossierEvent)).first()
        assert first is not None
        session.add(DossierEvent(
            id=uuid7(), dossier_uuid=first.dossier_uuid, dossier_code=first.dossier_code,
            unit_code=first.unit_code, type="status_changed", payload_json='{"to": "lost"}',
            hlc=ctx.clock.now(), occurred_at=ctx.now(), clerk="Lan", counter_id=ctx.config.counter.id))
    app = make_app(tmp_path / "c" / "counter.toml")
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: segment(pilot, "sync_quarantine") == "Bị tỉnh từ chối: 1")
        assert segment(pilot, "sync_link") == "Tỉnh: đã kết nối"
        app.open_dossier(first.dossier_code)
        assert await until(pilot, lambda: "Gửi tỉnh:      bị tỉnh từ chối: Nội dung sự kiện" in screen_text(pilot))
    ctx.close()


async def test_an_unexpected_failure_is_shown_and_retried(tmp_path: Path, hub: HubProcess,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.T05")

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("ổ đĩa đầy")

    monkeypatch.setattr("sync.client.run_pass", broken)
    app = make_app(tmp_path / "c" / "counter.toml")
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        assert await until(pilot, lambda: segment(pilot, "sync_link") == "Tỉnh: lỗi khi đồng bộ")
        assert segment(pilot, "sync_error") == "Lỗi: Lỗi khi đồng bộ: ổ đĩa đầy"
        assert not app.sync.busy and app.sync.failures == 1 and app.sync.retry_at() is not None
    ctx.close()


def test_segments_for_refusal_quarantine_skew_and_enrolment() -> None:
    status = SyncStatus(link="refused", pending=3, quarantined=1, last_success=datetime(2026, 11, 24, 9, 5),
                        last_error="Mã xác thực của quầy không hợp lệ hoặc đã bị thu hồi.", last_error_at=None,
                        skew_ms=185_000)
    shown = status_segments(status)
    assert shown["sync_link"] == ("Tỉnh: bị từ chối", "-error")
    assert shown["pending"] == ("Chờ gửi tỉnh: 3", "-warning")
    assert shown["sync_quarantine"] == ("Bị tỉnh từ chối: 1", "-error")
    assert shown["sync_last"] == ("Đồng bộ lúc 09:05 24/11", None)
    assert shown["sync_error"][0].startswith("Lỗi: Mã xác thực")
    assert shown["sync_clock"] == ("Đồng hồ máy nhanh 185 giây so với hệ thống tỉnh; hãy chỉnh lại giờ.", "-warning")
    not_enrolled = status_segments(status, enrolled=False)
    assert not_enrolled["sync_link"] == ("Tỉnh: chưa đăng ký (ngoại tuyến)", None)
    assert not_enrolled["sync_error"] == ("", None), "an offline-only counter is not in error"
    online = status_segments(replace(status, link="online", skew_ms=1000))
    assert online["sync_error"] == ("", None) and online["sync_clock"] == ("", None)
