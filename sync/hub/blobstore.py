"""Where the hub keeps attachment blobs: a small interface, and the default directory implementation.

A province running PostgreSQL or an S3-compatible store implements `BlobStorage` over it; the HTTP layer
(sync/hub/blobroutes.py) only calls these methods. Blobs are named by their SHA-256; a partial upload grows
only by checked chunks at its end; `finish` checks the whole hash before a blob is served.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class BlobState:
    """What the hub holds of one blob."""

    size: int
    received: int
    complete: bool
    units: frozenset[str] = field(default_factory=frozenset)
    """Units whose counters sent these bytes (and so may read them)."""


class BlobStorage(Protocol):
    """The hub's blob store. Methods may block; they are called from worker threads."""

    def state(self, sha256: str) -> BlobState | None:
        """What is held of `sha256`, or None."""
        ...

    def begin(self, sha256: str, size: int, unit: str) -> BlobState:
        """Start (or continue) an upload of `size` bytes for `unit`; a complete blob only gains the unit
        once its bytes are proven by an upload of its own (see `prove`)."""
        ...

    def append(self, sha256: str, offset: int, chunk: bytes) -> int:
        """Add a checked chunk at `offset` (which must be what is held); returns the bytes now held."""
        ...

    def flush(self, sha256: str) -> None:
        """Make what `append` added durable (called when an upload request ends, however it ended)."""
        ...

    def finish(self, sha256: str) -> bool:
        """Check the whole blob against its name: True and complete, or False and discarded."""
        ...

    def add_unit(self, sha256: str, unit: str) -> None:
        """Let `unit` read a complete blob whose bytes it has sent in full."""
        ...

    def read(self, sha256: str, offset: int) -> Iterator[bytes]:
        """The bytes of a complete blob from `offset`, in pieces."""
        ...


class DirectoryBlobStorage:
    """Blobs as files under `root/<first two hex>/`: `<sha>.part` while arriving, `<sha>` when complete,
    `<sha>.json` with size and units. Appends are fsynced when a request ends, before its answer; what a
    crash loses is simply asked for again (the hub answers what its file holds)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        root.mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str, suffix: str = "") -> Path:
        return self.root / sha256[:2] / f"{sha256}{suffix}"

    def _meta(self, sha256: str) -> dict[str, object] | None:
        try:
            data = json.loads(self._path(sha256, ".json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _write_meta(self, sha256: str, size: int, units: set[str]) -> None:
        path = self._path(sha256, ".json")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"size": size, "units": sorted(units)}), encoding="utf-8")
        os.replace(tmp, path)

    def state(self, sha256: str) -> BlobState | None:
        """What is held of `sha256`, or None."""
        meta = self._meta(sha256)
        if meta is None:
            return None
        size, units = int(str(meta["size"])), frozenset(str(u) for u in meta.get("units", []))  # type: ignore[attr-defined]
        if self._path(sha256).exists():
            return BlobState(size, size, True, units)
        part = self._path(sha256, ".part")
        return BlobState(size, part.stat().st_size if part.exists() else 0, False, units)

    def begin(self, sha256: str, size: int, unit: str) -> BlobState:
        """Start or continue an upload; a partial one with another size starts again."""
        with self._lock:
            held = self.state(sha256)
            if held is not None and held.complete:
                return held
            if held is None or held.size != size:
                self._path(sha256, ".part").unlink(missing_ok=True)
                self._write_meta(sha256, size, {unit})
            elif unit not in held.units:
                self._write_meta(sha256, size, {*held.units, unit})
            return self.state(sha256) or BlobState(size, 0, False, frozenset({unit}))

    def append(self, sha256: str, offset: int, chunk: bytes) -> int:
        """Append a checked chunk when `offset` is what the part file holds."""
        with self._lock:
            part = self._path(sha256, ".part")
            held = part.stat().st_size if part.exists() else 0
            if offset != held:
                return held
            with open(part, "ab") as handle:
                handle.write(chunk)
            return held + len(chunk)

    def flush(self, sha256: str) -> None:
        """fsync the part file."""
        part = self._path(sha256, ".part")
        if part.exists():
            with open(part, "rb+") as handle:
                os.fsync(handle.fileno())

    def finish(self, sha256: str) -> bool:
        """Hash the part file: rename it complete, or discard it."""
        part = self._path(sha256, ".part")
        digest = hashlib.sha256()
        with open(part, "rb") as handle:
            for piece in iter(lambda: handle.read(1 << 20), b""):
                digest.update(piece)
        with self._lock:
            if digest.hexdigest() != sha256:
                part.unlink(missing_ok=True)
                return False
            os.replace(part, self._path(sha256))
            return True

    def add_unit(self, sha256: str, unit: str) -> None:
        """Let another unit read a complete blob it has proven it holds."""
        with self._lock:
            held = self.state(sha256)
            if held is not None and unit not in held.units:
                self._write_meta(sha256, held.size, {*held.units, unit})

    def read(self, sha256: str, offset: int) -> Iterator[bytes]:
        """The complete blob's bytes from `offset`, 256 KB at a time."""
        with open(self._path(sha256), "rb") as handle:
            handle.seek(offset)
            yield from iter(lambda: handle.read(256 * 1024), b"")
