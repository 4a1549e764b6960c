"""Thu phí: record that the citizen paid the dossier's fee, in cash or by transfer (its VietQR shown)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Label, Select, Static

from counter.errors import CounterError
from counter.fees.words import METHOD_LABELS, figures, in_words
from counter.qr.qrdraw import qr_text
from counter.tui.lifecycle.dialogs import LifecycleDialog

METHODS = [(label, method) for method, label in METHOD_LABELS.items()]


class PayDialog(LifecycleDialog):
    """The amount in figures and words, the method, a transfer reference and the VietQR when set."""

    TITLE_TEXT = "Thu phí, lệ phí"

    def compose_fields(self) -> ComposeResult:
        """Amount, method, reference and (when the unit takes transfers) the VietQR."""
        fee: dict[str, Any] = self.detail.get("fee") or {}
        amount = int(fee.get("amount", 0))
        yield Label(f"Số tiền: [b]{figures(amount)}[/b] ({in_words(amount)})", id="pay-amount")
        yield Select(METHODS, value="cash", allow_blank=False, id="lc-method")
        yield Input(placeholder="Mã giao dịch chuyển khoản (nếu có)", id="lc-reference")
        qr = self._transfer_qr()
        if qr:
            with VerticalScroll(id="pay-qr"):
                yield Static(qr_text(qr["payload"]), id="pay-qr-code")
                yield Label(f"Quét để chuyển khoản tới {qr['account_name']} ({qr['account_number']}); "
                            f"nội dung “{qr['purpose']}”.", classes="hint")

    def _transfer_qr(self) -> dict[str, Any] | None:
        """The VietQR of this dossier's fee, or None (no [payment], nothing to pay)."""
        from counter.services.fees import transfer_qr

        try:
            return transfer_qr(self.desk.ctx, self.code)
        except CounterError:
            return None

    def on_mount(self) -> None:
        """Start on the method."""
        self.query_one("#lc-method").focus()

    def on_input_submitted(self) -> None:
        """Enter in the reference records the payment."""
        self.submit()

    def act(self, values: dict[str, str]) -> None:
        """Record the payment."""
        from counter.services.fees import pay

        desk = self.desk
        pay(desk.ctx, self.code, values["lc-method"], desk.clerk, values["lc-reference"])


def open_pay_dialog(screen: Any, detail: dict[str, Any], after: Any) -> None:
    """Take the fee, then offer the fee receipt for printing; `after` runs once paid."""
    from counter.tui.printing.screen import open_print_dialog

    fee = detail.get("fee")
    if not fee or fee.get("exempt") or not fee.get("amount"):
        screen.notify("Hồ sơ này không có phí, lệ phí phải nộp.", severity="warning")
        return
    if detail.get("payment"):
        screen.notify(f"Hồ sơ đã nộp phí, lệ phí (biên lai số {detail['payment']['receipt_no']:08d}).",
                      severity="warning")
        return

    def paid(done: bool | None) -> None:
        if done:
            after()
            open_print_dialog(screen, detail["code"], "fee-receipt")

    screen.app.push_screen(PayDialog(detail), paid)
