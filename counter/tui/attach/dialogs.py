"""Dialogs for scanned papers: files from the scanner's folder (or a typed path), and earlier papers to link.

On a saved dossier they act at once (one service call each); on the form (`code` None) they only check the
files and hand the result back, stored with the dossier when it is saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Label, OptionList, Select, SelectionList
from textual.widgets.option_list import Option

from counter.attachments.records import KINDS, Attachment
from counter.errors import CounterError
from counter.tui.lifecycle.dialogs import LifecycleDialog

UNSAVED = "đang lập"


def paper_line(paper: Attachment) -> str:
    """One earlier paper as the form and the dialog show it: title, date, kind, dossier."""
    return (f"{paper.title}, {paper.added_at:%d/%m/%Y} ({KINDS.get(paper.kind, paper.kind).lower()}, "
            f"{paper.pages} trang, hồ sơ {paper.dossier_code})")


class AttachDialog(LifecycleDialog):
    """Choose scans from the inbox (newest first; attached in the order they were scanned) or type paths."""

    TITLE_TEXT = "Đính kèm bản quét"

    def __init__(self, code: str | None, detail: dict[str, Any] | None = None) -> None:
        super().__init__(detail or {"code": code or UNSAVED})
        self.saved = code is not None
        self.result: Any = None
        """What was done: the `Attached` (saved dossier) or the checked `Scan` (form)."""

    def compose_fields(self) -> ComposeResult:
        """Inbox files, a typed path, the kind and the title."""
        from counter.attachments.inbox import scans

        inbox = self.desk.ctx.config.digitisation.inbox
        found = scans(inbox)
        if found:
            yield Label(f"Tệp trong thư mục máy quét {escape(inbox)} (Space: chọn; mới nhất ở trên):")
            yield SelectionList[str](*[(escape(f.preview()), str(f.path)) for f in found], id="at-inbox")
        else:
            yield Label("Chưa đặt thư mục máy quét ([digitisation] inbox) hoặc thư mục trống; gõ đường dẫn tệp."
                        if not inbox else f"Thư mục máy quét {escape(inbox)} chưa có tệp nào; gõ đường dẫn tệp.",
                        classes="hint")
        yield Input(placeholder="Hoặc đường dẫn tệp (nhiều tệp cách nhau bởi dấu ;)", id="at-path")
        yield Select([(label, kind) for kind, label in KINDS.items()], value="component", allow_blank=False,
                     id="at-kind")
        yield Input(placeholder="Tên giấy tờ, ví dụ Giấy khai sinh", id="at-title")

    def on_mount(self) -> None:
        """Start on the inbox list, or on the path."""
        lists = self.query("#at-inbox")
        (lists.first() if lists else self.query_one("#at-path")).focus()

    @on(Input.Submitted, "#at-path")
    def _next(self) -> None:
        self.query_one("#at-title").focus()

    @on(Input.Submitted, "#at-title")
    def _go(self) -> None:
        self.submit()

    def values(self) -> dict[str, str]:
        """Typed values plus the chosen inbox files (oldest first: the order they were scanned)."""
        chosen = self.query(SelectionList)
        picked = [str(v) for v in chosen.first(SelectionList).selected] if chosen else []
        picked.sort(key=lambda p: Path(p).stat().st_mtime if Path(p).exists() else 0)
        return super().values() | {"at-inbox": "\n".join(picked)}

    def act(self, values: dict[str, str]) -> None:
        """Check and attach (saved dossier) or check and keep (form)."""
        from counter.services import attachments

        typed = [Path(p.strip().strip('"')).expanduser() for p in values["at-path"].split(";") if p.strip()]
        files = [Path(p) for p in values["at-inbox"].splitlines() if p] + typed
        if not files:
            raise CounterError("Chọn tệp trong thư mục máy quét (Space) hoặc gõ đường dẫn tệp.")
        desk = self.desk
        if self.saved:
            self.result = attachments.attach(desk.ctx, self.code, files, desk.clerk, values["at-kind"],
                                             values["at-title"])
        else:
            self.result = attachments.scan(desk.ctx, files, values["at-kind"], values["at-title"])


class ReuseDialog(LifecycleDialog):
    """Link a paper already digitised for one of the people (instead of scanning it again)."""

    TITLE_TEXT = "Dùng lại bản số hóa"

    def __init__(self, code: str | None, papers: list[Attachment]) -> None:
        super().__init__({"code": code or UNSAVED})
        self.saved = code is not None
        self.papers = papers
        self.chosen: Attachment | None = None

    def compose_fields(self) -> ComposeResult:
        """The papers, newest last."""
        if self.papers:
            yield OptionList(*[Option(escape(paper_line(p)), id=p.sha256) for p in self.papers], id="re-papers")
        else:
            yield Label("Chưa có bản số hóa nào của người trong hồ sơ này.", classes="hint")

    def on_mount(self) -> None:
        """Start on the list."""
        if self.query("#re-papers"):
            self.query_one("#re-papers").focus()

    @on(OptionList.OptionSelected, "#re-papers")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.chosen = next(p for p in self.papers if p.sha256 == event.option.id)
        self.submit()

    def act(self, values: dict[str, str]) -> None:
        """Link the chosen paper now (saved dossier); on the form it is linked when the dossier is saved."""
        from counter.services.attachments import reuse

        if self.chosen is None:
            raise CounterError("Chọn một bản số hóa trong danh sách (Enter).")
        if self.saved:
            desk = self.desk
            reuse(desk.ctx, self.code, self.chosen.sha256, desk.clerk)
