"""`counter qr parse|decode`: citizen identity from QR text or from image files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from counter import identity, qrimage
from counter.cli.common import fail, print_json
from counter.errors import CounterError


def register(subparsers: Any) -> None:
    """Add the `qr` command group."""
    group = subparsers.add_parser("qr", help="đọc mã QR căn cước").add_subparsers(dest="qr_command", required=True)
    parse = group.add_parser("parse", help="phân tích nội dung mã QR (đọc từ stdin nếu không có đối số)")
    parse.add_argument("payload", nargs="?", help="nội dung mã QR")
    parse.set_defaults(handler=run_parse)
    decode = group.add_parser("decode", help="đọc mã QR từ tệp ảnh")
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    decode.set_defaults(handler=run_decode)


def run_parse(args: argparse.Namespace) -> int:
    """Print the identity JSON of one payload, or refuse it with one line on stderr."""
    payload = args.payload if args.payload is not None else sys.stdin.read(identity.MAX_PAYLOAD_CHARS * 4 + 1)
    try:
        person = identity.parse(payload)
    except identity.IdentityError as exc:
        return fail(exc.message)
    print_json(person.to_json())
    return 0


def decode_one(path: Path) -> dict[str, Any]:
    """The JSON line for one image: the first citizen-ID QR it holds, or the reason there is none."""
    line: dict[str, Any] = {"file": str(path), "payload": None}
    try:
        payloads = [qrimage.payload_text(data) for data in qrimage.decode_file(path)]
    except CounterError as exc:
        return {**line, "error": exc.message}
    if not payloads:
        return {**line, "error": "Không tìm thấy mã QR trong ảnh."}
    first_error = ""
    for payload in payloads:
        try:
            person = identity.parse(payload)
        except identity.IdentityError as exc:
            first_error = first_error or exc.message
            continue
        return {**line, "payload": identity.clean(payload), "identity": person.to_json()}
    return {**line, "payload": payloads[0], "error": first_error}


def run_decode(args: argparse.Namespace) -> int:
    """Print one JSON line per image; exit 1 when any image has no readable citizen-ID QR."""
    status = 0
    for path in args.images:
        line = decode_one(path)
        print_json(line)
        status = status or (1 if "error" in line else 0)
    return status
