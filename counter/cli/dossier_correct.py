"""`counter dossier correct CODE --set FIELD=VALUE... --reason TEXT`: correct a saved, open dossier."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.access import actor
from counter.cli.common import add_json_flag, assignments, context, fail, print_json
from counter.law.sentences import clause, join_reasons
from counter.records.drafts import DossierInvalid


def register(group: Any) -> None:
    """Add `correct` to the `dossier` group."""
    correct = group.add_parser("correct", help="sửa thông tin của hồ sơ đang giải quyết (ghi lý do)")
    correct.add_argument("code", metavar="CODE")
    correct.add_argument("--set", action="append", required=True, metavar="FIELD=VALUE", dest="assignments",
                         help="giá trị mới của một trường; lặp lại cho nhiều trường")
    correct.add_argument("--reason", required=True, metavar="TEXT", help="lý do sửa")
    add_json_flag(correct)
    correct.set_defaults(handler=run_correct)


def run_correct(args: argparse.Namespace) -> int:
    """Record the correction, or list what the form's checks and rules refuse and write nothing."""
    from counter.services.corrections import correct
    from counter.services.dossier_view import detail

    ctx = context(args)
    try:
        dossier = correct(ctx, args.code, assignments(args.assignments), args.reason, actor(args))
    except DossierInvalid as exc:
        reasons = join_reasons(f"{field}: {clause(why)}" for field, why in exc.errors.items())
        return fail(f"Hồ sơ không được sửa: {clause(reasons)}.")
    if args.json:
        print_json(detail(ctx, dossier))
    else:
        print(f"Đã sửa hồ sơ {dossier.code}: {', '.join(sorted(assignments(args.assignments)))}.")
    return 0
