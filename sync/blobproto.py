"""The blob part of the sync protocol: attachment bytes travel apart from events, in checked chunks.

`GET  {API}/blobs/{sha256}`                      → {"size", "received", "complete"} as the hub holds it
`POST {API}/blobs/{sha256}?offset=N&size=S`      body: frames from byte N; each frame is the chunk's raw
                                                 SHA-256 (32 bytes) then the chunk (WIRE_CHUNK bytes, the
                                                 last one shorter). The hub keeps every whole, checked
                                                 frame as it arrives, so a cut connection loses at most
                                                 the frame in flight; N must equal what the hub holds.
`GET  {API}/blobs/{sha256}/content?offset=N`     → the same frames from byte N of a complete blob.
A blob is complete when its bytes hash to its name; the hub serves it only to counters of a unit that sent
it. Events never wait for blobs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator

WIRE_CHUNK = 32 * 1024
"""Bytes per frame: a cut link resends at most this much (plus the hub's answer to a status request)."""
DIGEST = 32
SHA256_NAME = re.compile(r"^[0-9a-f]{64}$")
DIGITS = re.compile(r"^[0-9]{1,15}$")
DEFAULT_MAX_BLOB_MB = 50


class FrameError(Exception):
    """A frame whose bytes do not match its hash."""


def frames(data: Iterable[bytes]) -> Iterator[bytes]:
    """Frames (digest + chunk) of the byte stream `data`, cut at WIRE_CHUNK."""
    pending = b""
    for piece in data:
        pending += piece
        while len(pending) >= WIRE_CHUNK:
            chunk, pending = pending[:WIRE_CHUNK], pending[WIRE_CHUNK:]
            yield hashlib.sha256(chunk).digest() + chunk
    if pending:
        yield hashlib.sha256(pending).digest() + pending


class FrameReader:
    """Turns arriving bytes back into checked chunks, given how many bytes the stream must still carry."""

    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        self._buffer = bytearray()

    def feed(self, data: bytes) -> Iterator[bytes]:
        """The whole chunks completed by `data`, each checked (FrameError on a mismatch)."""
        self._buffer += data
        while self.remaining > 0:
            size = min(WIRE_CHUNK, self.remaining)
            if len(self._buffer) < DIGEST + size:
                return
            digest, chunk = bytes(self._buffer[:DIGEST]), bytes(self._buffer[DIGEST:DIGEST + size])
            del self._buffer[:DIGEST + size]
            if hashlib.sha256(chunk).digest() != digest:
                raise FrameError("chunk hash mismatch")
            self.remaining -= size
            yield chunk

    @property
    def overflow(self) -> bool:
        """True when more bytes arrived than the stream may carry."""
        return self.remaining == 0 and bool(self._buffer)
