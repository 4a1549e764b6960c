"""`counter dossier pay|refund|vietqr`: take a dossier's fee, give it back, show the transfer QR."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.access import actor
from counter.cli.common import add_json_flag, context, print_json
from counter.fees.numbering import receipt_label
from counter.fees.words import figures
from counter.qr.qrdraw import qr_text


def register(group: Any) -> None:
    """Add the fee subcommands to the `dossier` group."""
    pay = group.add_parser("pay", help="ghi nhận công dân đã nộp phí, lệ phí (cấp số biên lai)")
    pay.add_argument("code", metavar="CODE")
    pay.add_argument("--method", required=True, choices=("cash", "transfer"),
                     help="cash: tiền mặt; transfer: chuyển khoản")
    pay.add_argument("--reference", default="", metavar="TEXT", help="mã giao dịch chuyển khoản (nếu có)")
    add_json_flag(pay)
    pay.set_defaults(handler=run_pay)
    refund = group.add_parser("refund", help="hoàn trả phí, lệ phí đã thu (trưởng bộ phận)")
    refund.add_argument("code", metavar="CODE")
    refund.add_argument("--reason", required=True, metavar="TEXT", help="lý do hoàn trả")
    add_json_flag(refund)
    refund.set_defaults(handler=run_refund)
    qr = group.add_parser("vietqr", help="mã VietQR để chuyển khoản phí, lệ phí của hồ sơ")
    qr.add_argument("code", metavar="CODE")
    add_json_flag(qr)
    qr.set_defaults(handler=run_vietqr)


def run_pay(args: argparse.Namespace) -> int:
    """Record the payment and print its fee receipt number."""
    from counter.services.fees import pay, payment_json

    dossier = pay(context(args), args.code, args.method, actor(args), args.reference)
    payment = payment_json(dossier)
    assert payment is not None
    if args.json:
        print_json(payment)
    else:
        print(f"Hồ sơ {dossier.code}: đã thu {figures(payment['amount'])}, biên lai số "
              f"{receipt_label(payment['receipt_no'], payment['receipt_year'])}; "
              f"in biên lai: counter print fee-receipt {dossier.code}.")
    return 0


def run_refund(args: argparse.Namespace) -> int:
    """Record the refund of a paid fee."""
    from counter.services.fees import refund

    dossier = refund(context(args), args.code, args.reason, actor(args))
    if args.json:
        print_json({"code": dossier.code, "refunded": True, "reason": args.reason.strip()})
    else:
        print(f"Hồ sơ {dossier.code}: đã hoàn trả phí, lệ phí.")
    return 0


def run_vietqr(args: argparse.Namespace) -> int:
    """Print the VietQR payload (and the QR itself on a terminal)."""
    from counter.services.fees import transfer_qr

    data = transfer_qr(context(args), args.code)
    if args.json:
        print_json(data)
        return 0
    print(f"Chuyển khoản {figures(data['amount'])} tới {data['account_name']} ({data['account_number']}), "
          f"nội dung “{data['purpose']}”:")
    print(qr_text(data["payload"]))
    print(data["payload"])
    return 0
