"""The counter side: enrolment, quarantine and re-queue, refusals that stop a pass, status, backoff."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import col, delete, select

from counter.context import open_context
from counter.records.ids import uuid7
from counter.services.demo import fill_demo
from counter.store.models import DossierEvent, SyncState
from sync import state
from sync.backoff import backoff_ceiling, backoff_delay
from sync.client import run_pass
from sync.credentials import TOKEN_KEY, credentials_path, load_credentials, save_credentials, verify_setting
from tests.conftest import SUPERVISOR_NAME, run_cli, signed_in
from tests.synchelpers import HubProcess, counter_config, enrolled_counter


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HubProcess]:
    """The real hub in a subprocess."""
    process = HubProcess(tmp_path_factory.mktemp("hub") / "hub.db").start()
    yield process
    process.stop()


def test_enroll_stores_the_token_owner_only(tmp_path: Path, hub: HubProcess) -> None:
    config = counter_config(tmp_path / "c", unit="000.00.36.E01")
    code = run_cli("hub", "enroll-code", "--db", hub.db, "--unit", "000.00.36.E01", "--counter", "Q1").stdout.strip()
    cli = signed_in(config)
    assert "giám sát" in cli("enroll", "--hub", hub.url, "--code", code).stderr
    cli.login(SUPERVISOR_NAME)
    done = cli("enroll", "--hub", hub.url, "--code", code)
    assert done.returncode == 0, done.stderr
    ctx = open_context(config)
    path = credentials_path(ctx.config)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    token = load_credentials(ctx).token
    assert load_credentials(ctx).hub_url == hub.url and "token" not in json.loads(path.read_text(encoding="utf-8"))
    copied = [p for p in ctx.config.storage.data_dir.rglob("*") if p.is_file()]
    assert copied and not [p for p in copied if token.encode() in p.read_bytes()], "the token is sealed"
    again = cli("enroll", "--hub", hub.url, "--code", code)
    assert again.returncode == 1 and "đã được dùng" in again.stderr
    status = cli("sync", "--status", "--json")
    assert json.loads(status.stdout)["link"] == "never"
    ctx.close()


def test_a_token_kept_in_clear_by_an_older_version_is_sealed_on_first_use(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.E03")
    sealed = load_credentials(ctx)
    path = credentials_path(ctx.config)
    path.write_text(json.dumps({**asdict(sealed)}), encoding="utf-8")  # the file as an older version wrote it
    with ctx.store.write() as session:
        session.exec(delete(SyncState).where(col(SyncState.key) == TOKEN_KEY))
    assert load_credentials(ctx) == sealed
    assert sealed.token not in path.read_text(encoding="utf-8")
    assert run_pass(ctx).link == "online"
    ctx.close()


def test_rejected_event_is_quarantined_shown_and_requeued(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.E02")
    fill_demo(ctx, 5, days=1, seed=5)
    with ctx.store.write() as session:
        first = session.exec(select(DossierEvent)).first()
        assert first is not None
        session.add(
            DossierEvent(
                id=uuid7(),
                dossier_uuid=first.dossier_uuid,
                dossier_code=first.dossier_code,
                unit_code=first.unit_code,
                type="status_changed",
                payload_json='{"to": "lost"}',
                hlc=ctx.clock.now(),
                occurred_at=ctx.now(),
                clerk="Lan",
                counter_id=ctx.config.counter.id,
            )
        )
    cli = signed_in(tmp_path / "c" / "counter.toml")
    result = cli("sync", "--json")
    summary = json.loads(result.stdout)
    assert summary["pending"] == 0 and summary["quarantined"] == 1 and summary["pushed"] >= 5
    assert summary["quarantine"][0]["dossier"] == first.dossier_code
    assert "thiếu hoặc sai trường “to”" in summary["quarantine"][0]["reason"]
    assert result.returncode == 0, "a rejected event does not fail the pass"
    shown = cli("sync", "--status")
    assert "bị cách ly: 1" in shown.stdout
    assert state.requeue(ctx) == 1
    assert state.read_status(ctx).pending == 1
    again = json.loads(cli("sync", "--requeue", "--json").stdout)
    assert again["quarantined"] == 1 and again["pushed"] == 0
    ctx.close()


def test_auth_error_stops_the_pass_and_quarantines_nothing(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.E03")
    fill_demo(ctx, 3, days=1, seed=1)
    pending = state.read_status(ctx).pending
    save_credentials(ctx, replace(load_credentials(ctx), token="mc1_revoked"))
    report = run_pass(ctx)
    assert report.link == "refused" and report.pushed == 0
    assert "không hợp lệ" in report.errors[0]
    status = state.read_status(ctx)
    assert (status.pending, status.quarantined, status.link) == (pending, 0, "refused")
    assert status.last_error == report.errors[0] and status.last_success is None
    ctx.close()


def test_missing_or_mismatched_enrolment_is_explained(tmp_path: Path, hub: HubProcess) -> None:
    ctx = open_context(counter_config(tmp_path / "c", unit="000.00.36.E04"))
    report = run_pass(ctx)
    assert report.link == "refused" and "counter enroll" in report.errors[0]
    ctx.close()
    ctx = enrolled_counter(tmp_path / "d", hub, unit="000.00.36.E05")
    moved = open_context(counter_config(tmp_path / "d", unit="000.00.36.E06"))
    assert "đăng ký lại" in run_pass(moved).errors[0]
    ctx.close()
    moved.close()


def test_success_is_recorded_with_the_clock_skew(tmp_path: Path, hub: HubProcess) -> None:
    ctx = enrolled_counter(tmp_path / "c", hub, unit="000.00.36.E07")
    fill_demo(ctx, 2, days=1, seed=2)
    report = run_pass(ctx)
    status = state.read_status(ctx)
    assert status.link == "online" and status.pending == 0 and status.last_success is not None
    assert report.skew_ms is not None and abs(report.skew_ms) < 5000 and not status.skew_warning
    assert status.to_json()["clock_skew_ms"] == report.skew_ms
    ctx.close()


def test_skew_warning_above_two_minutes() -> None:
    status = state.SyncStatus(
        link="online",
        pending=0,
        quarantined=0,
        last_success=None,
        last_error="",
        last_error_at=None,
        skew_ms=-125_000,
    )
    assert status.skew_warning and not replace(status, skew_ms=119_000).skew_warning


def test_tls_verification_uses_the_configured_bundle(tmp_path: Path) -> None:
    ctx = open_context(counter_config(tmp_path / "c"))
    assert verify_setting(ctx.config) is True
    bundle = replace(ctx.config, sync=replace(ctx.config.sync, ca_bundle="/etc/motcua/hub-ca.pem"))
    assert verify_setting(bundle) == "/etc/motcua/hub-ca.pem"
    ctx.close()


@given(st.integers(min_value=0, max_value=200), st.floats(min_value=0, max_value=0.999999))
def test_backoff_is_capped_full_jitter(failures: int, draw: float) -> None:
    ceiling = backoff_ceiling(failures, base=2.0, cap=300.0)
    delay = backoff_delay(failures, 2.0, 300.0, rand=lambda: draw)
    assert 0 <= delay <= ceiling <= 300.0
    assert delay == pytest.approx(draw * ceiling)
    if 1 <= failures <= 8:
        assert ceiling == 2.0 * 2 ** (failures - 1)
