"""Strict configuration: documented defaults, overrides, and refusals that name file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from counter.config import BUNDLED_CONFIG, load_config, parse_config
from counter.errors import ConfigError
from tests.conftest import write_config


def test_shipped_file_is_valid_and_has_holidays() -> None:
    """counter.toml loads, and its calendar has Tết and the Hùng Kings day for 2025–2027."""
    config = load_config(BUNDLED_CONFIG)
    from datetime import date

    from counter.law.workdays import WorkCalendar

    calendar = WorkCalendar(config.hours, config.calendar)
    assert not calendar.is_workday(date(2026, 2, 17))  # Tết Bính Ngọ
    assert not calendar.is_workday(date(2025, 4, 7))  # Giỗ Tổ Hùng Vương
    assert not calendar.is_workday(date(2027, 4, 16))
    assert config.calendar.announced_through == date(2026, 12, 31)
    assert config.hours.same_day_cutoff.hour == 15


def test_without_any_file_the_shipped_defaults_apply(tmp_path: Path) -> None:
    """No --config, no $COUNTER_CONFIG and no ./counter.toml: the documented file is used."""
    assert load_config() == load_config(BUNDLED_CONFIG)


def test_environment_picks_file_and_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """COUNTER_CONFIG chooses the file and COUNTER_DATA_DIR wins over storage.data_dir."""
    path = write_config(tmp_path / "c", counter_id="Q7")
    monkeypatch.setenv("COUNTER_CONFIG", str(path))
    assert load_config().counter.id == "Q7"
    monkeypatch.setenv("COUNTER_DATA_DIR", str(tmp_path / "elsewhere"))
    assert load_config().storage.data_dir == tmp_path / "elsewhere"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[unit]\ncode = 'abc'\n", "[unit].code"),
        ("[unit]\ncolour = 'red'\n", "[unit].colour"),
        ("[counter]\nsequence_first = 0\n", "[counter].sequence_first"),
        ("[counter]\nsequence_first = 10\nsequence_last = 5\n", "[counter].sequence_last"),
        ("[hours]\nopens = 'seven'\n", "[hours].opens"),
        ("[hours]\nworkdays = ['monday']\n", "[hours].workdays"),
        ("[hours]\ntimezone = 'Mars/Olympus'\n", "[hours].timezone"),
        ("[calendar]\nholidays = ['2026-02-30']\n", "[calendar].holidays"),
        ("[sync]\nhub_url = 'ftp://x'\n", "[sync].hub_url"),
        ("[sync]\nbatch_size = 'many'\n", "[sync].batch_size"),
        ("[printer]\nkind = 'fax'\n", "[printer].kind"),
        ("[hub]\nsystem = 'a b'\n", "[hub].system"),
        ("[surprise]\nx = 1\n", "[surprise]"),
    ],
)
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, named: str) -> None:
    """Each refusal names the file and the offending key."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(path) in caught.value.message
    assert named in caught.value.message


def test_syntax_error_and_missing_file(tmp_path: Path) -> None:
    """A broken or absent file is refused with its name."""
    broken = tmp_path / "broken.toml"
    broken.write_text("[unit\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load_config(broken)
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        load_config(tmp_path / "missing.toml")


def test_relative_data_dir_is_taken_from_the_config_folder(tmp_path: Path) -> None:
    """storage.data_dir = "data" means beside the config file, not the current directory."""
    path = tmp_path / "site" / "counter.toml"
    path.parent.mkdir()
    path.write_text('[storage]\ndata_dir = "data"\n', encoding="utf-8")
    assert load_config(path).storage.data_dir == path.parent / "data"


def test_parse_config_defaults_are_valid() -> None:
    """The code defaults alone form a valid configuration."""
    assert parse_config({}, "x").counter.sequence_last == 4999
