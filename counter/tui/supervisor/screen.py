"""The supervisor screen: four tabs over the same core functions the `counter report` CLI uses."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Label, TabbedContent, TabPane

from counter.tui.common.screen import CounterScreen
from counter.tui.supervisor.auditlog import AuditPane
from counter.tui.supervisor.base import Pane
from counter.tui.supervisor.fees import FeesPane
from counter.tui.supervisor.figures import FiguresPane
from counter.tui.supervisor.queue import QueuePane
from counter.tui.supervisor.stuck import StuckPane
from counter.tui.supervisor.waiting import WaitingPane

DENIED = "Chỉ tài khoản giám sát mới xem được hàng đợi chung, số liệu, lệ phí, việc tồn và nhật ký."


class RoleChecked(Message):
    """Whether the signed-in clerk is a supervisor (read from the accounts table)."""

    def __init__(self, allowed: bool, backup: tuple[str, bool] = ("", False)) -> None:
        super().__init__()
        self.allowed = allowed
        self.backup = backup
        """The last backup as a sentence, and whether it is a warning."""


class SupervisorScreen(CounterScreen):
    """Daily queue, figures, waiting, fees, stuck work and audit log, for supervisor accounts only."""

    SCREEN_TITLE = "Giám sát"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Quay lại", id="back"),
        Binding("f8", "reload", "Tải lại", id="reload"),
        Binding("f6", "shift(-1)", "Kỳ trước", id="previous", tooltip="Ngày/tháng trước"),
        Binding("f7", "shift(1)", "Kỳ sau", id="next", tooltip="Ngày/tháng sau"),
    ]

    def compose_body(self) -> ComposeResult:
        """The tabs (hidden until the role is checked) and the refusal line."""
        yield Label("Đang kiểm tra quyền…", id="sup-denied", classes="hint")
        yield Label("", id="sup-backup", classes="hint", markup=False)
        with TabbedContent(id="sup-tabs", initial="tab-queue"):
            with TabPane("Hàng đợi", id="tab-queue"):
                yield QueuePane(id="sup-queue")
            with TabPane("Số liệu", id="tab-figures"):
                yield FiguresPane(id="sup-figures")
            with TabPane("Người chờ", id="tab-waiting"):
                yield WaitingPane(id="sup-waiting")
            with TabPane("Lệ phí", id="tab-fees"):
                yield FeesPane(id="sup-fees")
            with TabPane("Việc tồn", id="tab-stuck"):
                yield StuckPane(id="sup-stuck")
            with TabPane("Nhật ký", id="tab-audit"):
                yield AuditPane(id="sup-audit")

    def on_mount(self) -> None:
        """Hide the tabs and check the role."""
        self.query_one("#sup-tabs").display = False
        self.query_one("#sup-backup").display = True
        self._check_role()

    @work(thread=True, group="sup-role", exclusive=True, exit_on_error=False)
    def _check_role(self) -> None:
        from counter.services import accounts, backup

        desk = self.desk
        self.post_message(RoleChecked(accounts.is_supervisor(desk.ctx, desk.clerk), backup.status(desk.ctx)))

    def on_role_checked(self, message: RoleChecked) -> None:
        """Open the tabs for a supervisor; say why not to anyone else."""
        if not message.allowed:
            self.query_one("#sup-denied", Label).update(DENIED)
            return
        self.query_one("#sup-denied").display = False
        text, warn = message.backup
        line = self.query_one("#sup-backup", Label)
        line.update(text)
        line.set_class(warn, "-warning")
        self.query_one("#sup-tabs").display = True
        for pane in self.query(Pane):
            pane.load()

    def on_screen_resume(self) -> None:
        """Back from a dossier: its status may have changed."""
        if self.query_one("#sup-tabs").display:
            self.action_reload()

    def _active(self) -> Pane | None:
        tabs = self.query_one("#sup-tabs", TabbedContent)
        active = tabs.active_pane
        return next(iter(active.query(Pane)), None) if active is not None else None

    def action_reload(self) -> None:
        """Read the open tab again."""
        pane = self._active()
        if pane is not None and self.query_one("#sup-tabs").display:
            pane.load()

    def action_shift(self, steps: int) -> None:
        """Previous or next day (queue) or period (figures)."""
        pane = self._active()
        if pane is not None and self.query_one("#sup-tabs").display:
            pane.shift(steps)

    def action_back(self) -> None:
        """Back to the counter."""
        self.dismiss()
