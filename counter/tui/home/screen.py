"""Home: the scanned citizen's card and earlier dossiers beside the procedure picker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Label

from counter.citizens.identity import Identity

if TYPE_CHECKING:
    from counter.tui.form.draft import Draft
from counter.tui.common.dossier_table import DossierTable
from counter.tui.common.screen import CounterScreen
from counter.tui.home.card import CitizenCard
from counter.tui.home.picker import ProcedurePicker
from counter.tui.messages import OpenDossier, ResetCounter, SetStatus, StartForm


class HistoryLoaded(Message):
    """Earlier dossiers of the citizen with ID `id_number`, read by a worker."""

    def __init__(self, id_number: str, dossiers: list[Any]) -> None:
        super().__init__()
        self.id_number = id_number
        self.dossiers = dossiers


class TicketCalled(Message):
    """The call worker's answer: the ticket called, or the sentence saying why none was."""

    def __init__(self, label: str, text: str, failed: bool) -> None:
        super().__init__()
        self.label, self.text, self.failed = label, text, failed


class HomeScreen(CounterScreen):
    """The empty counter, or the current citizen with the procedure to pick."""

    SCREEN_TITLE = "Quầy tiếp nhận"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "focus_procedures", "Thủ tục", id="procedures", tooltip="Tìm và chọn thủ tục"),
        Binding("f6", "clear", "Quầy trống", id="clear",
                tooltip="Bỏ công dân hiện tại, sẵn sàng cho người tiếp theo"),
        Binding("f8", "call_ticket", "Gọi số", id="call_ticket",
                tooltip="Gọi số thứ tự đang chờ lâu nhất tới quầy này"),
        Binding("escape", "clear", "Quầy trống", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.person: Identity | None = None
        """The citizen at the counter (None: empty counter)."""
        self.draft: Draft | None = None
        """The form being filled for this citizen, kept when the clerk steps back from it."""

    def compose_body(self) -> ComposeResult:
        """Citizen on the left, procedures on the right."""
        with Horizontal(id="home"):
            with Vertical(id="citizen-pane", classes="panel"):
                yield Label("Công dân", classes="panel-title")
                yield CitizenCard(id="card")
                yield Label("", id="history-title", classes="panel-title")
                yield DossierTable(id="history", show_applicant=False)
            with Vertical(id="procedure-pane", classes="panel"):
                yield Label("Thủ tục", classes="panel-title")
                yield ProcedurePicker(id="picker")

    def on_mount(self) -> None:
        """Hide the empty history table and start in the procedure search."""
        self.query_one("#history").display = False
        self.action_focus_procedures()

    def set_forms(self, forms: Any) -> None:
        """Offer the forms of this counter in the picker."""
        self.query_one(ProcedurePicker).set_forms(forms)

    def show_citizen(self, person: Identity | None) -> None:
        """Show a newly scanned citizen (None: the empty counter) and look up earlier dossiers."""
        self.person = person
        self.query_one(CitizenCard).show(person)
        self.query_one("#history").display = False
        self.query_one("#history-title", Label).update("")
        if person is not None:
            self._load_history(person.id_number)
        self.action_focus_procedures()

    def take_person(self, person: Identity) -> None:
        """A scan at the empty or current counter: this citizen now."""
        self.show_citizen(person)

    @work(thread=True, group="history", exclusive=True, exit_on_error=False)
    def _load_history(self, id_number: str) -> None:
        from counter.services.dossiers import citizen_history

        desk = self.desk
        self.post_message(HistoryLoaded(id_number, citizen_history(desk.ctx, id_number, desk.clerk, "quét thẻ")))

    def on_history_loaded(self, message: HistoryLoaded) -> None:
        """Show the citizen's earlier dossiers (if this is still the citizen on screen)."""
        if self.person is None or self.person.id_number != message.id_number:
            return
        ctx = self.desk.ctx
        title = self.query_one("#history-title", Label)
        table = self.query_one("#history", DossierTable)
        if message.dossiers:
            title.update(f"Hồ sơ trước đây ({len(message.dossiers)})")
            table.show(message.dossiers, ctx.forms, ctx.now())
            table.display = True
        else:
            title.update("[dim]Chưa có hồ sơ nào trước đây.[/dim]")

    @on(DataTable.RowSelected, "#history")
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.post_message(OpenDossier(str(event.row_key.value)))

    @on(ProcedurePicker.Picked)
    def _picked(self, event: ProcedurePicker.Picked) -> None:
        self.app.post_message(StartForm(event.form_id))

    def action_focus_procedures(self) -> None:
        """Put the cursor in the procedure search."""
        self.query_one("#procedure-search").focus()

    def action_call_ticket(self) -> None:
        """Call the next queue number to this counter (in a worker)."""
        self._call_ticket()

    @work(thread=True, group="ticket", exclusive=True, exit_on_error=False)
    def _call_ticket(self) -> None:
        from counter.errors import CounterError
        from counter.services import tickets

        desk = self.desk
        try:
            ticket = tickets.call_next(desk.ctx, desk.clerk)
        except CounterError as exc:
            self.post_message(TicketCalled("", exc.message, True))
        else:
            self.post_message(TicketCalled(ticket.label, f"Mời số {ticket.label} ({ticket.group_name}) "
                                           f"tới quầy {ticket.counter}.", False))

    def on_ticket_called(self, message: TicketCalled) -> None:
        """Remember the called number for the next saved dossier and show it in the status bar."""
        if message.failed:
            self.notify(message.text, title="Gọi số", severity="warning", timeout=6)
            return
        self.desk.ticket = message.label
        self.app.post_message(SetStatus("ticket", f"Đang phục vụ số {message.label}", "-ok"))
        self.notify(message.text, title="Gọi số")

    def action_clear(self) -> None:
        """Forget the current citizen: an empty counter for the next person."""
        self.app.post_message(ResetCounter())
