"""`counter forms list|show`: the standard forms this counter knows."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from counter.cli.common import add_json_flag, print_json
from counter.config import load_config
from counter.errors import NotFoundError
from counter.law.cases import procedure_of
from counter.law.forms import FormDef, load_forms


def register(subparsers: Any) -> None:
    """Add the `forms` command group."""
    group = subparsers.add_parser("forms", help="các mẫu tờ khai").add_subparsers(dest="forms_command", required=True)
    listing = group.add_parser("list", help="liệt kê mẫu tờ khai")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)
    show = group.add_parser("show", help="xem một mẫu tờ khai")
    show.add_argument("form_id", metavar="FORM")
    add_json_flag(show)
    show.set_defaults(handler=run_show)


def _forms(args: argparse.Namespace) -> tuple[dict[str, FormDef], dict[str, str]]:
    config = load_config(args.config)
    return load_forms(config.storage.forms_dir), config.forms.procedure_codes


def run_list(args: argparse.Namespace) -> int:
    """Print id, title and processing time of every form."""
    forms, codes = _forms(args)
    if args.json:
        print_json([{"id": f.id, "title": f.title, "procedure": f.procedure,
                     "procedure_code": procedure_of(f, codes=codes).code, "version": f.version, "sha256": f.sha256,
                     "processing_days": f.processing_days, "cutoff_applies": f.cutoff_applies,
                     "processing_time": f.processing_label} for f in forms.values()])
        return 0
    width = max(len(f.id) for f in forms.values())
    for form in forms.values():
        print(f"{form.id:<{width}}  {form.title}  —  {form.processing_label}")
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print one form: procedure facts, roles and fields."""
    forms, codes = _forms(args)
    form = forms.get(args.form_id)
    if form is None:
        raise NotFoundError(f"Không có mẫu tờ khai “{args.form_id}”; các mẫu: {', '.join(forms)}.")
    code = procedure_of(form, codes=codes).code
    if args.json:
        data = asdict(form)
        data.pop("canonical")
        data.update(procedure_code=code, sha256=form.sha256,
                    cases=[{**asdict(c), "when": c.when.declared(),
                            "procedure_code": procedure_of(form, c.id, codes).code} for c in form.cases])
        print_json(data)
        return 0
    print(f"{form.title} [{form.id}]  phiên bản {form.version}  sha256 {form.sha256[:16]}…")
    print(f"  Thủ tục: {form.procedure}  (mã TTHC: {code or 'chưa xác định'})")
    print(f"  Căn cứ: {form.legal_basis}\n  Mẫu: {form.form_code}")
    print(f"  Thời hạn giải quyết: {form.processing_label}\n  Lệ phí: {form.fee}")
    for case in form.cases:
        facts = procedure_of(form, case.id, codes)
        print(f"  Trường hợp “{case.procedure}” ({case.note or case.id}): {facts.processing_label}; {case.fee}")
    print(f"  Quy tắc kiểm tra: {len(form.rules)}")
    for role in form.roles:
        print(f"  {role.label} ({role.id}):")
        for field in form.fields_of(role.id):
            _print_field(field)
    general = form.fields_of("")
    if general:
        print("  Thông tin chung:")
        for field in general:
            _print_field(field)
    return 0


def _print_field(field: Any) -> None:
    flags = ["bắt buộc" if field.required else "", f"từ thẻ: {field.prefill}" if field.prefill else ""]
    extra = ", ".join(f for f in flags if f)
    print(f"    - {field.id}: {field.label} [{field.type}{', ' + extra if extra else ''}]")
