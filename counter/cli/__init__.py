"""The `counter` command: without a subcommand it opens the counter app; subcommands script the core."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from importlib import import_module

from counter import platform
from counter.cli import access
from counter.cli.common import SafeStream, damaged_database, fail, wants_bom, write_out
from counter.cli.parser import VietnameseArgumentParser
from counter.errors import CounterError, os_error_message

COMMANDS: dict[str, tuple[str, str]] = {
    "login": ("access", "đăng nhập cho các lệnh sau (của người dùng máy này)"),
    "logout": ("access", "kết thúc phiên đăng nhập"),
    "qr": ("qr", "đọc mã QR căn cước"),
    "forms": ("forms", "các mẫu tờ khai"),
    "dossier": ("dossier", "hồ sơ"),
    "ticket": ("ticket", "số thứ tự của người chờ"),
    "notices": ("notices", "thông báo trạng thái hồ sơ gửi công dân"),
    "display": ("display", "màn hình công dân (số đang gọi, hồ sơ, đánh giá)"),
    "citizen": ("attachments", "công dân: giấy tờ đã số hóa"),
    "address": ("address", "địa chỉ theo đơn vị hành chính hiện hành (xã, tỉnh)"),
    "print": ("printing", "in giấy tiếp nhận, tờ khai hoặc phiếu của một hồ sơ"),
    "demo": ("demo", "tạo dữ liệu mẫu"),
    "enroll": ("sync", "đăng ký quầy với hệ thống tỉnh bằng mã dùng một lần"),
    "sync": ("sync", "đồng bộ một lượt với hệ thống tỉnh"),
    "hub": ("hub", "hệ thống tỉnh mẫu (máy chủ đồng bộ)"),
    "users": ("users", "tài khoản cán bộ"),
    "report": ("report", "báo cáo, hàng đợi, việc tồn"),
    "audit": ("audit", "nhật ký truy cập và thao tác (chỉ đọc)"),
    "db": ("db", "cơ sở dữ liệu của quầy"),
    "backup": ("backup", "sao lưu mã hoá (age) và kiểm tra bản sao lưu"),
    "restore": ("backup", "khôi phục từ bản sao lưu (khoá age là thẩm quyền)"),
}
"""Command → (module under counter.cli, help line); only the module of the command being run is imported."""


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in `argv` (the first word that is not an option or --config's value)."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The argument parser: the command in `argv` fully registered, the others by name and help only.

    Without `argv` every command is registered (for tests and documentation checks).
    """
    parser = VietnameseArgumentParser(
        prog="counter", description="Một Cửa Counter — quầy tiếp nhận hồ sơ một cửa cấp xã."
    )
    parser.add_argument("--config", metavar="PATH", help="tệp cấu hình (mặc định: $COUNTER_CONFIG, ./counter.toml)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    selected = _command_in(argv) if argv is not None else None
    wanted = {module for module, _ in COMMANDS.values()} if argv is None else (
        {COMMANDS[selected][0]} if selected in COMMANDS else set())
    registered: set[str] = set()
    for name, (module, help_line) in COMMANDS.items():
        if module in wanted:
            if module not in registered:
                import_module(f"counter.cli.{module}").register(subparsers)
                registered.add(module)
        else:
            subparsers.add_parser(name, help=help_line)
    access.add_account_options(parser)
    return parser


def _capture(args: argparse.Namespace) -> io.StringIO | None:
    """A buffer for the output that --out FILE will receive (None without --out); .xlsx only for reports."""
    out = getattr(args, "out_file", None)
    if out is None:
        return None
    if out.suffix.lower() == ".xlsx" and not getattr(args, "xlsx_ok", False):
        raise CounterError(f"Lệnh này không ghi được tệp Excel {out}; dùng tệp .json hoặc .csv "
                           "(chỉ report daily, monthly, satisfaction và fees ghi .xlsx).")
    return io.StringIO()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    platform.setup_console()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(argv).parse_args(argv)
    streams = sys.stdout, sys.stderr
    try:
        if args.command is None:
            from counter.cli.app import run_app

            return run_app(args)
        captured = _capture(args)
        sys.stdout, sys.stderr = SafeStream(captured or sys.stdout), SafeStream(sys.stderr)
        access.authorize(args)
        result: int = args.handler(args)
        if captured is not None and getattr(args, "wrote_out", False):
            streams[0].write(captured.getvalue())
        elif captured is not None and result == 0:
            write_out(args.out_file, captured.getvalue(), wants_bom(args))
        return result
    except CounterError as exc:
        return fail(exc.message)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`counter dossier list | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as exc:  # a path the operating system refuses: one sentence, never a traceback
        return fail(os_error_message(exc))
    except Exception as exc:
        message = damaged_database(args, exc)
        if message is None:
            raise
        return fail(message)
    finally:
        sys.stdout, sys.stderr = streams
        opened = getattr(args, "counter_context", None)
        if opened is not None:
            opened.close()


if __name__ == "__main__":
    sys.exit(main())
