"""Receipt: dossier code, procedure, received and due times, documents, and the code as a QR."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.markup import escape
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Label, Static

from counter.citizens.identity import Identity
from counter.documents.sources import Sources
from counter.fees.words import figures
from counter.law.forms import FormDef
from counter.qr.qrdraw import qr_text
from counter.tui.common.screen import CounterScreen
from counter.tui.messages import ResetCounter


def fee_summary(fee: dict[str, Any], payment: dict[str, Any] | None) -> str:
    """The fee on the receipt screen: the amount and whether it was paid (Ctrl+N), or the exemption."""
    if fee["exempt"]:
        return f"miễn ({fee['exempt_reason']})"
    if not fee["amount"]:
        return "không phải nộp"
    return f"{figures(fee['amount'])} — " + ("đã nộp" if payment else "chưa nộp (Ctrl+N: thu phí)")


def receipt_text(dossier: Any, form: FormDef | None, sources: Sources | None = None) -> str:
    """The receipt's facts as console markup (procedure, documents and phone as received when `sources`)."""
    procedure = sources.procedure.name if sources else (form.procedure if form else dossier.form_id)
    code = sources.procedure.code if sources else ""
    lines = [
        "[b]GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ[/b]",
        "",
        f"Mã hồ sơ:      [b]{dossier.code}[/b]",
        f"Thủ tục:       {escape(procedure)}" + (f" (mã {escape(code)})" if code else ""),
        f"Người nộp:     {escape(dossier.applicant_name) or '—'}",
        *([f"Điện thoại:    {escape(sources.phone)}"] if sources and sources.phone else []),
        f"Tiếp nhận lúc: {dossier.received_at:%H:%M ngày %d/%m/%Y}",
        f"[b]Hẹn trả:       {dossier.due_at:%H:%M ngày %d/%m/%Y}[/b]",
        f"Cán bộ:        {escape(dossier.clerk)}",
    ]
    if sources is not None and sources.fee is not None:
        lines.append(f"Phí, lệ phí:    {escape(fee_summary(sources.fee, sources.payment))}")
    documents = sources.documents if sources else (form.documents if form else ())
    if documents:
        lines += ["", "[b]Giấy tờ đã nộp:[/b]"] + [f"  • {escape(d)}" for d in documents]
    return "\n".join(lines)


RATING_HINT = "Mời công dân đánh giá trên bàn phím: 3 Rất hài lòng · 2 Hài lòng · 1 Không hài lòng."


class RatingAnswered(Message):
    """The keypad rating worker's answer: a sentence, and whether the rating was taken."""

    def __init__(self, text: str, taken: bool) -> None:
        super().__init__()
        self.text, self.taken = text, taken


class ReceiptScreen(CounterScreen):
    """Shown after a save; one key returns to an empty counter."""

    SCREEN_TITLE = "Giấy tiếp nhận"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next_citizen", "Người tiếp theo", id="next_citizen",
                tooltip="Về quầy trống để tiếp nhận người tiếp theo"),
        Binding("escape", "next_citizen", "Người tiếp theo", show=False),
        Binding("f6", "next_citizen", "Quầy trống", show=False),
        Binding("f7", "print", "In giấy tờ", id="print", tooltip="In hoặc lưu PDF giấy tiếp nhận, tờ khai"),
        *(Binding(str(level), f"rate({level})", "Đánh giá", show=False) for level in (3, 2, 1)),
        Binding("ctrl+n", "pay", "Thu phí", id="pay", tooltip="Ghi nhận công dân đã nộp phí, lệ phí; in biên lai"),
    ]

    def __init__(self, dossier: Any, form: FormDef | None, sources: Sources | None = None) -> None:
        super().__init__()
        self.dossier = dossier
        self.form = form
        self.sources = sources
        self.rated = False

    def compose_body(self) -> ComposeResult:
        """Facts on the left, QR on the right."""
        with Horizontal(id="receipt"):
            with VerticalScroll(id="receipt-facts", classes="panel"):
                yield Static(receipt_text(self.dossier, self.form, self.sources), id="receipt-text")
            with Vertical(id="receipt-qr", classes="panel"):
                yield Static(qr_text(self.dossier.code), id="qr")
                yield Label(self.dossier.code, id="qr-caption")
        yield Label("Đã lưu hồ sơ. F7: in giấy tiếp nhận và tờ khai; Enter: tiếp nhận người tiếp theo.",
                    id="receipt-hint",
                    classes="hint")
        yield Label(RATING_HINT, id="receipt-rating", classes="hint")

    def action_rate(self, level: int) -> None:
        """The citizen pressed 3, 2 or 1 on the counter's keypad: take the rating (once, in a worker)."""
        if not self.rated:
            self._rate(level)

    @work(thread=True, group="rating", exclusive=True, exit_on_error=False)
    def _rate(self, level: int) -> None:
        from counter.errors import CounterError
        from counter.services import ratings

        desk = self.desk
        try:
            token = ratings.issue(desk.ctx, self.dossier.code, desk.clerk)
            ratings.rate(desk.ctx, self.dossier.code, token, level, [], "keypad", desk.clerk)
        except CounterError as exc:
            self.post_message(RatingAnswered(exc.message, False))
        else:
            self.post_message(RatingAnswered("Cảm ơn quý khách đã đánh giá!", True))

    def on_rating_answered(self, message: RatingAnswered) -> None:
        """Thank the citizen, or say why the rating was not taken."""
        self.rated = self.rated or message.taken
        self.query_one("#receipt-rating", Label).update(message.text)
        if not message.taken:
            self.notify(message.text, title="Đánh giá", severity="warning")

    def action_print(self) -> None:
        """Print, save as PDF or reprint the receipt and the declaration."""
        from counter.tui.printing.screen import open_print_dialog

        open_print_dialog(self, self.dossier.code, "receipt")

    def take_person(self, person: Identity) -> None:
        """The next citizen's card: an empty counter with this citizen on it."""
        self.app.post_message(ResetCounter(person))

    def action_pay(self) -> None:
        """Take the fee shown on the receipt, then offer the fee receipt."""
        from counter.tui.fees.dialog import open_pay_dialog

        detail = {"code": self.dossier.code, "fee": self.sources.fee if self.sources else None,
                  "payment": self.sources.payment if self.sources else None}
        open_pay_dialog(self, detail, self._paid)

    def _paid(self) -> None:
        """The fee was taken: the receipt's fee line says so."""
        from counter.services.documents import sources

        self.sources = sources(self.desk.ctx, self.dossier.code, with_payment=True)
        self.query_one("#receipt-text", Static).update(receipt_text(self.dossier, self.form, self.sources))

    def action_next_citizen(self) -> None:
        """An empty counter (run by the app, since it closes this screen)."""
        self.app.post_message(ResetCounter())
