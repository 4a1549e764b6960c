"""`counter address normalize|search`: addresses resolved to today's ward and province, offline."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from counter.cli.common import add_json_flag, fail, print_json


def register(subparsers: Any) -> None:
    """Add the `address` command group."""
    address = subparsers.add_parser("address", help="địa chỉ theo đơn vị hành chính hiện hành (xã, tỉnh)")
    group = address.add_subparsers(dest="address_command", required=True)
    normalize = group.add_parser("normalize", help="chuẩn hoá địa chỉ (không có đối số: mỗi dòng stdin một địa chỉ)")
    normalize.add_argument("address", nargs="?", help="địa chỉ, ví dụ “Khu 6, TT. Hùng Sơn, H. Lâm Thao, Phú Thọ”")
    add_json_flag(normalize)
    normalize.set_defaults(handler=run_normalize)
    search = group.add_parser("search", help="tìm xã, phường hiện hành theo tên (gõ không dấu được)")
    search.add_argument("text", help="tên xã/phường, ví dụ “phu xuyen”")
    search.add_argument("--limit", type=int, default=20, help="số kết quả tối đa (mặc định 20)")
    add_json_flag(search)
    search.set_defaults(handler=run_search)


def _line(result: Any) -> str:
    """One readable line for a resolution."""
    if result.status == "exact":
        before = f"  (trước đây: {result.legacy.ward}, {result.legacy.district}, {result.legacy.province})" \
            if result.legacy else ""
        return f"exact\t{result.formatted}{before}"
    if result.status == "ambiguous":
        return f"ambiguous\t{result.input}\t→ một trong: " + "; ".join(c.label for c in result.candidates)
    return f"unknown\t{result.input}"


def run_normalize(args: argparse.Namespace) -> int:
    """One result per address, in order; refuse only empty input."""
    from counter import addresses

    lines = [args.address] if args.address is not None else sys.stdin.read().splitlines()
    if not any(line.strip() for line in lines):
        return fail("Không có địa chỉ nào để chuẩn hoá (địa chỉ trống).")
    for line in lines:
        result = addresses.normalize(line)
        if args.json:
            print_json(result.to_json())
        else:
            print(_line(result))
    return 0


def run_search(args: argparse.Namespace) -> int:
    """Current wards matching the words, best first."""
    from counter import addresses

    if not args.text.strip():
        return fail("Hãy gõ tên xã/phường cần tìm.")
    units = addresses.search(args.text, limit=max(1, args.limit))
    if args.json:
        print_json([u.to_json() for u in units])
    else:
        for unit in units:
            print(f"{unit.ward_code}\t{unit.label}")
        if not units:
            print("Không tìm thấy xã/phường nào.", file=sys.stderr)
    return 0
