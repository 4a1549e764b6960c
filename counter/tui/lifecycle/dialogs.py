"""Dialogs that move a dossier through its lifecycle; each acts in a worker and closes only on success.

A refusal (wrong transition, missing reason, second reschedule, a day off) is shown inside the dialog
in one sentence and nothing typed is lost.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from counter.errors import CounterError
from counter.law import lifecycle
from counter.law.forms import parse_date
from counter.tui.desk import Desk, desk_of

if TYPE_CHECKING:
    from counter.citizens.identity import Identity


class ActionDone(Message):
    """The action worker's answer: "" on success, else the Vietnamese reason it was refused."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class LifecycleDialog(ModalScreen[bool]):
    """Common frame: a title, the dialog's fields, an error line; Enter in the last field acts."""

    TITLE_TEXT = ""
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Đóng", id="cancel")]

    def __init__(self, detail: dict[str, Any]) -> None:
        super().__init__()
        self.detail = detail
        self.code = str(detail["code"])

    @property
    def desk(self) -> Desk:
        """The counter this dialog works for: its context and signed-in account."""
        return desk_of(self)

    def compose(self) -> ComposeResult:
        """Title, fields, error line."""
        with Vertical(classes="dialog"):
            yield Label(f"[b]{self.TITLE_TEXT}[/b] — hồ sơ {self.code}", classes="dialog-title")
            yield from self.compose_fields()
            yield Label("", id="lc-error", classes="field-error")
            yield Label("Enter: xác nhận · Esc: đóng", classes="hint")

    def compose_fields(self) -> ComposeResult:
        """The dialog's own fields."""
        yield from ()

    def values(self) -> dict[str, str]:
        """What was typed or chosen, read on the UI thread."""
        typed = {str(i.id): i.value for i in self.query(Input)}
        return typed | {str(s.id): str(s.value) for s in self.query(Select)}

    def act(self, values: dict[str, str]) -> None:
        """Run the core action (in a worker); raise CounterError to refuse."""

    @work(thread=True, group="lifecycle", exclusive=True, exit_on_error=False)
    def _run(self, values: dict[str, str]) -> None:
        try:
            self.act(values)
        except CounterError as exc:
            self.post_message(ActionDone(exc.message))
        else:
            self.post_message(ActionDone(""))

    def on_action_done(self, message: ActionDone) -> None:
        """Close on success; otherwise show why, keeping what was typed."""
        if message.error:
            self.query_one("#lc-error", Label).update(message.error)
        else:
            self.dismiss(True)

    def submit(self) -> None:
        """Start the action."""
        self.query_one("#lc-error", Label).update("")
        self._run(self.values())

    def action_cancel(self) -> None:
        """Close without changing anything."""
        self.dismiss(False)


class StatusDialog(LifecycleDialog):
    """Choose the next status (only those the lifecycle allows) and give the reason."""

    TITLE_TEXT = "Chuyển trạng thái"

    def compose_fields(self) -> ComposeResult:
        """Allowed targets and the reason."""
        current = str(self.detail["status"])
        targets = sorted(lifecycle.TRANSITIONS.get(current, frozenset()) - {lifecycle.RETURNED})
        yield Label(f"Hiện tại: {lifecycle.label(current)}")
        if targets:
            yield Select([(lifecycle.label(t), t) for t in targets], value=targets[0], allow_blank=False,
                         id="lc-status")
        else:
            yield Label("Không còn trạng thái nào để chuyển sang (trả kết quả: Ctrl+R).", classes="hint")
        yield Input(placeholder="Lý do (bắt buộc khi yêu cầu bổ sung, từ chối, dừng xử lý)", id="lc-reason")

    def on_mount(self) -> None:
        """Start on the status choice."""
        choices = self.query("#lc-status")
        (choices.first() if choices else self.query_one("#lc-reason")).focus()

    @on(Input.Submitted, "#lc-reason")
    def _go(self) -> None:
        if self.query("#lc-status"):
            self.submit()

    def act(self, values: dict[str, str]) -> None:
        """Change the status."""
        from counter.services.dossiers import change_status

        desk = self.desk
        change_status(desk.ctx, self.code, values["lc-status"], desk.clerk, values["lc-reason"])


class RescheduleDialog(LifecycleDialog):
    """The apology slip: a new due day (a working day after the old one) and the reason; allowed once."""

    TITLE_TEXT = "Hẹn lại ngày trả kết quả"

    def compose_fields(self) -> ComposeResult:
        """Old due date, the new day and the reason."""
        due = datetime.fromisoformat(str(self.detail["due_at"]))
        yield Label(f"Hẹn trả hiện tại: {due:%H:%M %d/%m/%Y}. Mỗi hồ sơ chỉ được hẹn lại một lần.")
        yield Input(placeholder="Ngày hẹn mới (dd/mm/yyyy)", id="lc-day")
        yield Input(placeholder="Lý do hẹn lại (ghi trên phiếu xin lỗi)", id="lc-reason")

    def on_mount(self) -> None:
        """Start on the new day."""
        self.query_one("#lc-day").focus()

    @on(Input.Submitted, "#lc-day")
    def _next(self) -> None:
        self.query_one("#lc-reason").focus()

    @on(Input.Submitted, "#lc-reason")
    def _go(self) -> None:
        self.submit()

    def act(self, values: dict[str, str]) -> None:
        """Reschedule."""
        from counter.records.dossiers import TransitionRefused, due_at_on
        from counter.services.dossiers import reschedule

        day = parse_date(values["lc-day"])
        if day is None:
            raise TransitionRefused("Ngày hẹn mới không hợp lệ; gõ dạng dd/mm/yyyy.")
        desk = self.desk
        reschedule(desk.ctx, self.code, due_at_on(desk.ctx, day), values["lc-reason"], desk.clerk)


class ReturnDialog(LifecycleDialog):
    """Hand the result over: who received it (the applicant by default)."""

    TITLE_TEXT = "Trả kết quả"

    def compose_fields(self) -> ComposeResult:
        """The receiver's ID (scan the card or type the number), then the name, prefilled with the applicant."""
        people = list(self.detail.get("people", {}).values())
        self.applicant = (str(people[0]["full_name"]), str(people[0]["id_number"])) if people else ("", "")
        yield Label("Quét thẻ của người nhận kết quả, hoặc gõ số định danh / CMND:")
        yield Input(placeholder="Số định danh (12 số) hoặc CMND (9 số)", id="lc-receiver-id")
        yield Label("Người nhận kết quả (công dân hoặc người được uỷ quyền):")
        yield Input(value=self.applicant[0], placeholder="Họ và tên người nhận", id="lc-receiver")

    def on_mount(self) -> None:
        """Start on the ID number."""
        self.query_one("#lc-receiver-id").focus()

    def take_person(self, person: Identity) -> None:
        """The receiver's card, scanned while this dialog waits for it: their number and name."""
        self.query_one("#lc-receiver-id", Input).value = person.id_number
        self.query_one("#lc-receiver", Input).value = person.full_name
        self.query_one("#lc-receiver").focus()

    @on(Input.Changed, "#lc-receiver-id")
    def _scanned(self, event: Input.Changed) -> None:
        """A card's QR text pasted into the ID field fills the number and the name; another person's number
        clears the applicant's name, so the receiver's own is typed."""
        from counter.citizens import identity
        from counter.citizens.idnumber import mask

        number = "".join(event.value.split())
        name_box = self.query_one("#lc-receiver", Input)
        if number.isdigit() and len(number) == 12 and mask(number) != self.applicant[1]:
            if name_box.value == self.applicant[0]:
                name_box.value = ""
            return
        if "|" not in event.value or not identity.looks_complete(event.value):
            return
        try:
            person = identity.parse(event.value)
        except identity.IdentityError as exc:
            self.query_one("#lc-error", Label).update(exc.message)
            return
        self.take_person(person)

    @on(Input.Submitted, "#lc-receiver-id")
    def _next(self) -> None:
        self.query_one("#lc-receiver").focus()

    @on(Input.Submitted, "#lc-receiver")
    def _go(self) -> None:
        self.submit()

    def act(self, values: dict[str, str]) -> None:
        """Mark returned, with the receiver's ID."""
        from counter.records.dossiers import TransitionRefused
        from counter.services.dossiers import return_result

        if not values["lc-receiver"].strip():
            raise TransitionRefused("Cần ghi họ và tên người nhận kết quả.")
        desk = self.desk
        return_result(desk.ctx, self.code, values["lc-receiver"], desk.clerk, receiver_id=values["lc-receiver-id"])
