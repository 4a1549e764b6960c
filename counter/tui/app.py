"""CounterApp: opens the counter's database after the first frame, routes scans, owns the status bar."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import ModalScreen, Screen

from counter.citizens.identity import IdentityError, clean, parse
from counter.config import Config
from counter.errors import CounterError, os_error_message
from counter.law.workdays import calendar_reminder
from counter.tui.clerk.screen import ClerkChosen
from counter.tui.common.statusbar import StatusBar
from counter.tui.desk import Desk, DeskField, DeskHolder
from counter.tui.home.screen import HomeScreen
from counter.tui.login.idle import IdleWatch
from counter.tui.login.screen import LoginScreen
from counter.tui.messages import (
    CitizenViewed,
    OpenDossier,
    ResetCounter,
    ScanReceived,
    SetStatus,
    ShowReceipt,
    StartForm,
)
from counter.tui.scan.devices import ScanDevices
from counter.tui.scan.keyboard import BurstSettled, KeyboardScanner
from counter.tui.scan.payload import is_dossier_code
from counter.tui.sync.controller import SyncController
from counter.tui.words import use_vietnamese_words

if TYPE_CHECKING:
    from counter.citizens.identity import Identity
    from counter.context import CounterContext


FOCUS_KEYS = ("tab", "shift+tab")
"""Keys whose binding runs here, at once, so that keys typed right after them reach the newly focused field
(left to bubble, the move would come after a fast typist's next keys were already routed)."""


class ContextReady(Message):
    """The database is open (migrated, checked)."""

    def __init__(self, ctx: CounterContext) -> None:
        super().__init__()
        self.ctx = ctx


class PendingCounted(Message):
    """How many events wait to be sent to the province."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count


def warm_addresses() -> None:
    """Load the national address table in a background thread, so the first scanned card does not wait."""
    import threading

    from counter import addresses

    threading.Thread(target=addresses.warm, name="addresses-warm", daemon=True).start()


class CounterApp(DeskHolder, App[None]):
    """The clerk's counter: scan, pick a procedure, fill the form, save, hand over the receipt."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (110, "-roomy")]  # type: ignore[misc]
    """Screens under 110 columns get the class -narrow (shorter labels, see app.tcss)."""
    TITLE = "Một Cửa"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+p", "command_palette", "Lệnh", id="command_palette", show=False, priority=True,
                tooltip="Mở bảng lệnh: mọi thao tác của màn hình này"),
        Binding("f3", "find", "Tìm hồ sơ", id="find", tooltip="Tìm theo mã hồ sơ, số định danh hoặc tên"),
        Binding("f4", "queue", "Hôm nay", id="queue", tooltip="Hồ sơ tiếp nhận hôm nay tại quầy này"),
        Binding("f5", "open_image", "Mở ảnh QR", id="open_image", tooltip="Đọc mã QR từ một tệp ảnh"),
        Binding("f9", "switch_clerk", "Đổi cán bộ", id="switch_clerk", show=False),
        Binding("f10", "supervise", "Giám sát", id="supervise",
                tooltip="Hàng đợi, số liệu đúng hạn, việc tồn, nhật ký (tài khoản giám sát)"),
        Binding("ctrl+l", "lock", "Khoá màn hình", id="lock", show=False),
        Binding("f12", "sync_now", "Đồng bộ ngay", id="sync_now", tooltip="Gửi và nhận hồ sơ với hệ thống tỉnh ngay"),
        Binding("ctrl+q", "quit", "Thoát", id="quit", priority=True),
    ]

    clerk = DeskField()
    """Name of the clerk at the counter ("" until chosen)."""
    role = DeskField()
    """Role of the signed-in account ("clerk" or "supervisor"; "" when not signed in with a PIN)."""
    ticket = DeskField()
    """The queue ticket called to this counter (F8 on the home screen) for the citizen being served."""

    def __init__(self, config: Config, *, clerk: str | None = None, burst_gap: float = 0.035) -> None:
        use_vietnamese_words()
        super().__init__()
        self.config = config
        self.desk = Desk(config, clerk or "")
        """What screens use of the counter (counter.tui.desk): the opened context and the signed-in account."""
        self.idle = IdleWatch(config.security.idle_lock_minutes)
        self.status_segments: dict[str, tuple[str, str | None]] = {}
        """Named status bar segments shown on every screen (see set_status)."""
        self.scanner = KeyboardScanner(self, self._dispatch_event, gap=burst_gap)
        self.sync = SyncController(self, self.desk, self.set_status)
        """Background sync with the provincial hub (counter/tui/sync)."""
        self.scan_devices = ScanDevices(self, config.scanner, self.set_status)
        """Serial-scanner and camera workers named in [scanner] (counter.tui.scan.devices)."""
        self.failure = ""
        """Why the counter could not open ("" while it could)."""

    @property
    def ctx(self) -> CounterContext:
        """The opened counter (database, forms, calendar); available once ContextReady arrived."""
        return self.desk.ctx

    @property
    def ready(self) -> bool:
        """True once the database is open."""
        return self.desk.ready


    def get_default_screen(self) -> Screen[Any]:
        """Home is the bottom of the screen stack."""
        return HomeScreen()

    # -- start-up ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the frame at once; open the database in a worker once it is painted."""
        self.set_status("counter", f"Quầy {self.config.counter.id}")
        self.set_status("clerk", "Đang mở cơ sở dữ liệu…", "-busy")
        self.call_after_refresh(self._open_context)

    def on_unmount(self) -> None:
        """Stop the serial-scanner and camera workers (the port is closed, the camera released)."""
        self.scan_devices.stop()

    @work(thread=True, group="startup", exit_on_error=False)
    def _open_context(self) -> None:
        from counter.context import open_context

        try:
            ctx = open_context(config=self.config)
        except CounterError as exc:
            self.call_from_thread(self.start_failed, exc.message)
            return
        except OSError as exc:
            self.call_from_thread(self.start_failed, os_error_message(exc))
            return
        self.post_message(ContextReady(ctx))

    def start_failed(self, message: str) -> None:
        """The counter cannot open: say why on the screen at once; quitting then exits with status 1."""
        from counter.tui.common.failed import StartFailedScreen

        self.failure = message
        self.set_status("clerk", "Không mở được cơ sở dữ liệu", "-error")
        self.push_screen(StartFailedScreen(message))

    def on_context_ready(self, message: ContextReady) -> None:
        """Fill the home screen, then ask who is working (unless already known)."""
        self.desk.opened(message.ctx)
        if not message.ctx.store.encrypted:
            from counter.context import PLAINTEXT_WARNING

            self.notify(PLAINTEXT_WARNING, severity="warning", timeout=15)
        warm_addresses()
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.set_forms(message.ctx.forms)
        if self.clerk:
            self._clerk_ready()
        else:
            self.set_status("clerk", "Chưa đăng nhập", "-warning")
            self.push_screen(LoginScreen())
        reminder = calendar_reminder(self.config.calendar, message.ctx.now().date())
        if reminder:
            self.notify(reminder, title="Lịch nghỉ lễ", severity="warning", timeout=15, markup=False)
        self.set_interval(15, self.refresh_pending)
        self.set_interval(10, self.lock_if_idle)
        if self.config.backup.dir:
            self.set_interval(60, self._backup_at_closing)
        self.sync.start()
        self.scan_devices.start()
        self._watch_terminal()
        self._check_integrity()

    @work(thread=True, group="backup", exclusive=True, exit_on_error=False)
    def _backup_at_closing(self) -> None:
        """At closing time, once a day, write a backup to [backup].dir (counter.custody.backup); say how it went."""
        from counter.services import backup

        try:
            result = backup.at_closing(self.ctx)
        except CounterError as exc:
            self.call_from_thread(self.notify, exc.message, title="Sao lưu", severity="error", timeout=15)
            return
        if result is None:
            return
        self.call_from_thread(self.notify, f"Đã sao lưu {result.dossiers} hồ sơ vào {result.path}.", title="Sao lưu")

    @work(thread=True, group="integrity", exit_on_error=False)
    def _check_integrity(self) -> None:
        """Read the whole database file once, in the background (opening only checked its header)."""
        problem = self.ctx.store.quick_check()
        if problem:
            self.call_from_thread(
                self.notify, f"Cơ sở dữ liệu bị hỏng ({problem}); hãy báo quản trị viên để khôi phục từ bản sao lưu.",
                title="Lỗi cơ sở dữ liệu", severity="error", timeout=3600)

    def _watch_terminal(self) -> None:
        """Quit when the terminal hangs up (see counter.tui.terminal)."""
        from counter.tui.terminal import quit_if_terminal_gone, watched_terminal_fd

        fd = None if self.is_headless else watched_terminal_fd()
        if fd is not None:
            self.set_interval(2, lambda: quit_if_terminal_gone(fd))

    @on(ClerkChosen)
    def _clerk_chosen(self, message: ClerkChosen) -> None:
        self.clerk = message.name
        if isinstance(self.screen, LoginScreen):
            self.pop_screen()
        self._clerk_ready()

    def _clerk_ready(self) -> None:
        self.set_status("clerk", f"Cán bộ: {self.clerk}")
        self.refresh_pending()
        self.refresh_bindings()

    def action_switch_clerk(self) -> None:
        """Hand the counter to another clerk."""
        if self.ready and not isinstance(self.screen, LoginScreen):
            self.push_screen(LoginScreen())

    def lock_if_idle(self) -> None:
        """Lock the screen when nobody has touched the keyboard for `idle_lock_minutes`."""
        if self.clerk and self.idle.expired():
            self.action_lock()

    def action_lock(self) -> None:
        """Hide the counter behind the sign-in screen; what is open underneath stays as it was."""
        if self.ready and self.clerk and not isinstance(self.screen, LoginScreen):
            name, self.clerk, self.role = self.clerk, "", ""
            self.set_status("clerk", "Màn hình đã khoá", "-warning")
            self.push_screen(LoginScreen(locked_name=name))

    def action_supervise(self) -> None:
        """The supervisor's screens (queue, figures, stuck work, audit log)."""
        from counter.tui.supervisor.screen import SupervisorScreen

        if self.ready and self.clerk and not isinstance(self.screen, SupervisorScreen):
            self.push_screen(SupervisorScreen())

    # -- status bar ----------------------------------------------------------------------------

    def set_status(self, name: str, text: str, css_class: str | None = None) -> None:
        """Set a named status segment on every screen (sync adds link, last sync, last error)."""
        self.status_segments[name] = (text, css_class)
        for screen in self.screen_stack:
            for bar in screen.query(StatusBar):
                bar.set_segment(name, text, css_class)

    def refresh_pending(self) -> None:
        """Count the events waiting to be sent, in a worker."""
        if self.ready:
            self._count_pending()

    @work(thread=True, group="pending", exclusive=True, exit_on_error=False)
    def _count_pending(self) -> None:
        from counter.services.dossiers import pending_count

        self.post_message(PendingCounted(pending_count(self.ctx)))

    def on_pending_counted(self, message: PendingCounted) -> None:
        """Show the outbox size."""
        if message.count:
            self.set_status("pending", f"Chờ gửi tỉnh: {message.count}", "-warning")
        else:
            self.set_status("pending", "Đã gửi hết", "-ok")
        self.sync.nudge(message.count)

    def action_sync_now(self) -> None:
        """Sync with the province now, in the background."""
        if self.ready:
            self.sync.run_now()

    # -- scans ---------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Let the keyboard scanner see raw keys and pastes before Textual dispatches them."""
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self.idle.touch()
        if isinstance(event, events.Key) and not event.is_forwarded:
            if await self.scanner.key(event):
                return
            if event.key in FOCUS_KEYS and await self._check_bindings(event.key):
                return
        elif isinstance(event, events.Paste) and not event.is_forwarded and self.scanner.paste(event.text):
            return
        await super().on_event(event)

    async def _dispatch_event(self, event: events.Event) -> None:
        await super().on_event(event)

    async def on_burst_settled(self, message: BurstSettled) -> None:
        """A burst of keys has ended; let the scanner judge it."""
        await self.scanner.settled(message)

    async def on_scan_received(self, message: ScanReceived) -> None:
        """Route a scan from any source: a receipt code opens the dossier, an ID card goes to the clerk."""
        payload = clean(message.payload)
        if not self.ready or not self.clerk:
            self.notify("Chọn cán bộ tiếp nhận trước khi quét.", severity="warning")
            return
        if is_dossier_code(payload):
            self.open_dossier(payload)
            return
        try:
            person = parse(payload, self.ctx.now().date())
        except IdentityError as exc:
            self.notify(exc.message, title=exc.title, severity="error", timeout=8)
            return
        await self.deliver_person(person)

    async def deliver_person(self, person: Identity) -> None:
        """Give a scanned citizen to what the screen waits for (a receiver, the next role, a search); never close a
        screen or a dialog for it. A screen that waits for no card passes it to the counter beneath, still open."""
        from counter.tui.form.screen import FormScreen

        screen = self.screen
        take = getattr(screen, "take_person", None)
        if callable(take):
            take(person)
            return
        if isinstance(screen, ModalScreen):
            self.notify("Hộp thoại đang mở không nhận thẻ; đóng hộp thoại (Esc) rồi quét lại.",
                        title="Chưa nhận thẻ", severity="warning", timeout=8)
            return
        forms_open = [s for s in self.screen_stack if isinstance(s, FormScreen)]
        target: FormScreen | HomeScreen = forms_open[-1] if forms_open else self.home()
        target.take_person(person)
        where = "đã điền vào tờ khai đang nhập" if forms_open else "đang hiện ở quầy tiếp nhận"
        self.notify(f"Thẻ của {person.full_name} {where}; màn hình này vẫn mở (Esc để quay về).",
                    title="Đã nhận thẻ", timeout=8, markup=False)

    # -- navigation ----------------------------------------------------------------------------

    def home(self) -> HomeScreen:
        """The home screen at the bottom of the stack."""
        screen = self.screen_stack[0]
        assert isinstance(screen, HomeScreen)
        return screen

    def start_form(self, form_id: str) -> None:
        """Open the form of `form_id` for the citizen on the home screen."""
        from counter.tui.form.draft import Draft
        from counter.tui.form.screen import FormScreen

        home = self.home()
        draft = home.draft if home.draft is not None and home.draft.form.id == form_id else None
        if draft is None:
            draft = Draft(self.ctx.forms[form_id])
            if home.person is not None:
                draft.add_person(home.person)
            home.draft = draft
        self.push_screen(FormScreen(draft))

    async def reset_counter(self, person: Identity | None = None) -> None:
        """Back to an empty counter, ready for the next citizen (or with `person`, the next one scanned)."""
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        home = self.home()
        home.draft = None
        home.show_citizen(person)

    async def show_receipt(self, dossier: Any) -> None:
        """After a save: the receipt replaces the form; the citizen's draft is done."""
        from counter.services.documents import sources as read_sources
        from counter.tui.receipt.screen import ReceiptScreen

        self.home().draft = None
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        sources = read_sources(self.ctx, dossier.code)
        await self.push_screen(ReceiptScreen(dossier, sources.form, sources))
        self.refresh_pending()

    async def on_show_receipt(self, message: ShowReceipt) -> None:
        """A form was saved."""
        await self.show_receipt(message.dossier)

    async def on_reset_counter(self, message: ResetCounter) -> None:
        """The clerk cleared the counter or finished with the receipt."""
        await self.reset_counter(message.person)

    def on_set_status(self, message: SetStatus) -> None:
        """A screen's news for the status bar."""
        self.set_status(message.name, message.text, message.css_class)

    def on_open_dossier(self, message: OpenDossier) -> None:
        """A screen picked a dossier."""
        self.open_dossier(message.code)

    def on_start_form(self, message: StartForm) -> None:
        """The clerk picked a procedure on the home screen."""
        self.start_form(message.form_id)

    def on_citizen_viewed(self, message: CitizenViewed) -> None:
        """Record that the clerk looked at a citizen (`ref` already masked)."""
        self._audit_citizen(message.ref, message.detail)

    @work(thread=True, group="audit", exit_on_error=False)
    def _audit_citizen(self, ref: str, detail: str) -> None:
        from counter.services.dossier_view import record_view

        record_view(self.ctx, self.clerk, "citizen", ref, detail)

    def open_dossier(self, code: str) -> None:
        """Show one dossier (read-only view with its history)."""
        from counter.tui.dossier.screen import DossierScreen

        if self.ready and self.clerk:
            self.push_screen(DossierScreen(code))

    def action_find(self) -> None:
        """Find dossiers by code, ID number or name."""
        from counter.tui.find.screen import FindScreen

        if self.ready and self.clerk and not isinstance(self.screen, FindScreen):
            self.push_screen(FindScreen())

    def action_queue(self) -> None:
        """Today's dossiers at this counter."""
        from counter.tui.queue.screen import QueueScreen

        if self.ready and self.clerk and not isinstance(self.screen, QueueScreen):
            self.push_screen(QueueScreen())

    def action_open_image(self) -> None:
        """Read a QR code from a picture file."""
        from counter.tui.scan.image import OpenImageScreen

        if not isinstance(self.screen, OpenImageScreen):
            self.push_screen(OpenImageScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the counter's actions until the database is open and a clerk is chosen."""
        if action in ("find", "queue", "open_image", "switch_clerk", "supervise", "sync_now", "lock"):
            return self.ready and bool(self.clerk) and not isinstance(self.screen, LoginScreen)
        return True

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every key binding of the screen, in Vietnamese, plus theme and quit."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if (not binding.description or binding.action in seen or not active.enabled
                    or binding.action == "command_palette"):
                continue
            seen.add(binding.action)
            help_text = f"{binding.tooltip or binding.description} ({self.get_key_display(binding)})"
            yield SystemCommand(binding.description, help_text, self._runner(binding.action, active.node))
        yield SystemCommand("Giao diện", "Đổi bảng màu", self.action_change_theme)

    def action_command_palette(self) -> None:
        """Open the command palette (in Vietnamese)."""
        from counter.tui.palette import VietnamesePalette

        if self.use_command_palette and not VietnamesePalette.is_open(cast(App[object], self)):
            self.push_screen(VietnamesePalette(id="--command-palette"))

    def search_themes(self) -> None:
        """The theme chooser, with a Vietnamese prompt."""
        from textual.theme import ThemeProvider

        from counter.tui.palette import VietnamesePalette

        self.push_screen(VietnamesePalette(providers=[ThemeProvider], placeholder="Tìm bảng màu…"))

    def _runner(self, action: str, node: Any) -> Any:
        async def run() -> None:
            await self.run_action(action, node)

        return run


def run(config_path: str | None) -> int:
    """Start the app on this counter's configuration; a refused config or database is one message."""
    from counter.config import load_config

    try:
        config = load_config(config_path)
    except CounterError as exc:
        print(f"{exc.title}: {exc.message}", file=sys.stderr)
        return 1
    app = CounterApp(config)
    app.run()
    if app.failure:
        print(f"counter: {app.failure}", file=sys.stderr)
        return 1
    if app.ready and config.backup.dir:
        from counter.custody import backup

        try:  # at exit, when a backup folder is set (a USB drive, a share)
            result = backup.create(app.ctx)
            print(f"Đã sao lưu {result.dossiers} hồ sơ vào {result.path}.")
        except CounterError as exc:
            print(f"Sao lưu: {exc.message}", file=sys.stderr)
    return app.return_code or 0
