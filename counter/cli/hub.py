"""`counter hub serve|enroll-code|counters|revoke|dossiers|audit-heads|set-status`: the reference provincial hub."""

from __future__ import annotations

import argparse
import importlib.util
from collections.abc import Callable
from typing import Any

from counter.cli.common import add_json_flag, print_json
from counter.errors import CounterError
from counter.law.lifecycle import STATUS_LABELS

DEFAULT_DB = "hub.db"
EXTRAS = {"hub": ("starlette", "uvicorn"), "postgres": ("psycopg",)}


def require_extras(db: str, serving: bool) -> None:
    """Refuse in one sentence when the hub's optional packages (extras [hub], [postgres]) are missing."""
    needed = (["hub"] if serving else []) + (["postgres"] if db.startswith("postgresql") else [])
    for extra in needed:
        if any(importlib.util.find_spec(module) is None for module in EXTRAS[extra]):
            raise CounterError(f"Chức năng này cần gói bổ sung [{extra}]: pip install \"motcua-counter[{extra}]\".")


def register(subparsers: Any) -> None:
    """Add the `hub` command group."""
    group = subparsers.add_parser("hub", help="hệ thống tỉnh mẫu (máy chủ đồng bộ)").add_subparsers(
        dest="hub_command", required=True
    )
    db_help = "CSDL của hệ thống tỉnh: đường dẫn tệp SQLite hoặc URL SQLAlchemy (postgresql+psycopg://…)"
    serve = group.add_parser("serve", help="chạy máy chủ đồng bộ")
    serve.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument(
        "--timezone", default="Asia/Ho_Chi_Minh", help="múi giờ ghi thời điểm thay đổi của tỉnh"
    )
    serve.add_argument(
        "--system", default=None, metavar="NAME", help="hệ thống tỉnh phục vụ (mặc định: [hub].system, reference)"
    )
    serve.add_argument("--blobs", default="", metavar="DIR",
                       help="thư mục giữ tệp đính kèm (mặc định: cạnh tệp SQLite, hoặc ./hub-blobs); "
                            "db: giữ trong cơ sở dữ liệu của hệ thống tỉnh (PostgreSQL hoặc SQLite)")
    serve.add_argument("--max-blob-mb", type=int, default=50, metavar="N",
                       help="tệp đính kèm lớn nhất hệ thống tỉnh nhận (MB, mặc định 50)")
    serve.set_defaults(handler=run_serve)
    code = group.add_parser("enroll-code", help="cấp mã đăng ký dùng một lần cho một quầy")
    code.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    code.add_argument("--unit", required=True, metavar="UNIT", help="mã đơn vị, ví dụ 000.00.36.H40")
    code.add_argument("--counter", required=True, metavar="ID", help="mã quầy duy nhất được dùng mã này, ví dụ Q1")
    code.add_argument("--ttl-hours", type=int, default=72, help="thời hạn của mã (giờ)")
    code.set_defaults(handler=run_enroll_code)
    listed = group.add_parser("counters", help="các quầy đã đăng ký: mã xác thực, dãy số, thu hồi")
    listed.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    listed.add_argument("--unit", default=None, metavar="UNIT")
    add_json_flag(listed)
    listed.set_defaults(handler=run_counters)
    revoke = group.add_parser("revoke", help="thu hồi mã xác thực của một quầy")
    revoke.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    revoke.add_argument("unit", metavar="UNIT")
    revoke.add_argument("counter", metavar="COUNTER")
    revoke.set_defaults(handler=run_revoke)
    dossiers = group.add_parser("dossiers", help="hồ sơ của một đơn vị mà hệ thống tỉnh đang giữ")
    dossiers.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    dossiers.add_argument("--unit", required=True, metavar="UNIT")
    add_json_flag(dossiers)
    dossiers.set_defaults(handler=run_dossiers)
    heads = group.add_parser("audit-heads", help="đầu chuỗi nhật ký mỗi quầy gửi lên; quầy có lịch sử bị viết lại")
    heads.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    heads.add_argument("--unit", default=None, metavar="UNIT")
    add_json_flag(heads)
    heads.set_defaults(handler=run_audit_heads)
    status = group.add_parser(
        "set-status", help="ghi nhận thay đổi trạng thái do sở, ngành của tỉnh thực hiện"
    )
    status.add_argument("--db", default=DEFAULT_DB, metavar="URL", help=db_help)
    status.add_argument("code", metavar="CODE")
    status.add_argument("status", metavar="STATUS", choices=list(STATUS_LABELS))
    status.add_argument("--by", default="Sở ngành tỉnh", help="đơn vị thực hiện")
    status.add_argument("--reason", default="")
    status.set_defaults(handler=run_set_status)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the hub until interrupted."""
    require_extras(args.db, serving=True)
    from counter.config import load_config
    from sync.adapter import SystemSettings, UnknownSystem
    from sync.hub.notices import NoticeSettings
    from sync.hub.server import serve

    hub = load_config(args.config).hub
    settings = SystemSettings(args.db, args.timezone, hub.max_clock_ahead_seconds, hub.replace_active_token)
    try:
        serve(args.system or hub.system, settings, args.host, args.port, hub.request_timeout_seconds,
              args.blobs, args.max_blob_mb,
              NoticeSettings(hub.notice_sender, hub.notice_gateway_url, hub.notice_gateway_token,
                             hub.notice_interval_seconds, hub.notice_max_attempts))
    except UnknownSystem as exc:
        raise CounterError(str(exc)) from None
    return 0


def _with_store[T](args: argparse.Namespace, call: Callable[[Any], T]) -> T:
    """Open the hub's database (--db), make one call on its HubStore, close it."""
    require_extras(args.db, serving=False)
    from sync.hub.store import HubStore

    store = HubStore(args.db)
    try:
        return call(store)
    finally:
        store.close()


def run_enroll_code(args: argparse.Namespace) -> int:
    """Print a new one-time enrolment code for a unit."""
    print(_with_store(args, lambda store: store.new_enrolment_code(args.unit, args.counter, args.ttl_hours)))
    return 0


def run_counters(args: argparse.Namespace) -> int:
    """List every token issued: counter, block, when enrolled, revoked, refused uses since."""
    rows = _with_store(args, lambda store: store.counters(args.unit))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        state = (f"đã thu hồi {row['revoked_at'] or ''}, bị từ chối {row['refused_uses']} lần"
                 if row["revoked"] else "còn hiệu lực")
        block = f"{row['sequence_first']}–{row['sequence_last']}" if row["sequence_first"] else "không rõ"
        print(f"{row['unit']}  quầy {row['counter']:<8} dãy {block:<10} đăng ký {row['enrolled_at']}  {state}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """Revoke a counter's tokens; exit 1 when it had none valid."""
    count = _with_store(args, lambda store: store.revoke(args.unit, args.counter))
    if count == 0:
        raise CounterError(f"Quầy {args.counter} của đơn vị {args.unit} không có mã xác thực nào còn hiệu lực.")
    print(f"Đã thu hồi mã xác thực của quầy {args.counter} ({args.unit}); mọi lần dùng sau sẽ bị từ chối và ghi lại.")
    return 0


def run_dossiers(args: argparse.Namespace) -> int:
    """List the unit's dossiers held at the hub."""
    rows = _with_store(args, lambda store: store.dossiers(args.unit))
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['code']}  {row['status']:<16} quầy {row['counter']:<8} {row['events']} sự kiện")
    return 0


def run_audit_heads(args: argparse.Namespace) -> int:
    """Each counter's latest audit head; a head that did not extend the previous one is flagged."""
    rows = _with_store(args, lambda store: store.audit_heads(args.unit))
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        flag = (f"  LỊCH SỬ BỊ VIẾT LẠI từ {row['broken_at']} (sau {row['broken_after_entries']} mục)"
                if row["broken_at"] else "")
        print(f"{row['unit']}  quầy {row['counter']:<8} {row['entries']} mục  {row['head'][:16]}…  "
              f"{row['updated_at']}{flag}")
    return 0


def run_set_status(args: argparse.Namespace) -> int:
    """Record a provincial status change as an event that flows back to the counters."""
    result = _with_store(args, lambda store: store.set_status(args.code, args.status, args.by, args.reason))
    print(
        f"Đã chuyển hồ sơ {result['code']} sang “{STATUS_LABELS[args.status]}” (sự kiện số {result['seq']})."
    )
    return 0
