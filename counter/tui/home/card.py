"""The citizen card: what was read from the ID card, with its warnings."""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import Static

from counter.citizens.identity import CARD_KIND_LABELS, Identity

EMPTY_TEXT = (
    "[b]Chưa có công dân.[/b]\n\n"
    "Quét mã QR trên thẻ căn cước (ở bất kỳ màn hình nào),\n"
    "dán nội dung mã QR, hoặc nhấn F5 để mở ảnh mã QR.\n\n"
    "Có thể chọn thủ tục ngay để nhập tay."
)


def card_text(person: Identity) -> str:
    """The card as console markup."""
    lines = [
        f"[b]{escape(person.full_name.upper())}[/b]",
        f"Số định danh: {person.masked_id}",
        f"Ngày sinh:    {person.birth_date:%d/%m/%Y}",
        f"Giới tính:    {person.sex}",
        f"Địa chỉ:      {escape(person.address) or '—'}",
        f"[dim]{CARD_KIND_LABELS.get(person.card_kind, person.card_kind)},"
        f" cấp ngày {person.issue_date:%d/%m/%Y}[/dim]",
    ]
    lines += [f"[b $warning]⚠ {escape(w.message)}[/]" for w in person.warnings]
    return "\n".join(lines)


class CitizenCard(Static):
    """Shows one citizen, or how to get one."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(EMPTY_TEXT, id=id, classes="-empty")
        self.person: Identity | None = None

    def show(self, person: Identity | None) -> None:
        """Display `person` (None: the empty hint)."""
        self.person = person
        self.update(card_text(person) if person else EMPTY_TEXT)
        self.set_class(person is None, "-empty")
        self.set_class(bool(person and person.warnings), "-warning")
