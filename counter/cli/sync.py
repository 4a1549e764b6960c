"""`counter enroll` and `counter sync`: this counter's link to the provincial hub."""

from __future__ import annotations

import argparse
from typing import Any

from counter.cli.common import add_json_flag, context, fail, print_json


def register(subparsers: Any) -> None:
    """Add the `enroll` and `sync` commands."""
    enroll = subparsers.add_parser("enroll", help="đăng ký quầy với hệ thống tỉnh bằng mã dùng một lần")
    enroll.add_argument(
        "--hub", default=None, metavar="URL", help="địa chỉ hệ thống tỉnh (mặc định: [sync].hub_url)"
    )
    enroll.add_argument("--code", required=True, metavar="CODE", help="mã đăng ký do tỉnh cấp")
    enroll.set_defaults(handler=run_enroll)
    sync = subparsers.add_parser("sync", help="đồng bộ một lượt với hệ thống tỉnh")
    sync.add_argument("--status", action="store_true", help="chỉ xem tình trạng đồng bộ, không kết nối")
    sync.add_argument(
        "--requeue",
        nargs="*",
        metavar="EVENT_ID",
        default=None,
        help="đưa sự kiện bị cách ly (tất cả, hoặc các mã nêu) trở lại hàng đợi rồi đồng bộ",
    )
    sync.add_argument("--confirm-offline", action="store_true",
                      help="sau khi khôi phục: giám sát xác nhận quầy làm việc ngoại tuyến hẳn, cho cấp mã hồ sơ tiếp")
    add_json_flag(sync)
    sync.set_defaults(handler=run_sync)


def run_enroll(args: argparse.Namespace) -> int:
    """Redeem the enrolment code and store the token (owner-only) in the data directory."""
    from sync.credentials import credentials_path, enrol

    ctx = context(args)
    hub = args.hub or ctx.config.sync.hub_url
    if not hub:
        return fail("Cần địa chỉ hệ thống tỉnh: dùng --hub URL hoặc đặt [sync].hub_url.")
    credentials = enrol(ctx, hub, args.code)
    print(
        f"Đã đăng ký quầy {credentials.counter_id} ({credentials.unit_code}) với {credentials.hub_url}; "
        f"mã xác thực được niêm phong trong cơ sở dữ liệu mã hoá; địa chỉ ghi tại {credentials_path(ctx.config)}"
    )
    return 0


def run_sync(args: argparse.Namespace) -> int:
    """One pass (or only the status); exit 1 when the pass ended with an error."""
    from counter.services import sync as services
    from sync import state
    from sync.client import run_pass
    from sync.protocol import printable

    ctx = context(args)
    if args.confirm_offline:
        from counter.cli.access import actor, require_supervisor
        from counter.services.offline import confirm_offline

        require_supervisor(args)
        confirm_offline(ctx, actor(args))
        print("Đã ghi nhận quầy làm việc ngoại tuyến: quầy cấp mã hồ sơ tiếp theo số lớn nhất quầy đang giữ.")
        return 0
    if args.status:
        from sync.blobclient import waiting

        status = state.read_status(ctx)
        blobs = waiting(ctx)
        held = services.held(ctx)
        if args.json:
            print_json(status.to_json() | {"held_events": [held_json(e) for e in held], "blobs_waiting": blobs.blobs,
                                           "blob_bytes_left": blobs.bytes_left})
        else:
            print(
                f"Kết nối: {status.link_label}; chờ gửi: {status.pending}; bị cách ly: {status.quarantined}; "
                f"nhận về bị giữ lại: {status.held}; tệp đính kèm chờ gửi: {blobs.blobs} "
                f"(còn {blobs.bytes_left / 1_048_576:.1f} MB)"
            )
            for event in held:
                print(f"  Giữ lại {printable(event.dossier_code)} ({printable(event.type)}, quầy "
                      f"{printable(event.counter_id)}): {printable(event.reason, 300)}")
            if status.last_success:
                print(f"Lần đồng bộ thành công gần nhất: {status.last_success:%H:%M %d/%m/%Y}")
            if status.last_error:
                print(f"Lỗi gần nhất: {status.last_error}")
            if status.skew_warning:
                print(f"Cảnh báo: {state.skew_message(status.skew_ms or 0)}")
        return 0
    if args.requeue is not None:
        count = state.requeue(ctx, args.requeue or None)
        if not args.json:
            print(f"Đã đưa {count} sự kiện trở lại hàng đợi.")
    report = run_pass(ctx)
    if args.json:
        print_json(report.to_json() | {"quarantine": services.quarantined(ctx)})
    else:
        print(
            f"Đã gửi {report.pushed} (trùng {report.duplicates}), đã nhận {report.pulled}, "
            f"còn chờ {report.pending}, bị cách ly {report.quarantined}, nhận về bị giữ lại {report.held}."
        )
        for error in report.errors:
            print(f"  Lỗi: {error}")
        if report.skew_ms is not None and abs(report.skew_ms) > state.SKEW_WARNING_MS:
            print(f"  Cảnh báo: {state.skew_message(report.skew_ms)}")
    return 1 if report.link != "online" else 0


def held_json(event: Any) -> dict[str, Any]:
    """A held pulled event as `counter sync --status --json` lists it."""
    return {"id": event.id, "dossier": event.dossier_code, "type": event.type, "counter": event.counter_id,
            "seq": event.hub_seq, "reason": event.reason}
