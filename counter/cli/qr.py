"""`counter qr parse|decode`: citizen identity from QR text or from image files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from counter.citizens import identity
from counter.cli.common import add_out_option, fail, print_json
from counter.config import DECODERS, load_config
from counter.errors import CounterError
from counter.qr import decoders


def register(subparsers: Any) -> None:
    """Add the `qr` command group."""
    qr = subparsers.add_parser("qr", help="đọc mã QR căn cước")
    group = qr.add_subparsers(dest="qr_command", required=True)
    parse = group.add_parser("parse", help="phân tích nội dung mã QR (đọc từ stdin nếu không có đối số)")
    parse.add_argument("payload", nargs="?", help="nội dung mã QR")
    add_out_option(parse)
    parse.set_defaults(handler=run_parse)
    decode = group.add_parser("decode", help="đọc mã QR từ tệp ảnh")
    decode.add_argument("images", nargs="+", type=Path, metavar="IMAGE")
    decode.add_argument("--decoder", choices=DECODERS, help="bộ giải mã (mặc định: [scanner].decoder)")
    add_out_option(decode)
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


def decode_one(path: Path, reader: decoders.Reader | None = None) -> dict[str, Any]:
    """The JSON line for one image: the citizen-ID QR it holds, or the reason there is none."""
    line: dict[str, Any] = {"file": str(path), "payload": None}
    try:
        reading = decoders.read_file(path, reader or decoders.make_reader())
    except CounterError as exc:
        return {**line, "error": exc.message}
    if reading is None:
        return {**line, "error": "Không tìm thấy mã QR trong ảnh."}
    if reading.person is None:
        return {**line, "payload": reading.text, "error": reading.error}
    return {**line, "payload": identity.clean(reading.text), "identity": reading.person.to_json(),
            "decoder": reading.decoder}


def run_decode(args: argparse.Namespace) -> int:
    """Print one JSON line per image; exit 1 when any image has no readable citizen-ID QR."""
    reader = decoders.make_reader(args.decoder or load_config(args.config).scanner.decoder)
    if reader.notice:
        print(reader.notice, file=sys.stderr)
    status = 0
    for path in args.images:
        line = decode_one(path, reader)
        print_json(line)
        status = status or (1 if "error" in line else 0)
    return status
