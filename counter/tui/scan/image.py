""""Open image": ask for a picture file, decode its QR code in a worker, hand it on as ScanReceived."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from counter.errors import CounterError
from counter.tui.desk import desk_of
from counter.tui.messages import ScanReceived


class ImageRefused(Message):
    """The file could not be read or holds no QR code."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class OpenImageScreen(ModalScreen[None]):
    """A small dialog asking for the path of an image with a QR code."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Đóng", id="cancel")]

    def compose(self) -> ComposeResult:
        """The path field and the place for the reason of a refusal."""
        with Vertical(id="image-box", classes="dialog"):
            yield Label("[b]Mở ảnh mã QR[/b]", classes="dialog-title")
            yield Label("Đường dẫn tệp ảnh (PNG, JPG…), rồi nhấn Enter. Esc để đóng.", classes="hint")
            yield Input(placeholder="/đường/dẫn/ảnh.png", id="image-path")
            yield Label("", id="image-error", classes="field-error")

    def on_mount(self) -> None:
        """Start in the field."""
        self.query_one("#image-path").focus()

    @on(Input.Submitted, "#image-path")
    def _submit(self, event: Input.Submitted) -> None:
        path = event.value.strip().strip("'\"")
        if not path:
            self.query_one("#image-error", Label).update("Nhập đường dẫn tới tệp ảnh.")
            return
        self.query_one("#image-error", Label).update("Đang đọc ảnh…")
        self._decode(Path(path).expanduser())

    @work(thread=True, group="image", exclusive=True, exit_on_error=False)
    def _decode(self, path: Path) -> None:
        from counter.qr.decoders import make_reader, read_file

        try:
            setting = desk_of(self).config.scanner.decoder
            reader = make_reader(setting)
            if reader.notice:
                self.app.call_from_thread(self.app.notify, reader.notice, severity="warning", timeout=10)
            reading = read_file(path, reader)
        except CounterError as exc:
            self.post_message(ImageRefused(exc.message))
            return
        if reading is None:
            self.post_message(ImageRefused(f"Không tìm thấy mã QR nào trong ảnh {path.name}."))
            return
        self.app.call_from_thread(self._deliver, reading.text)

    def _deliver(self, payload: str) -> None:
        # Post before dismissing: a dismissed screen is detached and its `self.app` raises NoActiveAppError.
        self.app.post_message(ScanReceived(payload, "image"))
        self.dismiss()

    def on_image_refused(self, message: ImageRefused) -> None:
        """Say why; the path stays in the field to correct."""
        self.query_one("#image-error", Label).update(message.reason)

    def action_cancel(self) -> None:
        """Close without reading anything."""
        self.dismiss()
