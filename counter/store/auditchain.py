"""The audit log as a hash chain: each entry holds SHA-256(previous hash + SHA-256(its canonical content)).

An edited field, or an entry deleted or inserted in the middle, breaks the chain from that entry on;
the hub keeps the newest head per counter, so a history rewritten from the start shows there too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter.store.rows import to_sql

GENESIS = "0" * 64
"""The `prev_hash` of the first entry."""
ROW_COLUMNS = "id, at, clerk, action, subject_kind, subject_ref, detail, prev_hash, entry_hash"
"""The columns `verify_rows` expects, in this order."""


def _moment(value: datetime | str) -> str:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.isoformat()


def content_digest(entry_id: int, at: datetime | str, clerk: str, action: str, subject_kind: str,
                   subject_ref: str, detail: str) -> bytes:
    """SHA-256 of an entry's canonical content (compact JSON of its fields, the time in ISO form)."""
    canonical = json.dumps([entry_id, _moment(at), clerk, action, subject_kind, subject_ref, detail],
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).digest()


def link(prev_hash: str, digest: bytes) -> str:
    """The hash of an entry: SHA-256 over the previous entry's hash and this entry's content digest."""
    return hashlib.sha256(bytes.fromhex(prev_hash) + digest).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking a chain: how many entries, the head, and the first entry that does not fit."""

    count: int
    head: str
    bad_id: int | None = None
    bad_at: str = ""
    reason: str = ""

    @property
    def ok(self) -> bool:
        """True when every entry fits."""
        return self.bad_id is None

    def to_json(self) -> dict[str, Any]:
        """The report as a JSON object."""
        data: dict[str, Any] = {"ok": self.ok, "entries": self.count, "head": self.head}
        if not self.ok:
            data.update({"first_bad_id": self.bad_id, "first_bad_at": self.bad_at, "reason": self.reason})
        return data


def verify_rows(rows: Iterable[tuple[Any, ...]]) -> ChainReport:
    """Check rows (ROW_COLUMNS, ordered by id) from the first entry on; stops at the first that does not fit."""
    prev = GENESIS
    count = 0
    for entry_id, at, clerk, action, kind, ref, detail, prev_hash, entry_hash in rows:
        count += 1
        expected = link(prev, content_digest(entry_id, at, clerk, action, kind, ref, detail))
        if prev_hash != prev:
            return ChainReport(count - 1, prev, entry_id, _moment(at), "không nối tiếp mục trước (có mục bị xoá, "
                               "chèn hoặc sửa)")
        if entry_hash != expected:
            return ChainReport(count - 1, prev, entry_id, _moment(at), "nội dung đã bị sửa")
        prev = entry_hash
    return ChainReport(count, prev)


def ordered_rows(conn: Any) -> Any:
    """Every entry's ROW_COLUMNS in id order, from a DB-API connection (what verify_rows reads)."""
    return conn.execute(f"SELECT {ROW_COLUMNS} FROM audit_log ORDER BY id")


def head(conn: Any) -> tuple[int, str]:
    """How many entries the log holds and the hash of the last one (GENESIS when empty)."""
    row = conn.execute("SELECT count(*), (SELECT entry_hash FROM audit_log ORDER BY id DESC LIMIT 1) "
                       "FROM audit_log").fetchone()
    return int(row[0]), row[1] or GENESIS


def hash_at(conn: Any, count: int) -> str | None:
    """The chain hash after the first `count` entries (GENESIS for 0), or None when there are fewer."""
    if count == 0:
        return GENESIS
    row = conn.execute("SELECT entry_hash FROM audit_log ORDER BY id LIMIT 1 OFFSET ?", (count - 1,)).fetchone()
    return None if row is None else str(row[0])


def append(conn: Any, clerk: str, action: str, subject_kind: str, subject_ref: str, detail: str,
           at: datetime) -> None:
    """Add one entry chained to the last, inside the caller's write transaction (a DB-API connection)."""
    last = conn.execute("SELECT id, entry_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    entry_id, prev = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS)
    entry_hash = link(prev, content_digest(entry_id, at, clerk, action, subject_kind, subject_ref, detail))
    conn.execute(f"INSERT INTO audit_log ({ROW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (entry_id, to_sql(at), clerk, action, subject_kind, subject_ref, detail, prev, entry_hash))
