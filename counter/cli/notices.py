"""`counter notices list`: the status notices written for citizens and their delivery state."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.access import actor
from counter.cli.common import add_json_flag, context, print_json
from counter.records.notices import KIND_LABELS, STATE_LABELS
from counter.services import notices


def register(subparsers: Any) -> None:
    """Add the `notices` command group."""
    group = subparsers.add_parser("notices", help="thông báo trạng thái hồ sơ gửi công dân").add_subparsers(
        dest="notices_command", required=True)
    listing = group.add_parser("list", help="các thông báo, mới nhất trước, với trạng thái gửi")
    add_json_flag(listing)
    listing.set_defaults(handler=run_list)


def run_list(args: argparse.Namespace) -> int:
    """Print every notice (phone numbers masked)."""
    found = notices.notices(context(args), actor(args))
    if args.json:
        print_json([n.to_json() for n in found])
        return 0
    for n in found:
        print(f"{n.created_at:%H:%M %d/%m/%Y}  {n.dossier}  {KIND_LABELS.get(n.kind, n.kind):<17} {n.phone}  "
              f"{STATE_LABELS[n.state]}{': ' + n.detail if n.detail else ''}\n    {n.text}")
    print(f"{len(found)} thông báo")
    return 0
