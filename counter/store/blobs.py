"""The blob store: attachment bytes kept once per SHA-256, in chunks inside the counter's SQLCipher database,
so they are encrypted with the store's key, written in the caller's transaction and carried by backups."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime

from sqlmodel import Session

from counter.errors import CounterError
from counter.store import rows

CHUNK_BYTES = 256 * 1024
"""Chunk size in the database (and, later, on the wire)."""
MEDIA_PDF = "application/pdf"


class BlobDamaged(CounterError):
    """Stored bytes no longer match their hash (or some are missing)."""

    title = "Tệp đính kèm bị hỏng"


def holds(session: Session, sha256: str) -> bool:
    """True when the complete bytes of `sha256` are in this counter's store."""
    found = rows.driver(session).execute("SELECT 1 FROM blob WHERE sha256 = ? AND complete = 1", (sha256,))
    return found.fetchone() is not None


def put(session: Session, data: bytes, at: datetime, media_type: str = MEDIA_PDF) -> str:
    """Store `data` under its SHA-256 (once: a blob already held is not written again); returns the hash."""
    sha = hashlib.sha256(data).hexdigest()
    if holds(session, sha):
        return sha
    conn = rows.driver(session)
    conn.execute("DELETE FROM blob_chunk WHERE sha256 = ?", (sha,))
    conn.execute("DELETE FROM blob WHERE sha256 = ?", (sha,))
    conn.execute("INSERT INTO blob (sha256, size, media_type, chunk_bytes, complete, stored_at) "
                 "VALUES (?, ?, ?, ?, 1, ?)", (sha, len(data), media_type, CHUNK_BYTES, rows.to_sql(at)))
    conn.executemany("INSERT INTO blob_chunk (sha256, seq, data) VALUES (?, ?, ?)",
                     [(sha, i, data[offset:offset + CHUNK_BYTES])
                      for i, offset in enumerate(range(0, len(data), CHUNK_BYTES))])
    return sha


def chunks(session: Session, sha256: str) -> Iterator[bytes]:
    """The blob's bytes chunk by chunk, checked against its hash and size at the end (BlobDamaged)."""
    conn = rows.driver(session)
    row = conn.execute("SELECT size FROM blob WHERE sha256 = ? AND complete = 1", (sha256,)).fetchone()
    if row is None:
        raise BlobDamaged(f"Quầy không còn giữ nội dung tệp {sha256[:12]}….")
    digest, size = hashlib.sha256(), 0
    for (data,) in conn.execute("SELECT data FROM blob_chunk WHERE sha256 = ? ORDER BY seq", (sha256,)):
        digest.update(data)
        size += len(data)
        yield bytes(data)
    if size != row[0] or digest.hexdigest() != sha256:
        raise BlobDamaged(f"Nội dung tệp {sha256[:12]}… trong cơ sở dữ liệu không khớp mã băm; "
                          "hãy khôi phục từ bản sao lưu.")


def read(session: Session, sha256: str) -> bytes:
    """The whole blob, checked."""
    return b"".join(chunks(session, sha256))


def drop(session: Session, sha256: str) -> None:
    """Delete a blob's bytes (the caller has checked that no attachment refers to it any more)."""
    conn = rows.driver(session)
    conn.execute("DELETE FROM blob_chunk WHERE sha256 = ?", (sha256,))
    conn.execute("DELETE FROM blob WHERE sha256 = ?", (sha256,))


def partial(session: Session, sha256: str) -> tuple[int | None, int]:
    """(size, bytes held) of a blob being fetched: (None, 0) when nothing of it is here."""
    conn = rows.driver(session)
    row = conn.execute("SELECT size FROM blob WHERE sha256 = ? AND complete = 0", (sha256,)).fetchone()
    if row is None:
        return None, 0
    held = conn.execute("SELECT coalesce(sum(length(data)), 0) FROM blob_chunk WHERE sha256 = ?", (sha256,))
    return int(row[0]), int(held.fetchone()[0])


def append_partial(session: Session, sha256: str, size: int, offset: int, chunk: bytes, at: datetime) -> int:
    """Add a checked chunk fetched from the hub at `offset` (ignored unless it continues what is held)."""
    known, held = partial(session, sha256)
    conn = rows.driver(session)
    if known != size:
        drop(session, sha256)
        conn.execute("INSERT INTO blob (sha256, size, media_type, chunk_bytes, complete, stored_at, acked, "
                     "uploaded_at) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                     (sha256, size, MEDIA_PDF, len(chunk), rows.to_sql(at), size, rows.to_sql(at)))
        held = 0
    if offset != held:
        return held
    seq = conn.execute("SELECT count(*) FROM blob_chunk WHERE sha256 = ?", (sha256,)).fetchone()[0]
    conn.execute("INSERT INTO blob_chunk (sha256, seq, data) VALUES (?, ?, ?)", (sha256, seq, chunk))
    return held + len(chunk)


PENDING = """
    SELECT b.sha256, b.size, b.acked FROM blob b WHERE b.complete = 1 AND b.uploaded_at IS NULL AND EXISTS (
        SELECT 1 FROM dossier_event e WHERE e.type = 'attachment_added'
        AND json_extract(e.payload_json, '$.sha256') = b.sha256 AND e.counter_id = ?)
    ORDER BY b.stored_at
"""


def pending(session: Session, counter_id: str) -> list[tuple[str, int, int]]:
    """(sha256, size, bytes the hub acknowledged) of the blobs of this counter's attachments not yet at the hub."""
    return [(str(s), int(n), int(a)) for s, n, a in rows.driver(session).execute(PENDING, (counter_id,))]


def mark_sent(session: Session, sha256: str, acked: int, done: bool, at: datetime) -> None:
    """Record the bytes the hub acknowledged (and, when `done`, that it holds the whole blob)."""
    rows.driver(session).execute(
        "UPDATE blob SET acked = ?, uploaded_at = CASE WHEN ? THEN ? ELSE uploaded_at END WHERE sha256 = ?",
        (acked, int(done), rows.to_sql(at), sha256))


def complete_partial(session: Session, sha256: str, at: datetime) -> bool:
    """Check a fully fetched blob against its name: kept (True), or dropped to be fetched again (False)."""
    digest, size = hashlib.sha256(), 0
    conn = rows.driver(session)
    for (data,) in conn.execute("SELECT data FROM blob_chunk WHERE sha256 = ? ORDER BY seq", (sha256,)):
        digest.update(data)
        size += len(data)
    if digest.hexdigest() != sha256:
        drop(session, sha256)
        return False
    conn.execute("UPDATE blob SET complete = 1, size = ?, acked = ?, uploaded_at = ? WHERE sha256 = ?",
                 (size, size, rows.to_sql(at), sha256))
    return True
