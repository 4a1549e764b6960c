"""`counter dossier new|show|list|find` (and the lifecycle actions): dossiers from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from counter.addresses.fields import UNRESOLVED
from counter.citizens import identity
from counter.citizens.idnumber import mask
from counter.cli import attachments, dossier_actions, dossier_correct, fees
from counter.cli.access import actor
from counter.cli.common import add_json_flag, assignments, context, fail, print_json
from counter.cli.parser import day
from counter.fees import exemptions
from counter.fees.words import figures
from counter.law import lifecycle
from counter.law.forms import display_value
from counter.law.sentences import clause, join_reasons
from counter.records.drafts import DossierDraft, DossierInvalid
from counter.records.history import field_label, history_lines
from counter.records.views import summary_json
from counter.services import dossier_view


def register(subparsers: Any) -> None:
    """Add the `dossier` command group."""
    group = subparsers.add_parser("dossier", help="hồ sơ").add_subparsers(dest="dossier_command", required=True)
    new = group.add_parser("new", help="tạo hồ sơ từ mã QR căn cước và giá trị các trường")
    new.add_argument("--form", required=True, help="id mẫu tờ khai (xem `counter forms list`)")
    new.add_argument("--qr", action="append", default=[], metavar="PAYLOAD",
                     help="nội dung mã QR căn cước; lặp lại cho nhiều người")
    new.add_argument("--role", action="append", default=[], metavar="ROLE",
                     help="vai trò của người quét tương ứng (mặc định: theo thứ tự vai trò của mẫu)")
    new.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", dest="assignments",
                     help="giá trị một trường; lặp lại cho nhiều trường")
    new.add_argument("--document", action="append", default=None, metavar="TEXT", dest="documents",
                     help="giấy tờ đã nộp (đúng tên trong mẫu); lặp lại; mặc định: các giấy tờ bắt buộc của mẫu")
    new.add_argument("--phone", default="", help="số điện thoại của người nộp (in trên giấy tiếp nhận)")
    new.add_argument("--consent", action="store_true",
                     help="công dân đồng ý nhận thông báo trạng thái hồ sơ qua số di động --phone")
    new.add_argument("--ticket", default="", metavar="NUMBER",
                     help="số thứ tự đã gọi tới quầy cho người này (ví dụ A-012)")
    new.add_argument("--exempt", default="", metavar="CATEGORY",
                     help=f"diện miễn phí, lệ phí của người nộp (một trong: {exemptions.choices()})")
    new.add_argument("--strict-address", action="store_true",
                     help="từ chối khi địa chỉ chưa xác định được xã/phường hiện nay "
                     "(mặc định: lưu nguyên văn và cảnh báo)")
    add_json_flag(new)
    new.set_defaults(handler=run_new)
    show = group.add_parser("show", help="xem một hồ sơ")
    show.add_argument("code", metavar="CODE")
    add_json_flag(show)
    show.set_defaults(handler=run_show)
    listing = group.add_parser("list", help="liệt kê hồ sơ")
    listing.add_argument("--date", type=day, default=None, metavar="YYYY-MM-DD",
                         help="chỉ hồ sơ tiếp nhận ngày này")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)
    finder = group.add_parser("find", help="tìm hồ sơ theo mã, số định danh hoặc tên (không cần dấu)")
    finder.add_argument("text", metavar="TEXT", help="mã hồ sơ (hoặc phần cuối), số định danh 12 số hoặc họ tên")
    finder.add_argument("--page", type=int, default=1, metavar="N", help="trang kết quả (mặc định: 1)")
    finder.add_argument("--per-page", type=int, default=20, metavar="N", help="số hồ sơ mỗi trang (mặc định: 20)")
    add_json_flag(finder)
    finder.set_defaults(handler=run_find)
    dossier_actions.register(group)
    dossier_correct.register(group)
    attachments.register_dossier(group)
    fees.register(group)


def run_new(args: argparse.Namespace) -> int:
    """Create a dossier in one transaction, or list every refused field and write nothing."""
    from counter.services import dossiers

    ctx = context(args)
    form = ctx.forms.get(args.form)
    if form is None:
        return fail(f"Không có mẫu tờ khai “{args.form}”; các mẫu: {', '.join(ctx.forms)}.")
    if len(args.role) > len(args.qr):
        return fail("Số --role nhiều hơn số --qr.")
    people = {}
    default_roles = [r.id for r in form.scan_roles if r.id not in args.role]
    for index, payload in enumerate(args.qr):
        try:
            person = identity.parse(payload)
        except identity.IdentityError as exc:
            return fail(f"mã QR thứ {index + 1}: {exc.message}")
        role = args.role[index] if index < len(args.role) else (default_roles.pop(0) if default_roles else "")
        if not role:
            return fail(f"Mẫu “{form.id}” không còn vai trò nào cho mã QR thứ {index + 1}.")
        people[role] = person
    documents = None if args.documents is None else tuple(args.documents)
    draft = DossierDraft(form.id, people, assignments(args.assignments), documents=documents, phone=args.phone,
                         ticket=args.ticket, exemption=args.exempt, consent=args.consent)
    try:
        dossier = dossiers.create_dossier(ctx, draft, actor(args), strict_addresses=args.strict_address)
    except DossierInvalid as exc:
        labels = {f.id: f.label for f in form.fields} | {"documents": "Giấy tờ đã nộp", "phone": "Số điện thoại"}
        reasons = join_reasons(f"{labels.get(field, field)} ({field}): {clause(why)}"
                               for field, why in exc.errors.items())
        return fail(f"Hồ sơ không được lưu: {clause(reasons)}.")
    data = dossier_view.detail(ctx, dossier)
    unresolved = [key for key, value in data["addresses"].items() if value.get("state") == UNRESOLVED]
    if unresolved:
        named = ", ".join(f"{key} ({form.field(key).label})" for key in unresolved)
        print(f"counter: cảnh báo: {dossier.code}: địa chỉ chưa xác định được xã/phường hiện nay, đã lưu nguyên văn "
              f"và đánh dấu chưa xác định: {named}.", file=sys.stderr)
    if args.json:
        print_json(data)
    else:
        print(f"Đã lưu hồ sơ {dossier.code} — hẹn trả {dossier.due_at:%H:%M %d/%m/%Y}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one dossier and log who looked at it."""
    seen = dossier_view.view(context(args), args.code, actor(args), "cli")
    dossier, data, form = seen.dossier, seen.detail, seen.form
    if args.json:
        print_json(data)
        return 0
    print(f"{data['code']}  {form.title if form else data['form']}")
    print(f"  Trạng thái: {data['status_label']}   Đồng bộ: {'đã gửi' if data['synced'] else 'chưa gửi'}")
    print(f"  Tiếp nhận: {dossier.received_at:%H:%M %d/%m/%Y}   Hẹn trả: {dossier.due_at:%H:%M %d/%m/%Y}")
    if data["fee"] is not None:
        print(f"  Phí, lệ phí: {fee_line(data['fee'], data['payment'])}")
    for role, person in data["people"].items():
        print(f"  {form.role(role).label if form else role}: {person['full_name']} ({person['id_number']})")
    values = data["values"]
    for field in form.fields if form else ():
        if field.id in values:
            shown = display_value(field, values[field.id])
            unsettled = data["addresses"].get(field.id, {}).get("state") == UNRESOLVED
            print(f"    {field.label}: {shown}" + ("  [địa chỉ chưa xác định xã/phường]" if unsettled else ""))
    print("  Lịch sử:")
    for line in history_lines(data["events"], field_label(form)):
        print(f"    {line}")
    return 0


def fee_line(fee: dict[str, Any], payment: dict[str, Any] | None) -> str:
    """The fee and whether it was paid, in one line of `dossier show`."""
    if fee["exempt"]:
        return f"miễn ({fee['exempt_reason']})"
    if payment is not None:
        return f"{figures(fee['amount'])}, đã nộp (biên lai số {payment['receipt_no']:08d}/{payment['receipt_year']})"
    return f"{figures(fee['amount'])}, chưa nộp" if fee["amount"] else "không phải nộp"


def run_find(args: argparse.Namespace) -> int:
    """Print one page of ranked search results (exact name, then prefix, then the rest; newest first)."""
    from counter.services import dossiers

    if args.page < 1 or args.per_page < 1:
        return fail("--page và --per-page phải là số nguyên dương.")
    ctx = context(args)
    found = dossiers.search(ctx, args.text, actor(args), args.page, args.per_page)
    if args.json:
        print_json({"query": args.text, "page": found.page, "per_page": found.per_page, "more": found.more,
                    "dossiers": [summary_json(d) for d in found.dossiers]})
        return 0
    if not found.dossiers:
        where = f" ở trang {found.page}" if found.page > 1 else ""
        print(f"Không tìm thấy hồ sơ nào khớp với “{args.text}”{where}.")
        return 0
    for d in found.dossiers:
        print(f"{d.code}  {d.received_at:%d/%m/%Y}  {d.applicant_name:<28} {mask(d.applicant_id_number)}  "
              f"{lifecycle.label(d.status)}")
    if found.more:
        print(f"Còn nữa: counter dossier find {args.text!r} --page {found.page + 1}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the dossiers of one day (or all)."""
    from counter.services import dossiers

    found = dossiers.day_list(context(args), args.date)
    rows = [{"code": d.code, "form": d.form_id, "status": d.status, "received_at": d.received_at.isoformat(),
             "due_at": d.due_at.isoformat()} for d in found]
    if args.json:
        print_json(rows)
        return 0
    for d in found:
        print(f"{d.code}  {d.form_id:<30} {lifecycle.label(d.status):<16} hẹn {d.due_at:%d/%m/%Y %H:%M}")
    return 0
