"""Choose today's ward for an address: among a split ward's candidates, or anywhere by name ("phu xuyen")."""

from __future__ import annotations

from typing import ClassVar

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from counter import addresses
from counter.addresses import AMBIGUOUS, Resolution, Unit
from counter.addresses.fields import AddressValue, kept_as_card, resolved
from counter.text.textfold import matches

KEEP = "__keep__"


class AddressPicker(ModalScreen[AddressValue | None]):
    """A filter field over candidate wards (or the whole national list); Enter chooses, Esc closes."""

    DEFAULT_CSS = """
    AddressPicker { align: center middle; }
    AddressPicker > Vertical { width: 90%; max-width: 100; height: auto; max-height: 90%; border: round $accent;
                               background: $surface; padding: 0 1; }
    AddressPicker OptionList { height: auto; max-height: 14; }
    AddressPicker .hint { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Đóng", id="cancel"),
        Binding("down", "move(1)", "Xuống", show=False),
        Binding("up", "move(-1)", "Lên", show=False),
        Binding("f6", "keep", "Giữ địa chỉ trên thẻ", id="keep"),
    ]

    def __init__(self, result: Resolution, card_text: str) -> None:
        super().__init__()
        self.result = result
        self.card_text = card_text
        self.candidates: list[Unit] = list(result.candidates) if result.status == AMBIGUOUS else []
        self.shown: dict[str, Unit] = {}

    def compose(self) -> ComposeResult:
        """What the address is, the filter, the list, the keys."""
        with Vertical():
            if self.candidates:
                title = f"Xã/phường cũ nay thuộc {len(self.candidates)} xã/phường — chọn nơi công dân đang ở"
            else:
                title = "Chưa xác định được xã/phường hiện nay — tìm theo tên"
            yield Label(f"[b]{escape(title)}[/b]")
            yield Label(f"Địa chỉ: {escape(self.result.input)}", classes="hint")
            placeholder = "Gõ để lọc" if self.candidates else "Gõ tên xã/phường (không dấu được), ví dụ: lam thao"
            yield Input(placeholder=placeholder, id="address-filter")
            yield OptionList(id="address-options")
            yield Label("Enter: chọn · F6: giữ nguyên địa chỉ trên thẻ · Esc: đóng", classes="hint")

    def on_mount(self) -> None:
        """Start with every candidate listed and the cursor in the filter."""
        self._refill("")
        self.query_one("#address-filter", Input).focus()

    def _refill(self, query: str) -> None:
        options = self.query_one("#address-options", OptionList)
        options.clear_options()
        if self.candidates:
            units = [u for u in self.candidates if matches(query, u.label)]
        else:
            units = addresses.search(query, limit=30) if query.strip() else []
        self.shown = {str(u.ward_code): u for u in units}
        options.add_options([Option(escape(u.label), id=str(u.ward_code)) for u in units])
        options.add_option(Option(f"[i]Giữ nguyên địa chỉ trên thẻ: {escape(self.card_text)}[/i]", id=KEEP))
        options.highlighted = 0

    @on(Input.Changed, "#address-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#address-filter")
    def _submit(self) -> None:
        options = self.query_one("#address-options", OptionList)
        if options.highlighted is not None:
            self._choose(str(options.get_option_at_index(options.highlighted).id))

    @on(OptionList.OptionSelected, "#address-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._choose(str(event.option.id))

    def _choose(self, option_id: str) -> None:
        if option_id == KEEP:
            self.action_keep()
        elif option_id in self.shown:
            self.dismiss(resolved(self.result, self.shown[option_id]))

    def action_keep(self) -> None:
        """Keep the card's text as it is, recorded as the clerk's choice."""
        self.dismiss(kept_as_card(self.card_text, self.result.data_version))

    def action_cancel(self) -> None:
        """Close without settling anything."""
        self.dismiss(None)

    def action_move(self, step: int) -> None:
        """Move the highlight while typing in the filter."""
        options = self.query_one("#address-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))
