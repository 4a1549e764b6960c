"""The VietQR of a dossier's fee still owed (receipts and the citizen display); kept apart from
counter.fees.vietqr, which the configuration checks and which must not reach the store."""

from __future__ import annotations

from counter.config import PaymentConfig
from counter.fees.vietqr import Account, bill_purpose, payload
from counter.law.lifecycle import WITHDRAWN
from counter.store.models import Dossier


def owed_payload(payment: PaymentConfig | None, dossier: Dossier) -> str:
    """The VietQR of a dossier's fee still owed, when the unit takes transfers ("" when paid, free or withdrawn)."""
    if payment is None or not payment.enabled or dossier.fee_due <= 0 or dossier.payment_json:
        return ""
    if dossier.status == WITHDRAWN:
        return ""
    account = Account(payment.bank_bin, payment.account_number, payment.account_name)
    return payload(account, dossier.fee_due, bill=dossier.code, purpose=bill_purpose(payment.purpose, dossier.code))
