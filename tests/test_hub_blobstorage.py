"""The hub's blob storages keep one contract: the directory (default) and the hub's database (`--blobs db`,
SQLite here, PostgreSQL too when $SYNC_TEST_POSTGRES names a server). In process, on real files and tables."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync.blobproto import WIRE_CHUNK
from sync.hub.blobstore import BlobState, BlobStorage
from sync.hub.server import blob_storage, default_blobs_dir
from tests.synchelpers import hub_database

DATA = random.Random(5).randbytes(2 * WIRE_CHUNK + 10_000)
SHA = hashlib.sha256(DATA).hexdigest()
PIECES = [DATA[i:i + WIRE_CHUNK] for i in range(0, len(DATA), WIRE_CHUNK)]


@pytest.fixture(params=["directory", "db"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStorage]:
    """Each storage the hub can serve from, as `counter hub serve` makes it."""
    yield blob_storage("db" if request.param == "db" else str(tmp_path / "blobs"), hub_database(tmp_path / "hub.db"))


def _send(storage: BlobStorage, pieces: list[bytes], start: int = 0) -> int:
    held = start
    for piece in pieces:
        held = storage.append(SHA, held, piece)
        storage.flush(SHA)
    return held


def test_an_upload_grows_only_at_its_end_and_resumes(storage: BlobStorage) -> None:
    """Chunks at the wrong offset change nothing; a second unit's begin keeps what is held; another size
    starts again."""
    assert storage.state(SHA) is None
    assert storage.begin(SHA, len(DATA), "U1") == BlobState(len(DATA), 0, False, frozenset({"U1"}))
    assert storage.append(SHA, WIRE_CHUNK, PIECES[1]) == 0
    assert _send(storage, PIECES[:1]) == WIRE_CHUNK
    assert storage.append(SHA, 0, PIECES[0]) == WIRE_CHUNK, "a chunk sent again is not added twice"
    assert storage.begin(SHA, len(DATA), "U2") == BlobState(len(DATA), WIRE_CHUNK, False, frozenset({"U1", "U2"}))
    assert storage.begin(SHA, len(DATA) + 1, "U1").received == 0


def test_a_complete_blob_is_checked_then_served_from_any_offset(storage: BlobStorage) -> None:
    """Bytes that do not match the name are discarded (sent again from zero); the right ones are served
    whole or from any offset, and a complete blob gains a unit only through `add_unit`."""
    storage.begin(SHA, len(DATA), "U1")
    _send(storage, [PIECES[0], bytes(len(PIECES[1])), PIECES[2]])
    assert storage.finish(SHA) is False
    assert storage.state(SHA) == BlobState(len(DATA), 0, False, frozenset({"U1"}))
    assert _send(storage, PIECES) == len(DATA) and storage.finish(SHA) is True
    assert storage.state(SHA) == BlobState(len(DATA), len(DATA), True, frozenset({"U1"}))
    for offset in (0, WIRE_CHUNK, 2 * WIRE_CHUNK, 1000):
        assert b"".join(storage.read(SHA, offset)) == DATA[offset:]
    assert storage.begin(SHA, len(DATA), "U2").units == frozenset({"U1"})
    storage.add_unit(SHA, "U2")
    assert storage.state(SHA) == BlobState(len(DATA), len(DATA), True, frozenset({"U1", "U2"}))


def test_default_directory_is_beside_a_sqlite_hub(tmp_path: Path) -> None:
    """Without --blobs, a SQLite hub keeps blobs beside its file (`hub.db.blobs`); a PostgreSQL hub in ./hub-blobs."""
    assert default_blobs_dir(str(tmp_path / "hub.db")) == f"{tmp_path / 'hub.db'}.blobs"
    assert default_blobs_dir(f"sqlite:///{tmp_path / 'hub.db'}") == f"{tmp_path / 'hub.db'}.blobs"
    assert default_blobs_dir("postgresql+psycopg://hub@db/hub") == "hub-blobs"
