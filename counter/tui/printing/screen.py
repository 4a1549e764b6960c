"""Print, save as PDF and reprint a dossier's documents from the TUI; a failure is one sentence with a retry."""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from counter.context import CounterContext
from counter.documents.catalog import LABELS
from counter.documents.printing import Printed, available_documents, print_document, save_pdf
from counter.errors import CounterError
from counter.tui.common.screen import CounterScreen

PRINT, SAVE = "print", "save"


class PrintScreen(ModalScreen[None]):
    """Choose one of the dossier's documents, print it or save it as PDF, and retry or reprint."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Đóng"),
        Binding("f5", "print", "In"),
        Binding("f6", "run('save')", "Lưu PDF"),
    ]

    DEFAULT_CSS = """
    PrintScreen { align: center middle; }
    #print-box { width: 72; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    #print-kinds { height: auto; max-height: 8; margin: 1 0; }
    #print-status { height: auto; min-height: 2; }
    #print-status.error { color: $error; }
    #print-buttons { height: auto; align-horizontal: right; }
    #print-buttons Button { margin-left: 1; }
    """

    def __init__(self, ctx: CounterContext, code: str, clerk: str, kind: str = "receipt") -> None:
        """Prepare the dialog for dossier `code`, with `kind` selected first when it can be printed."""
        super().__init__()
        self.ctx = ctx
        self.code = code
        self.clerk = clerk
        try:
            self.kinds = available_documents(ctx, code)
        except CounterError:
            self.kinds = ["receipt", "form"]
        self.first = self.kinds.index(kind) if kind in self.kinds else 0
        self.retry: str | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        """Title, the list of documents, the status line and the buttons."""
        with Vertical(id="print-box"):
            yield Label(f"In giấy tờ của hồ sơ {self.code}", id="print-title")
            yield OptionList(*(Option(LABELS[k], id=k) for k in self.kinds), id="print-kinds")
            yield Static(self._target_hint(), id="print-status", markup=False)
            with Horizontal(id="print-buttons"):
                yield Button("In (F5)", id="print", variant="primary")
                yield Button("Lưu PDF (F6)", id="save")
                yield Button("Đóng (Esc)", id="close")

    def on_mount(self) -> None:
        """Select the requested document and put the focus on the list."""
        kinds = self.query_one("#print-kinds", OptionList)
        kinds.highlighted = self.first
        kinds.focus()

    def _target_hint(self) -> str:
        printer = self.ctx.config.printer
        where = {"pdf": "chỉ lưu PDF", "escpos": f"máy in nhiệt {printer.device or '(chưa khai báo)'}",
                 "system": f"máy in {printer.name or 'mặc định'}"}[printer.kind]
        return f"Máy in: {where}."

    @property
    def kind(self) -> str:
        """The document currently highlighted."""
        index = self.query_one("#print-kinds", OptionList).highlighted
        return self.kinds[index if index is not None else 0]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a document prints it."""
        event.stop()
        self.action_print()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Print, save (the retry button repeats the last action), or close."""
        event.stop()
        if event.button.id == "close":
            self.action_close()
        elif event.button.id == "print":
            self.action_print()
        else:
            self.action_run(SAVE)

    def action_print(self) -> None:
        """Print (or, after a failure, repeat what failed)."""
        self.action_run(self.retry or PRINT)

    def action_run(self, action: str) -> None:
        """Print or save the highlighted document in a worker thread (the spooler may be slow)."""
        if self.busy:
            return
        self.busy = True
        self.retry = None
        self._status("Đang in…" if action == PRINT else "Đang lưu PDF…", error=False)
        job = print_document if action == PRINT else save_pdf
        self.run_worker(partial(job, self.ctx, self.kind, self.code, self.clerk), name=action, group="print",
                        thread=True, exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show the outcome: the printed/saved message, or the reason with a retry button."""
        if event.worker.group != "print" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.busy = False
        button = self.query_one("#print", Button)
        if event.state == WorkerState.SUCCESS and isinstance(event.worker.result, Printed):
            self._status(event.worker.result.message, error=False)
            button.label = "In lại (F5)"
            return
        error = event.worker.error
        reason = error.message if isinstance(error, CounterError) else f"In không thành công ({error})."
        self._status(reason, error=True)
        self.retry = event.worker.name
        button.label = "Thử lại (F5)"

    def _status(self, text: str, error: bool) -> None:
        status = self.query_one("#print-status", Static)
        status.update(text)
        status.set_class(error, "error")

    def action_close(self) -> None:
        """Close the dialog (a running print carries on and is audited)."""
        self.dismiss(None)


def open_print_dialog(screen: CounterScreen, code: str, kind: str = "receipt") -> None:
    """Open the print dialog over `screen` for dossier `code` (the hook of the receipt and dossier screens)."""
    desk = screen.desk
    screen.app.push_screen(PrintScreen(desk.ctx, code, desk.clerk, kind))
