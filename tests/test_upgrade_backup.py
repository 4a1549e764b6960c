"""An upgraded app's first start: with [backup] set, the store is backed up (age-encrypted, to the backup
folder) before its migrations run; a backup that cannot be written stops the start with the store untouched."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyrage
import pytest
from pyrage import x25519

from counter.context import open_context
from counter.errors import CounterError
from counter.store.db import configure, connect
from counter.store.keys import existing_key, key_store, new_key
from counter.store.migrations import MIGRATIONS, current_version, migrate
from tests.conftest import write_config

OLD = MIGRATIONS[-1].version - 1


def old_counter(folder: Path, backup_dir: Path, recipient: str) -> Path:
    """A counter whose database stopped one migration short (as the previous version left it); its config."""
    config = write_config(folder, extra=f'\n[backup]\ndir = "{backup_dir}"\nrecipient = "{recipient}"\n')
    data = folder / "data"
    data.mkdir(mode=0o700)
    raw = connect(data / "counter.db", new_key(data, key_store()))
    configure(raw)
    migrate(raw, target=OLD)
    raw.close()
    return config


def version_of(config: Path) -> int:
    """The schema version in a counter's database file."""
    data = config.parent / "data"
    raw = connect(data / "counter.db", existing_key(data, key_store()))
    try:
        return current_version(raw)
    finally:
        raw.close()


def test_first_start_after_an_upgrade_backs_up_then_migrates(tmp_path: Path) -> None:
    """One sealed backup of the old schema appears, then the store is at the newest version; the next start
    makes none."""
    identity = x25519.Identity.generate()
    usb = tmp_path / "usb"
    config = old_counter(tmp_path / "counter", usb, str(identity.to_public()))
    open_context(config).close()
    (made,) = usb.iterdir()
    assert made.name.endswith(f"-truoc-nang-cap-v{OLD}.mcbak")
    lines = gzip.decompress(pyrage.decrypt(made.read_bytes(), [identity])).splitlines()
    items = [json.loads(line) for line in lines]
    assert items[0]["schema_version"] == OLD
    assert any(isinstance(item, dict) and item.get("table") == "dossier" for item in items)
    assert version_of(config) == MIGRATIONS[-1].version
    open_context(config).close()
    assert len(list(usb.iterdir())) == 1


def test_a_backup_that_cannot_be_written_stops_the_upgrade(tmp_path: Path) -> None:
    """The backup folder is a file (a wrong path, a missing drive): one sentence, the store stays as it was."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    config = old_counter(tmp_path / "counter", blocker, str(x25519.Identity.generate().to_public()))
    with pytest.raises(CounterError, match="Không ghi được bản sao lưu") as refused:
        open_context(config)
    assert len(str(refused.value).splitlines()) == 1
    assert version_of(config) == OLD
