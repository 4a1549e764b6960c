"""Backups that restore: a consistent snapshot of the store, compressed and age-encrypted to a recipient.

The counter holds only the recipient (`age1…`), so it can write backups it cannot read; the identity stays
with the supervisor or the district's IT. A backup is one `.mcbak` file, written under a temporary name
and renamed when complete: an interrupted backup never looks like a good one. Inside (after age and gzip):
one JSON line per item: a header, each table's schema and rows, the other schema objects, an end mark.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from counter.config import Config
from counter.errors import CounterError
from counter.platform import make_private_file
from counter.store import dump, keyvalue
from counter.store.db import ASIDE_MARK, STAGING_SUFFIX, DatabaseError, connect, ensure_private_dir, fsync_path
from counter.store.keys import KeyStore, key_store, new_key, write_private

FORMAT = "motcua-backup"
VERSION = 1
SUFFIX = ".mcbak"
CREDENTIALS_FILE = "hub-credentials.json"


class BackupError(CounterError):
    """A backup cannot be written, read or restored."""

    title = "Sao lưu"


@dataclass(frozen=True)
class BackupResult:
    """What `create` wrote."""

    path: Path
    size: int
    dossiers: int


def keygen(out: Path) -> str:
    """Write a new age identity to `out` (owner-only; never overwrites) and return its recipient."""
    from pyrage import x25519

    if out.exists():
        raise BackupError(f"Tệp {out} đã có; chọn tên khác để không ghi đè khoá cũ.")
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    text = f"# created: {datetime.now().isoformat(timespec='seconds')}\n# public key: {recipient}\n{identity}\n"
    write_private(out, text.encode("ascii"))
    return recipient


def snapshot(config: Config, store: Any, now: datetime) -> tuple[bytes, int]:
    """A consistent gzip-compressed dump of the live database (one read transaction) and its dossier count."""
    credentials = config.storage.data_dir / CREDENTIALS_FILE
    conn = store.connect()
    buffer = io.BytesIO()
    try:
        conn.execute("BEGIN")
        version, dossiers = dump.facts(conn)
        header = {"format": FORMAT, "version": VERSION, "schema_version": version, "unit": config.unit.code,
                  "counter": config.counter.id, "created_at": now.isoformat(timespec="seconds"),
                  "dossiers": dossiers,
                  "files": {CREDENTIALS_FILE: credentials.read_text(encoding="utf-8")} if credentials.exists() else {}}
        with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as out:
            for item in (header, *dump.dump(conn), {"end": True}):
                out.write(json.dumps(item, ensure_ascii=False, separators=(",", ":"), default=dump.jsonable).encode())
                out.write(b"\n")
        conn.execute("COMMIT")
    finally:
        conn.close()
    return buffer.getvalue(), dossiers


def backup_name(config: Config, when: datetime) -> str:
    """`<unit>-<counter>-YYYYMMDD-HHMMSS.mcbak`."""
    return f"{config.unit.code}-{config.counter.id}-{when:%Y%m%d-%H%M%S}{SUFFIX}"


def create(ctx: Any, to_dir: str = "", recipient: str = "", keep: int | None = None) -> BackupResult:
    """Snapshot, compress, encrypt to the recipient and write `<unit>-<counter>-<time>.mcbak` into the folder;
    keeps the newest `keep` backups there."""
    import pyrage
    from pyrage import x25519

    config: Config = ctx.config
    folder = Path(to_dir or config.backup.dir).expanduser()
    recipient = recipient or config.backup.recipient
    if not recipient:
        raise BackupError("Chưa có khoá nhận bản sao lưu: đặt [backup].recipient (tạo bằng counter backup keygen) "
                          "hoặc dùng --recipient.")
    if not (to_dir or config.backup.dir):
        raise BackupError("Chưa có thư mục sao lưu: đặt [backup].dir hoặc dùng --to.")
    try:
        target = x25519.Recipient.from_str(recipient)
    except Exception:  # pyrage raises its own RecipientError or ValueError
        raise BackupError(f"Khoá nhận “{recipient[:12]}…” không phải khoá age hợp lệ (age1…).") from None
    now = ctx.now()
    data, dossiers = snapshot(config, ctx.store, now)
    sealed = pyrage.encrypt(data, [target])
    final = _write(folder, backup_name(config, now), sealed)
    _prune(folder, config, keep if keep is not None else config.backup.keep)
    _remember(ctx, final, dossiers)
    return BackupResult(final, len(sealed), dossiers)


def _write(folder: Path, name: str, sealed: bytes) -> Path:
    """Write a sealed backup under a temporary name, fsync, rename: never a partial `.mcbak`."""
    final = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(f".*{SUFFIX}.*.partial"):  # left by a run that was killed mid-write
            stale.unlink(missing_ok=True)
        partial = folder / f".{final.name}.{secrets.token_hex(4)}.partial"
        with open(partial, "wb") as handle:
            make_private_file(partial)  # sealed, but who made a backup and when is nobody else's business
            handle.write(sealed)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, final)
        fsync_path(folder)
    except OSError as exc:
        raise BackupError(f"Không ghi được bản sao lưu vào {folder}: {exc.strerror or exc}.") from None
    return final


def before_upgrade(config: Config, store: Any, version: int, now: datetime) -> Path | None:
    """Back the store up before its migrations run (an upgraded app's first start), when [backup] is set;
    a failure stops the start (one sentence) with the store untouched."""
    if not (config.backup.dir and config.backup.recipient):
        return None
    import pyrage
    from pyrage import x25519

    try:
        target = x25519.Recipient.from_str(config.backup.recipient)
    except Exception:  # pyrage raises its own RecipientError or ValueError
        raise BackupError(f"Không sao lưu được trước khi nâng cấp cơ sở dữ liệu: [backup].recipient "
                          f"“{config.backup.recipient[:12]}…” không phải khoá age hợp lệ.") from None
    data, _dossiers = snapshot(config, store, now)
    name = backup_name(config, now).removesuffix(SUFFIX) + f"-truoc-nang-cap-v{version}{SUFFIX}"
    return _write(Path(config.backup.dir).expanduser(), name, pyrage.encrypt(data, [target]))


def _prune(folder: Path, config: Config, keep: int) -> None:
    mine = sorted(folder.glob(f"{config.unit.code}-{config.counter.id}-*{SUFFIX}"))
    for old in mine[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)


def _remember(ctx: Any, path: Path, dossiers: int) -> None:
    from counter.custody import audit

    with ctx.store.write() as session:
        keyvalue.set_values(session, **{keyvalue.LAST_BACKUP: ctx.now().isoformat()})
        audit.record(session, "hệ thống", "backup", "database", path.name, f"{dossiers} hồ sơ", at=ctx.now())


def last_backup(session: Any) -> datetime | None:
    """When the last backup was written, or None."""
    text = keyvalue.get_value(session, keyvalue.LAST_BACKUP, "")
    return datetime.fromisoformat(text) if text else None


def status_line(config: Config, last: datetime | None, now: datetime) -> tuple[str, bool]:
    """What the supervisor screen says about backups, and whether it is a warning (none for warn_after_days)."""
    if last is None:
        where = "" if config.backup.dir else " (chưa đặt [backup].dir)"
        return f"Chưa có bản sao lưu nào{where}: chạy counter backup create.", True
    days = (now - last).days
    if days >= config.backup.warn_after_days:
        return f"Cảnh báo: đã {days} ngày chưa sao lưu (lần cuối {last:%H:%M %d/%m/%Y}).", True
    return f"Sao lưu gần nhất: {last:%H:%M %d/%m/%Y}.", False


def due_at_closing(config: Config, last: datetime | None, now: datetime) -> bool:
    """True when the app should back up by itself: a folder is set, it is past closing time, none today."""
    return bool(config.backup.dir and config.backup.recipient) and now.time() >= config.hours.closes and (
        last is None or last.date() < now.date())


# --- reading a backup ------------------------------------------------------------------------------


def _read(file: Path, identity_file: Path) -> list[Any]:
    """Decrypt and decompress a backup into its JSON items; a damaged or foreign file is one sentence."""
    import pyrage
    from pyrage import x25519

    try:
        lines = [line.strip() for line in identity_file.read_text(encoding="utf-8").splitlines()]
        identity = x25519.Identity.from_str(next(line for line in lines if line.startswith("AGE-SECRET-KEY-")))
    except (OSError, StopIteration, UnicodeDecodeError):
        raise BackupError(f"Tệp {identity_file} không chứa khoá age (AGE-SECRET-KEY-…).") from None
    except Exception:
        raise BackupError(f"Khoá trong {identity_file} không hợp lệ.") from None
    try:
        sealed = file.read_bytes()
    except OSError as exc:
        raise BackupError(f"Không đọc được {file}: {exc.strerror or exc}.") from None
    try:
        data = pyrage.decrypt(sealed, [identity])
    except Exception:
        raise BackupError(f"{file} không giải mã được bằng khoá này (tệp hỏng, không phải bản sao lưu "
                          "hoặc mã hoá cho khoá khác).") from None
    try:
        items = [json.loads(line) for line in gzip.decompress(data).splitlines() if line]
    except (OSError, EOFError, ValueError):
        raise BackupError(f"{file} bị hỏng (nội dung nén không đọc được).") from None
    if not items or not isinstance(items[0], dict) or items[0].get("format") != FORMAT:
        raise BackupError(f"{file} không phải bản sao lưu của Một Cửa Counter.")
    if items[-1] != {"end": True}:
        raise BackupError(f"{file} bị cắt cụt (thiếu phần cuối).")
    return items


def verify(file: Path, identity_file: Path) -> dict[str, Any]:
    """Decrypt a backup, rebuild it in memory, check the database and the audit chain; the counts."""
    items = _read(file, identity_file)
    conn = connect(":memory:", None)
    try:
        load(conn, items)
        check = dump.quick_check(conn)
        counts = dump.counts(conn)
    except DatabaseError as exc:
        raise BackupError(f"{file}: cơ sở dữ liệu trong bản sao lưu không dựng lại được ({exc}).") from None
    finally:
        conn.close()
    if check != "ok":
        raise BackupError(f"{file}: cơ sở dữ liệu trong bản sao lưu bị hỏng ({check}).")
    if not counts["audit_chain"]["ok"]:
        bad = counts["audit_chain"]
        raise BackupError(f"{file}: nhật ký trong bản sao lưu bị can thiệp tại mục {bad['first_bad_id']} "
                          f"({bad['first_bad_at']}).")
    header = items[0]
    return {"file": str(file), "unit": header["unit"], "counter": header["counter"],
            "created_at": header["created_at"], **counts}


def load(conn: Any, items: list[Any]) -> None:
    """Rebuild the database of a backup's items into an empty connection, in one transaction."""
    try:
        dump.load(conn, items[1:-1], int(items[0]["schema_version"]))
    except dump.DumpRefused as exc:
        raise BackupError(str(exc)) from None


def _holds_data(data_dir: Path) -> bool:
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"Không dùng được thư mục dữ liệu {data_dir}: đã có một tệp trùng tên ở đó; sửa "
                          "[storage].data_dir hoặc biến COUNTER_DATA_DIR.")
    return data_dir.exists() and any(data_dir.iterdir())


def _check_origin(config: Config, header: dict[str, Any], force_unit: str) -> None:
    """Refuse another unit's or counter's backup unless its unit is named with --force-unit."""
    origin = (str(header.get("unit", "")), str(header.get("counter", "")))
    if origin == (config.unit.code, config.counter.id) or force_unit == origin[0]:
        return
    raise BackupError(f"Bản sao lưu là của đơn vị {origin[0]}, quầy {origin[1]}, không phải {config.unit.code}, "
                      f"quầy {config.counter.id}; nếu đúng là muốn khôi phục nó, thêm --force-unit {origin[0]}.")


def _build(config: Config, items: list[Any], staging: Path, keys: KeyStore) -> Config:
    """The restored database under a new key in `staging`, flagged as restored; its configuration."""
    shutil.rmtree(staging, ignore_errors=True)  # what an interrupted restore left
    ensure_private_dir(staging)
    key = new_key(staging, keys)
    staged = replace(config, storage=replace(config.storage, data_dir=staging))
    conn = connect(staged.database_path, key)
    try:
        load(conn, items)
        keyvalue.set_raw(conn, keyvalue.RESTORED, datetime.now().isoformat(timespec="seconds"))
    finally:
        conn.close()
    for name, text in items[0].get("files", {}).items():
        if name == CREDENTIALS_FILE:
            write_private(staging / name, text.encode("utf-8"))
    return staged


def restore(config: Config, file: Path, identity_file: Path, authorise: Callable[[Config], None], *,
            force: bool = False, force_unit: str = "", keys: KeyStore | None = None
            ) -> tuple[dict[str, Any], Path | None]:
    """Restore a backup with a new key once `authorise` accepted the staged store (raising CounterError
    otherwise); with `force`, existing data is moved aside (never deleted). Built beside the data directory
    and swapped in by renaming, so an interruption leaves the old store or the new one. Returns the backup's
    counts and where old data went."""
    counts = verify(file, identity_file)
    items = _read(file, identity_file)
    _check_origin(config, items[0], force_unit)
    data_dir = config.storage.data_dir
    if _holds_data(data_dir) and not force:
        raise BackupError(f"Thư mục dữ liệu {data_dir} đang có dữ liệu; dùng --force để chuyển nó sang "
                          "một bên (không xoá) rồi khôi phục.")
    staging = data_dir.with_name(data_dir.name + STAGING_SUFFIX)
    staged = _build(config, items, staging, keys or key_store())
    try:
        authorise(staged)
    except CounterError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_path(staged.database_path)
    fsync_path(staging)
    moved: Path | None = None
    if data_dir.exists():
        moved = data_dir.with_name(f"{data_dir.name}{ASIDE_MARK}{datetime.now():%Y%m%d-%H%M%S}")
        os.replace(data_dir, moved)
    os.replace(staging, data_dir)
    fsync_path(data_dir.parent)
    return counts, moved
