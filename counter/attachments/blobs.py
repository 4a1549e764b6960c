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
