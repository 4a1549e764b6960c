"""Today's queue at this counter: status and due date of every dossier received today."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Label

from counter.tui.common.dossier_table import DossierTable
from counter.tui.common.screen import CounterScreen
from counter.tui.messages import OpenDossier


class QueueLoaded(Message):
    """Today's dossiers, read by a worker."""

    def __init__(self, dossiers: list[Any]) -> None:
        super().__init__()
        self.dossiers = dossiers


class QueueScreen(CounterScreen):
    """The day's dossiers; Enter or a click opens one."""

    SCREEN_TITLE = "Hồ sơ hôm nay"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Quay lại", id="back"),
        Binding("f8", "reload", "Tải lại", id="reload"),
    ]

    def compose_body(self) -> ComposeResult:
        """A heading and the table."""
        with Vertical(id="queue", classes="panel"):
            yield Label("Đang tải…", id="queue-title", classes="panel-title")
            yield DossierTable(id="queue-table")

    def on_mount(self) -> None:
        """Read today's dossiers."""
        self.query_one("#queue-table").focus()
        self.action_reload()

    def on_screen_resume(self) -> None:
        """Coming back from a dossier: statuses may have changed."""
        self.action_reload()

    def action_reload(self) -> None:
        """Read the queue again."""
        self._load()

    @work(thread=True, group="queue", exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        from counter.services.dossiers import day_list

        ctx = self.desk.ctx
        self.post_message(QueueLoaded(list(reversed(day_list(ctx, ctx.now().date(), ctx.config.counter.id)))))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        """Show the rows, newest first."""
        ctx = self.desk.ctx
        now = ctx.now()
        title = f"Quầy {ctx.config.counter.id} · ngày {now:%d/%m/%Y} · {len(message.dossiers)} hồ sơ"
        if not message.dossiers:
            title += " — chưa tiếp nhận hồ sơ nào hôm nay"
        self.query_one("#queue-title", Label).update(title)
        self.query_one(DossierTable).show(message.dossiers, ctx.forms, now)

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        self.app.post_message(OpenDossier(str(event.row_key.value)))

    def action_back(self) -> None:
        """Back to where the clerk was."""
        self.dismiss()
