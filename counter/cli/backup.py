"""`counter backup keygen|create|verify` and `counter restore`: age-encrypted backups that restore."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from counter.cli.common import add_json_flag, context, print_json


def register(subparsers: Any) -> None:
    """Add the `backup` and `restore` commands."""
    parser = subparsers.add_parser("backup", help="sao lưu mã hoá (age) và kiểm tra bản sao lưu")
    sub = parser.add_subparsers(dest="backup_command", metavar="SUBCOMMAND", required=True)
    keygen = sub.add_parser("keygen", help="tạo khoá age (giữ ngoài máy quầy) và in khoá nhận age1…")
    keygen.add_argument("--out", required=True, type=Path, metavar="FILE", help="tệp khoá bí mật (chỉ chủ đọc)")
    keygen.set_defaults(handler=run_keygen)
    create = sub.add_parser("create", help="tạo một bản sao lưu ngay")
    create.add_argument("--to", default="", metavar="DIR", help="thư mục (mặc định [backup].dir)")
    create.add_argument("--recipient", default="", metavar="R", help="khoá nhận age1… (mặc định [backup].recipient)")
    add_json_flag(create)
    create.set_defaults(handler=run_create)
    verify = sub.add_parser("verify", help="giải mã, kiểm tra cơ sở dữ liệu và chuỗi nhật ký, in số lượng")
    verify.add_argument("file", type=Path, metavar="FILE")
    verify.add_argument("--identity", required=True, type=Path, metavar="KEYFILE", help="tệp khoá age bí mật")
    add_json_flag(verify)
    verify.set_defaults(handler=run_verify)
    restore = subparsers.add_parser("restore", help="khôi phục từ bản sao lưu (giám sát có trong bản sao lưu)")
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--identity", required=True, type=Path, metavar="KEYFILE", help="tệp khoá age bí mật")
    restore.add_argument("--user", required=True, metavar="NAME",
                         help="tài khoản giám sát có trong bản sao lưu (mã PIN hỏi trên màn hình hoặc --pin-stdin)")
    restore.add_argument("--pin-stdin", action="store_true", help="đọc mã PIN từ dòng đầu của stdin")
    restore.add_argument("--force", action="store_true",
                         help="thư mục dữ liệu đang có dữ liệu: chuyển nó sang một bên (không xoá) rồi khôi phục")
    restore.add_argument("--force-unit", default="", metavar="UNIT",
                         help="khôi phục bản sao lưu của đơn vị hoặc quầy khác: nêu đúng mã đơn vị của bản sao lưu")
    restore.set_defaults(handler=run_restore)


def run_keygen(args: argparse.Namespace) -> int:
    """Write an identity file and print its recipient."""
    from counter.custody.backup import keygen

    recipient = keygen(args.out)
    print(recipient)
    print(f"Đã ghi khoá bí mật vào {args.out}: cất ngoài máy quầy; đặt [backup].recipient = \"{recipient}\".")
    return 0


def run_create(args: argparse.Namespace) -> int:
    """Write one backup now; print its path, size and dossier count."""
    from counter.custody.backup import create

    result = create(context(args), args.to, args.recipient)
    if args.json:
        print_json({"path": str(result.path), "size": result.size, "dossiers": result.dossiers})
    else:
        print(f"{result.path}  {result.size / 1024:.0f} KB  {result.dossiers} hồ sơ")
    return 0


def run_verify(args: argparse.Namespace) -> int:
    """Decrypt and check a backup; print its counts."""
    from counter.custody.backup import verify

    counts = verify(args.file, args.identity)
    if args.json:
        print_json(counts)
        return 0
    newest = counts["newest_dossier"]
    print(f"{args.file}: tốt. Đơn vị {counts['unit']}, quầy {counts['counter']}, lúc {counts['created_at']}; "
          f"{counts['dossiers']} hồ sơ, {counts['events']} sự kiện, {counts['audit_entries']} mục nhật ký"
          + (f"; hồ sơ mới nhất {newest['code']} ({newest['received_at']})." if newest else "."))
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Restore into the data directory as a supervisor of the backup (moving existing data aside with --force)."""
    from counter.cli.access import read_pin
    from counter.config import load_config
    from counter.services.backup import restore

    config = load_config(args.config)
    pin = read_pin(args, f"Mã PIN của {args.user}: ")
    counts, moved = restore(config, args.file, args.identity, args.user, pin, force=args.force,
                            force_unit=args.force_unit)
    if moved is not None:
        print(f"Dữ liệu cũ đã được chuyển sang {moved} (không xoá).")
    print(f"Đã khôi phục {counts['dossiers']} hồ sơ, {counts['events']} sự kiện, {counts['audit_entries']} mục "
          f"nhật ký vào {config.database_path} (khoá mới). Quầy chưa cấp mã hồ sơ mới cho đến khi chạy counter sync "
          "(nhận lại những gì đã lên hệ thống tỉnh).")
    return 0
