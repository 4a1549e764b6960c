"""An address field: today's address from the card ("địa chỉ mới"), the card's line beneath, F8 to settle it.

The address is resolved in a worker thread (the national table may still be loading); an exact
old-format card address is replaced by today's line, a split or unknown one waits for the clerk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Label

from counter import addresses
from counter.addresses import AMBIGUOUS, EXACT, Resolution
from counter.addresses.fields import CARD_TEXT, UNRESOLVED, AddressValue, from_resolution
from counter.law.forms import FieldDef
from counter.tui.form.address_picker import AddressPicker
from counter.tui.form.field import FieldRow

if TYPE_CHECKING:
    from counter.tui.form.draft import Draft


class AddressRow(FieldRow):
    """A FieldRow for an address (prefill = "address") with its resolution shown under it."""

    DEFAULT_CSS = """
    AddressRow .address-note { padding-left: 34; height: auto; color: $text-muted; }
    AddressRow.-unsettled .address-note { color: $warning; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f8", "pick", "Chọn xã/phường", id="pick_address",
                tooltip="Chọn xã/phường hiện nay cho địa chỉ này, hoặc giữ nguyên địa chỉ trên thẻ"),
    ]

    class Settled(Message):
        """The address of field `field_id` is settled: resolved exactly, chosen, or kept as on the card."""

        def __init__(self, field_id: str, value: AddressValue) -> None:
            super().__init__()
            self.field_id = field_id
            self.value = value

    def __init__(self, field_def: FieldDef, value: str) -> None:
        super().__init__(field_def, value)
        self.result: Resolution | None = None
        self.card = ""

    def compose(self) -> ComposeResult:
        """The field, then one line about its address."""
        yield from super().compose()
        yield Label("", classes="address-note")

    def on_mount(self) -> None:
        """Room for "địa chỉ mới" (the app's stylesheet sizes the mark for "từ thẻ")."""
        self.query_one(".card-mark", Label).styles.width = 13

    def follow(self, draft: Draft) -> None:
        """Show the state of the address now in the field; resolve it in a worker when it is new."""
        field_id = self.field_def.id
        text = draft.values.get(field_id, "")
        self.card = draft.card_value(self.field_def)
        settled = draft.addresses.get(field_id)
        if settled is not None and settled.text == text:
            self._show_settled(settled)
            return
        self._mark("từ thẻ")
        if not text.strip():
            self._note("", unsettled=False)
            return
        if self.result is not None and self.result.input == " ".join(text.split()):
            self._resolved(text, field_id in draft.typed, self.result)
            return
        self.result = None
        self._note("Đang đối chiếu với danh mục xã/phường hiện nay…", unsettled=False)
        self._resolve(text, field_id in draft.typed)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _resolve(self, text: str, typed: bool) -> None:
        result = addresses.normalize(text)
        self.app.call_from_thread(self._resolved, text, typed, result)

    def _resolved(self, text: str, typed: bool, result: Resolution) -> None:
        if self.value != text:
            return
        self.result = result
        if result.status == EXACT and not typed:
            self.post_message(self.Settled(self.field_def.id, from_resolution(result)))
        elif result.status == EXACT:
            self._note(f"Khi lưu sẽ ghi theo địa chỉ mới: {escape(result.formatted)}", unsettled=False)
        elif result.status == AMBIGUOUS:
            self._note(f"Xã/phường cũ nay thuộc {len(result.candidates)} xã/phường: nhấn F8 để chọn nơi công dân "
                       "đang ở.", unsettled=True)
        else:
            self._note("Chưa xác định được xã/phường hiện nay: nhấn F8 để tìm xã/phường hoặc giữ nguyên địa chỉ "
                       "trên thẻ.", unsettled=True)

    def _show_settled(self, value: AddressValue) -> None:
        if value.state == CARD_TEXT:
            self._mark("theo thẻ")
            self._note("Giữ nguyên địa chỉ trên thẻ (chưa đối chiếu xã/phường hiện nay).", unsettled=False)
            return
        self._mark("địa chỉ mới")
        same = value.original == value.text
        self._note("Địa chỉ theo xã/phường hiện nay." if same else f"Trên thẻ: {escape(value.original)}",
                   unsettled=False)

    def _mark(self, text: str) -> None:
        self.query_one(".card-mark", Label).update(text)

    def _note(self, text: str, unsettled: bool) -> None:
        self.set_class(unsettled, "-unsettled")
        self.query_one(".address-note", Label).update(text)

    def action_pick(self) -> None:
        """Open the picker: the candidates of a split ward, or a search over every current ward."""
        text = self.value.strip()
        if not text:
            self.app.notify("Chưa có địa chỉ để đối chiếu.", severity="warning")
            return
        result = self.result if self.result is not None and self.result.input == " ".join(text.split()) \
            else addresses.normalize(text)

        def settled(value: AddressValue | None) -> None:
            if value is not None:
                self.post_message(self.Settled(self.field_def.id, value))

        self.app.push_screen(AddressPicker(result, self.card or text), settled)


def address_mark(detail: dict[str, Any], field_id: str) -> str:
    """" (chưa xác định xã/phường hiện nay)" after an address saved unresolved; "" otherwise (plain text)."""
    state = detail.get("addresses", {}).get(field_id, {}).get("state")
    return " (chưa xác định xã/phường hiện nay)" if state == UNRESOLVED else ""


def field_row(field_def: FieldDef, value: str) -> FieldRow:
    """The row for one form field: an AddressRow for card addresses, a plain FieldRow otherwise."""
    return AddressRow(field_def, value) if field_def.prefill == "address" else FieldRow(field_def, value)
