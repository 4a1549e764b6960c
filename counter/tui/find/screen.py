"""Find dossiers: by code (or its tail), by 12-digit ID number, or by name typed without diacritics."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, Label

from counter.citizens.identity import Identity
from counter.tui.common.dossier_table import DossierTable
from counter.tui.common.screen import CounterScreen
from counter.tui.messages import OpenDossier


class FindResults(Message):
    """Dossiers matching `query` (as shown to the clerk: quoted text, or whose card)."""

    def __init__(self, query: str, dossiers: list[Any]) -> None:
        super().__init__()
        self.query = query
        self.dossiers = dossiers


class FindScreen(CounterScreen):
    """A search field and the matching dossiers."""

    SCREEN_TITLE = "Tìm hồ sơ"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Quay lại", id="back"),
        Binding("f2", "focus_query", "Ô tìm", id="focus_query"),
    ]

    def compose_body(self) -> ComposeResult:
        """The field, a result line and the table."""
        with Vertical(id="find", classes="panel"):
            yield Input(placeholder="Mã hồ sơ, số định danh, hoặc họ tên (gõ không dấu được), rồi Enter",
                        id="find-query")
            yield Label("", id="find-title", classes="panel-title")
            yield DossierTable(id="find-table")

    def on_mount(self) -> None:
        """Start typing at once."""
        self.action_focus_query()

    def action_focus_query(self) -> None:
        """Back to the search field."""
        self.query_one("#find-query").focus()

    @on(Input.Submitted, "#find-query")
    def _submit(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self._search(event.value.strip())

    def take_person(self, person: Identity) -> None:
        """A card scanned while finding: the dossiers of that citizen."""
        self.query_one("#find-query", Input).value = ""
        self._search(person.id_number, f"thẻ của {person.full_name} ({person.masked_id})")

    @work(thread=True, group="find", exclusive=True, exit_on_error=False)
    def _search(self, query: str, shown: str = "") -> None:
        from counter.services.dossiers import search

        desk = self.desk
        self.post_message(FindResults(shown or f"“{query}”", search(desk.ctx, query, desk.clerk).dossiers))

    def on_find_results(self, message: FindResults) -> None:
        """Show what was found; one result is opened straight away only by the clerk's Enter."""
        ctx = self.desk.ctx
        title = self.query_one("#find-title", Label)
        table = self.query_one(DossierTable)
        table.show(message.dossiers, ctx.forms, ctx.now())
        if message.dossiers:
            title.update(f"{len(message.dossiers)} hồ sơ khớp với {escape(message.query)} — Enter để mở")
            table.focus()
        else:
            title.update(f"Không tìm thấy hồ sơ nào khớp với {escape(message.query)}.")

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.post_message(OpenDossier(str(event.row_key.value)))

    def action_back(self) -> None:
        """Back to where the clerk was."""
        self.dismiss()
