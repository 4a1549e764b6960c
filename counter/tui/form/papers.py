"""Papers on the form: what was digitised earlier for the people scanned (to link instead of scanning again),
and the scans and links waiting to be stored with the dossier when it is saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.markup import escape
from textual.message import Message

from counter.attachments.records import Attachment


class PapersLoaded(Message):
    """Earlier papers of one citizen (by ID number), read in a worker."""

    def __init__(self, id_number: str, papers: list[Attachment]) -> None:
        super().__init__()
        self.id_number = id_number
        self.papers = papers


@dataclass
class FormPapers:
    """Earlier papers by ID number, and what the clerk chose to store with the new dossier."""

    known: dict[str, list[Attachment]] = field(default_factory=dict)
    scans: list[Any] = field(default_factory=list)
    """Checked scans (services.attachments.Scan) to attach on save."""
    links: list[Attachment] = field(default_factory=list)
    """Earlier papers to link on save."""

    def offered(self, id_numbers: list[str]) -> list[Attachment]:
        """Earlier papers of the people now on the form, not yet chosen, oldest first."""
        chosen = {a.sha256 for a in self.links}
        found = {a.sha256: a for n in id_numbers for a in self.known.get(n, []) if a.sha256 not in chosen}
        return sorted(found.values(), key=lambda a: a.added_at)

    def hint(self, id_numbers: list[str]) -> str:
        """The line under the form's head: papers already digitised, and what will be stored on save ("" if none)."""
        parts = []
        offered = self.offered(id_numbers)
        if offered:
            listed = "; ".join(f"{escape(a.title)}, {a.added_at:%d/%m/%Y}" for a in offered[:3])
            more = f" và {len(offered) - 3} giấy tờ khác" if len(offered) > 3 else ""
            parts.append(f"[b]Đã có bản số hóa:[/b] {listed}{more} — Ctrl+T: dùng lại, không quét lại.")
        waiting = [escape(s.title) for s in self.scans] + [f"{escape(a.title)} (dùng lại)" for a in self.links]
        if waiting:
            parts.append(f"Sẽ đính kèm khi lưu: {', '.join(waiting)}.")
        return " ".join(parts)
