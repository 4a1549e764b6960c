"""Everything one counter works with, opened once and shared by the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo

from counter.config import Config, load_config
from counter.errors import ConfigError
from counter.fees.amounts import unknown_province_key
from counter.law.forms import FormDef, load_forms
from counter.law.workdays import WorkCalendar
from counter.records.ids import HybridClock
from counter.store import Store, open_store, plain
from counter.store.db import ensure_private_dir

PLAINTEXT_WARNING = "Cảnh báo: cơ sở dữ liệu KHÔNG được mã hoá ([storage] encrypt = false), chỉ dùng khi phát triển."


@dataclass
class CounterContext:
    """Configuration, database, forms, calendar and clock of this counter."""

    config: Config
    store: Store
    forms: dict[str, FormDef]

    @cached_property
    def calendar(self) -> WorkCalendar:
        """Working days and hours of the unit."""
        return WorkCalendar(self.config.hours, self.config.calendar)

    @cached_property
    def clock(self) -> HybridClock:
        """The hybrid logical clock for new events, started after the newest stored stamp."""
        with self.store.connection() as conn:
            last = plain.last_hlc(conn)
        return HybridClock(self.config.counter.id, last, self.config.hub.max_clock_ahead_seconds * 1000)

    def now(self) -> datetime:
        """The current local time of the unit, to the second, without tzinfo (as stored)."""
        return local_now(self.config)

    def close(self) -> None:
        """Release the database."""
        self.store.close()


def local_now(config: Config) -> datetime:
    """The current local time of the unit, to the second, without tzinfo (as stored)."""
    return datetime.now(ZoneInfo(config.hours.timezone)).replace(tzinfo=None, microsecond=0)


def open_context(config_path: str | Path | None = None, config: Config | None = None) -> CounterContext:
    """Load the configuration and forms and open the local database (created on first use); an upgraded
    app backs the store up first ([backup] set) before migrating it."""
    config = config or load_config(config_path)
    ensure_private_dir(config.database_path.parent)  # a data directory that cannot be used says so at once
    forms = load_forms(config.storage.forms_dir)
    unknown = unknown_province_key(config.fees.amounts, forms)
    if unknown is not None:
        raise ConfigError(f"{config.source}: khoá [fees].\"{unknown}\" không ứng với lệ phí nào do tỉnh quy định "
                          "(mẫu hoặc trường hợp có amount = \"province\").")
    chosen = config

    def back_up(old: Store, version: int) -> None:
        from counter.custody import backup  # only when an upgrade migrates the store

        backup.before_upgrade(chosen, old, version, local_now(chosen))

    store = open_store(config.database_path, encrypt=config.storage.encrypt, before_migrate=back_up)
    return CounterContext(config=config, store=store, forms=forms)
