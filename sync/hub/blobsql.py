"""Blobs kept in the hub's own database (PostgreSQL, or SQLite): `counter hub serve --blobs db`.

For a province that runs PostgreSQL and would rather back up one database than a database and a folder.
The same contract as the directory storage (sync/hub/blobstore.py): a partial blob grows only by checked
chunks at its end, each chunk is one row written in its own transaction (so it is durable when `append`
returns), and `finish` checks the whole hash before the blob is served.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from sync.hub.blobstore import BlobState
from sync.hub.schema import hub_blob, hub_blob_chunk


def _units(text: str) -> frozenset[str]:
    return frozenset(str(u) for u in json.loads(text or "[]"))


class DatabaseBlobStorage:
    """Blobs as rows: `hub_blob` (size, bytes received, complete, units) and `hub_blob_chunk` (offset, bytes)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def _state(self, conn: Connection, sha256: str) -> BlobState | None:
        row = conn.execute(select(hub_blob).where(hub_blob.c.sha256 == sha256)).first()
        if row is None:
            return None
        return BlobState(int(row.size), int(row.received), bool(row.complete), _units(row.units))

    def state(self, sha256: str) -> BlobState | None:
        """What is held of `sha256`, or None."""
        with self.engine.connect() as conn:
            return self._state(conn, sha256)

    def begin(self, sha256: str, size: int, unit: str) -> BlobState:
        """Start or continue an upload; a partial one with another size starts again."""
        with self.engine.begin() as conn:
            held = self._state(conn, sha256)
            if held is not None and held.complete:
                return held
            if held is None or held.size != size:
                conn.execute(delete(hub_blob_chunk).where(hub_blob_chunk.c.sha256 == sha256))
                conn.execute(delete(hub_blob).where(hub_blob.c.sha256 == sha256))
                conn.execute(insert(hub_blob).values(sha256=sha256, size=size, received=0, complete=False,
                                                     units=json.dumps([unit])))
            elif unit not in held.units:
                self._set_units(conn, sha256, {*held.units, unit})
            return self._state(conn, sha256) or BlobState(size, 0, False, frozenset({unit}))

    def _set_units(self, conn: Connection, sha256: str, units: set[str]) -> None:
        conn.execute(update(hub_blob).where(hub_blob.c.sha256 == sha256).values(units=json.dumps(sorted(units))))

    def append(self, sha256: str, offset: int, chunk: bytes) -> int:
        """Add a checked chunk when `offset` is what is held (one row, committed at once; of two uploads
        racing for the same offset, the primary key keeps one)."""
        try:
            with self.engine.begin() as conn:
                held = self._state(conn, sha256)
                if held is None or held.complete or offset != held.received:
                    return held.received if held else 0
                conn.execute(insert(hub_blob_chunk).values(sha256=sha256, byte_offset=offset, data=chunk))
                conn.execute(update(hub_blob).where(hub_blob.c.sha256 == sha256)
                             .values(received=offset + len(chunk)))
                return offset + len(chunk)
        except IntegrityError:
            held = self.state(sha256)
            return held.received if held else 0

    def flush(self, sha256: str) -> None:
        """Nothing to do: each chunk was committed by `append`."""

    def finish(self, sha256: str) -> bool:
        """Hash the chunks in order: mark the blob complete, or discard its bytes (to be sent again)."""
        digest = hashlib.sha256()
        with self.engine.connect() as conn:
            for (data,) in conn.execute(select(hub_blob_chunk.c.data).where(hub_blob_chunk.c.sha256 == sha256)
                                        .order_by(hub_blob_chunk.c.byte_offset)):
                digest.update(data)
        with self.engine.begin() as conn:
            if digest.hexdigest() != sha256:
                conn.execute(delete(hub_blob_chunk).where(hub_blob_chunk.c.sha256 == sha256))
                conn.execute(update(hub_blob).where(hub_blob.c.sha256 == sha256).values(received=0))
                return False
            conn.execute(update(hub_blob).where(hub_blob.c.sha256 == sha256).values(complete=True))
            return True

    def add_unit(self, sha256: str, unit: str) -> None:
        """Let another unit read a complete blob it has proven it holds."""
        with self.engine.begin() as conn:
            held = self._state(conn, sha256)
            if held is not None and unit not in held.units:
                self._set_units(conn, sha256, {*held.units, unit})

    def read(self, sha256: str, offset: int) -> Iterator[bytes]:
        """The complete blob's bytes from `offset`, one stored chunk (one short query) at a time."""
        chunk = hub_blob_chunk.c
        with self.engine.connect() as conn:
            first = select(func.max(chunk.byte_offset)).where(chunk.sha256 == sha256, chunk.byte_offset <= offset)
            at = conn.execute(first).scalar_one_or_none() or 0
        while True:
            with self.engine.connect() as conn:
                data = conn.execute(select(chunk.data).where(chunk.sha256 == sha256, chunk.byte_offset == at)
                                    ).scalar_one_or_none()
            if data is None:
                return
            yield bytes(data[max(0, offset - at):])
            at += len(data)
