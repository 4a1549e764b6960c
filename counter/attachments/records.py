"""Attachments of dossiers, folded from their `attachment_added` / `attachment_removed` events (own or pulled)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from counter.errors import NotFoundError
from counter.store import plain

ATTACHMENT_ADDED = "attachment_added"
ATTACHMENT_REMOVED = "attachment_removed"
COMPONENT, RESULT = "component", "result"
KINDS = {COMPONENT: "Thành phần hồ sơ", RESULT: "Kết quả"}
MIN_DPI = 200
"""Digitised papers: at least 200 dpi (archives circulars; research/2026-12-notes.md)."""


def dpi_note(dpi: int | None) -> str:
    """", 300 dpi" as a listing shows it, marked when under the digitisation rule ("" when unknown)."""
    if dpi is None:
        return ""
    return f", {dpi} dpi (dưới {MIN_DPI} dpi)" if dpi < MIN_DPI else f", {dpi} dpi"


@dataclass(frozen=True)
class Attachment:
    """One attachment of a dossier as its `attachment_added` event recorded it."""

    id: str
    """The id of its `attachment_added` event."""
    dossier_code: str
    sha256: str
    kind: str
    title: str
    pages: int
    bytes: int
    dpi: int | None
    reused_from: str
    """The dossier code it was linked from ("" when scanned for this dossier)."""
    clerk: str
    added_at: datetime
    counter_id: str

    def to_json(self, n: int | None = None) -> dict[str, Any]:
        """The attachment as `--json` prints it (`n`: its number in the dossier's list)."""
        data = {"id": self.id, "dossier": self.dossier_code, "sha256": self.sha256, "kind": self.kind,
                "title": self.title, "pages": self.pages, "bytes": self.bytes, "dpi": self.dpi,
                "reused_from": self.reused_from or None, "clerk": self.clerk,
                "added_at": self.added_at.isoformat(timespec="seconds"), "counter_id": self.counter_id}
        return {"n": n, **data} if n is not None else data


def _attachment(row: Any, payload: dict[str, Any]) -> Attachment:
    dpi = payload.get("dpi")
    return Attachment(
        id=row[0], dossier_code=row[2], sha256=str(payload["sha256"]), kind=str(payload.get("kind", COMPONENT)),
        title=str(payload.get("title", "")), pages=int(payload.get("pages", 0)), bytes=int(payload.get("bytes", 0)),
        dpi=int(dpi) if isinstance(dpi, int) else None, reused_from=str(payload.get("reused_from") or ""),
        clerk=row[5], added_at=datetime.fromisoformat(str(row[6])), counter_id=row[7])


def fold(event_rows: Any) -> dict[str, list[Attachment]]:
    """Dossier uuid → its attachments still in place, in the order they were added (rows in clock order)."""
    found: dict[str, list[Attachment]] = {}
    for row in event_rows:
        payload = json.loads(row[4])
        current = found.setdefault(row[1], [])
        if row[3] == ATTACHMENT_ADDED:
            current.append(_attachment(row, payload))
        elif row[3] == ATTACHMENT_REMOVED:
            found[row[1]] = [a for a in current if a.id != payload.get("attachment_id")]
    return found


def of_dossier(conn: Any, dossier_uuid: str) -> list[Attachment]:
    """A dossier's attachments in place, in order (N counts from 1 in this order); `conn` a DB-API connection."""
    return fold(plain.attachment_events(conn, dossier_uuid)).get(dossier_uuid, [])


def nth(conn: Any, dossier_uuid: str, code: str, n: int) -> Attachment:
    """Attachment number `n` (from 1) of a dossier, or one sentence saying how many there are."""
    attached = of_dossier(conn, dossier_uuid)
    if not 1 <= n <= len(attached):
        raise NotFoundError(f"Hồ sơ {code} có {len(attached)} tệp đính kèm; không có tệp số {n}.")
    return attached[n - 1]


def of_citizen(conn: Any, id_number: str) -> list[Attachment]:
    """Attachments in place on any dossier this counter holds where the citizen is one of the people,
    one per paper (SHA-256: the first time it was attached), oldest first."""
    found = plain.citizen_attachment_events(conn, id_number)
    papers: dict[str, Attachment] = {}
    for attachment in sorted((a for group in fold(found).values() for a in group), key=lambda a: a.added_at):
        papers.setdefault(attachment.sha256, attachment)
    return list(papers.values())


def referring(conn: Any, sha256: str) -> list[Attachment]:
    """Every attachment in place, on any dossier, that holds these bytes."""
    uuids = plain.dossiers_attaching(conn, sha256)
    return [a for uuid in uuids for a in of_dossier(conn, uuid) if a.sha256 == sha256]


def has_result(conn: Any, dossier_uuid: str) -> bool:
    """True when a `result` attachment is in place on the dossier."""
    return any(a.kind == RESULT for a in of_dossier(conn, dossier_uuid))
