"""Sign-in with a PIN (replaces the clerk-pick screen); on a fresh install, create the first supervisor.

The same screen is the idle lock: `locked_name` preselects who was working. Success posts the
ClerkChosen message the app already handles, after setting the desk's role.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from counter.errors import CounterError
from counter.tui.clerk.screen import ClerkChosen
from counter.tui.common.screen import CounterScreen


class AccountsLoaded(Message):
    """Active account names, or an empty list with `bootstrap` set on a fresh install."""

    def __init__(self, names: list[str], bootstrap: bool) -> None:
        super().__init__()
        self.names = names
        self.bootstrap = bootstrap


class SignInAnswered(Message):
    """The result of checking a PIN: the account's role, or the Vietnamese reason it was refused."""

    def __init__(self, name: str, role: str | None, error: str = "") -> None:
        super().__init__()
        self.name = name
        self.role = role
        self.error = error


class LoginScreen(CounterScreen):
    """Pick your name, type your PIN; after too many wrong PINs the account waits (the wait is shown)."""

    SCREEN_TITLE = "Đăng nhập"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Thoát", id="quit")]

    def __init__(self, locked_name: str = "") -> None:
        super().__init__()
        self.locked_name = locked_name
        self.bootstrap = False
        self.chosen = locked_name

    def title_text(self) -> str:
        """Say when the screen was locked for being idle."""
        text = super().title_text()
        return text + ("  [b]· Màn hình đã khoá[/b]" if self.locked_name else "")

    def compose_body(self) -> ComposeResult:
        """Name list, PIN field and message line; the bootstrap fields stay hidden until needed."""
        with Vertical(id="login-box", classes="panel"):
            yield Label("Đang tải danh sách cán bộ…", id="login-hint", classes="hint")
            yield OptionList(id="login-list")
            yield Input(placeholder="Họ và tên giám sát", id="login-name")
            yield Input(placeholder="Mã PIN", password=True, id="login-pin", restrict=r"\d*", max_length=12)
            yield Input(placeholder="Nhập lại mã PIN", password=True, id="login-pin2", restrict=r"\d*",
                        max_length=12)
            yield Label("", id="login-error", classes="field-error")
        yield Static("", id="login-fill")

    def on_mount(self) -> None:
        """Hide the bootstrap fields and read the accounts."""
        for selector in ("#login-name", "#login-pin2"):
            self.query_one(selector).display = False
        self._load()

    @work(thread=True, group="login", exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        from counter.services.accounts import sign_in_choices

        choices = sign_in_choices(self.desk.ctx)
        self.post_message(AccountsLoaded(choices.names, choices.first_supervisor))

    def on_accounts_loaded(self, message: AccountsLoaded) -> None:
        """Show the names (or the first-supervisor form) and put the cursor where typing starts."""
        self.bootstrap = message.bootstrap
        hint = self.query_one("#login-hint", Label)
        listing = self.query_one("#login-list", OptionList)
        if message.bootstrap:
            from counter.accounts.users import PIN_MAX, PIN_MIN

            hint.update("Lần đầu sử dụng: tạo tài khoản giám sát (lãnh đạo bộ phận một cửa) "
                        f"với mã PIN {PIN_MIN}–{PIN_MAX} số, không dễ đoán.")
            listing.display = False
            for selector in ("#login-name", "#login-pin2"):
                self.query_one(selector).display = True
            self.query_one("#login-name").focus()
            return
        listing.add_options([Option(name, id=name) for name in message.names])
        if self.chosen in message.names:
            listing.highlighted = message.names.index(self.chosen)
            self._ask_pin()
        else:
            hint.update("Chọn tên của bạn rồi nhấn Enter.")
            listing.highlighted = 0 if message.names else None
            listing.focus()

    @on(OptionList.OptionSelected, "#login-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.chosen = str(event.option.id)
        self._ask_pin()

    def _ask_pin(self) -> None:
        self.query_one("#login-hint", Label).update(f"[b]{self.chosen}[/b] — nhập mã PIN rồi nhấn Enter.")
        self.query_one("#login-error", Label).update("")
        self.query_one("#login-pin").focus()

    @on(Input.Submitted, "#login-name")
    def _name_typed(self) -> None:
        self.query_one("#login-pin").focus()

    @on(Input.Submitted, "#login-pin")
    def _pin_typed(self, event: Input.Submitted) -> None:
        if self.bootstrap:
            self.query_one("#login-pin2").focus()
        elif not self.chosen:
            self.query_one("#login-error", Label).update("Chọn tên của bạn trong danh sách trước.")
            self.query_one("#login-list").focus()
        else:
            self._check(self.chosen, event.value)

    @on(Input.Submitted, "#login-pin2")
    def _second_pin_typed(self, event: Input.Submitted) -> None:
        name = " ".join(self.query_one("#login-name", Input).value.split())
        first = self.query_one("#login-pin", Input).value
        error = self.query_one("#login-error", Label)
        if len(name) < 2:
            error.update("Nhập họ và tên (ít nhất 2 ký tự).")
            self.query_one("#login-name").focus()
        elif first != event.value:
            error.update("Hai lần nhập mã PIN không khớp; nhập lại.")
            event.input.value = ""
        else:
            self._create_first(name, first)

    @work(thread=True, group="login", exclusive=True, exit_on_error=False)
    def _create_first(self, name: str, pin: str) -> None:
        from counter.accounts import users

        try:
            account = users.bootstrap_supervisor(self.desk.ctx, name, pin)
        except CounterError as exc:
            self.post_message(SignInAnswered(name, None, exc.message))
        else:
            self.post_message(SignInAnswered(account.name, account.role))

    @work(thread=True, group="login", exclusive=True, exit_on_error=False)
    def _check(self, name: str, pin: str) -> None:
        from counter.accounts import users

        try:
            account = users.sign_in(self.desk.ctx, name, pin)
        except CounterError as exc:
            self.post_message(SignInAnswered(name, None, exc.message))
        else:
            self.post_message(SignInAnswered(account.name, account.role))

    def on_sign_in_answered(self, message: SignInAnswered) -> None:
        """Let the clerk in, or say why not (wrong PIN with tries left, or how long to wait)."""
        if message.role is None:
            self.query_one("#login-error", Label).update(message.error)
            pin = self.query_one("#login-pin", Input)
            pin.value = ""
            pin.focus()
            return
        self.desk.role = message.role
        self.post_message(ClerkChosen(message.name))
