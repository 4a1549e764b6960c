"""What a person does with scanned papers: attach, link an earlier scan, remove, list, export, look up a
citizen's papers. Each is one function and one transaction with its audit record."""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from counter.accounts.users import SUPERVISOR
from counter.attachments import records
from counter.attachments.intake import Prepared, prepare
from counter.attachments.pdfcheck import AttachmentRefused
from counter.attachments.records import ATTACHMENT_ADDED, ATTACHMENT_REMOVED, KINDS, Attachment
from counter.citizens.idnumber import is_id_number, mask
from counter.context import CounterContext
from counter.custody import audit
from counter.errors import CounterError, NotFoundError
from counter.platform import make_private_file
from counter.records.dossiers import DossierDraft, append_event, get_dossier
from counter.services.dossiers import create_dossier
from counter.store import blobs, statements
from counter.store.models import Clerk, Dossier
from counter.store.rows import driver
from counter.text.plaintext import check_text

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_TITLE = 200


@dataclass(frozen=True)
class Attached:
    """An attachment just recorded, its number on the dossier and the intake's warnings."""

    attachment: Attachment
    n: int
    warnings: tuple[str, ...] = ()


def _title(kind: str, title: str) -> str:
    """The checked title (default: the kind's name)."""
    if kind not in KINDS:
        raise AttachmentRefused(f"Loại tệp đính kèm “{kind}” không hợp lệ; chọn component hoặc result.")
    title = " ".join(check_text(title, "Tên giấy tờ").split())
    if len(title) > MAX_TITLE:
        raise AttachmentRefused(f"Tên giấy tờ dài quá {MAX_TITLE} ký tự.")
    return title or KINDS[kind]


def _record(ctx: CounterContext, session: Session, dossier: Dossier, payload: dict[str, object], clerk: str,
            at: datetime, warnings: tuple[str, ...] = ()) -> Attached:
    """Write the `attachment_added` event and its audit entry; the new attachment and its number."""
    dossier = append_event(session, ctx, dossier, ATTACHMENT_ADDED, payload, clerk, at)
    listed = records.of_dossier(driver(session), dossier.uuid)
    audit.record(session, clerk, "attach", "dossier", dossier.code,
                 f"{payload['kind']}: {payload['title']} ({str(payload['sha256'])[:12]})", at=at)
    return Attached(listed[-1], len(listed), warnings)


@dataclass(frozen=True)
class Scan:
    """Files checked and made one PDF, with the kind and title they will be attached under."""

    prepared: Prepared
    kind: str
    title: str


def scan(ctx: CounterContext, files: Sequence[Path], kind: str = records.COMPONENT, title: str = "") -> Scan:
    """Check the files and make them one PDF (nothing stored): the slow part, done before any transaction."""
    title = _title(kind, title)
    return Scan(prepare(files, ctx.config.digitisation.max_mb), kind, title)


def _store(ctx: CounterContext, session: Session, dossier: Dossier, item: Scan, clerk: str, at: datetime
           ) -> Attached:
    prepared = item.prepared
    payload = {"sha256": prepared.sha256, "kind": item.kind, "title": item.title, "pages": prepared.pages,
               "bytes": len(prepared.data), "dpi": prepared.dpi, "media_type": blobs.MEDIA_PDF}
    blobs.put(session, prepared.data, at)
    return _record(ctx, session, dossier, payload, clerk, at, prepared.warnings)


def attach(ctx: CounterContext, code: str, files: Sequence[Path], clerk: str, kind: str = records.COMPONENT,
           title: str = "", at: datetime | None = None) -> Attached:
    """Check the files, make them one PDF and store it (once per SHA-256) with its event, in one transaction."""
    with ctx.store.read() as session:
        get_dossier(session, code)
    item = scan(ctx, files, kind, title)
    with ctx.store.write() as session:
        return _store(ctx, session, get_dossier(session, code), item, clerk, at or ctx.now())


def create_with_papers(ctx: CounterContext, draft: DossierDraft, clerk: str, scans: Sequence[Scan] = (),
                       links: Sequence[str] = ()) -> Dossier:
    """Save a new dossier (strict addresses, as the app does) with the papers scanned or linked on its form,
    all in one transaction."""
    with ctx.store.write() as session:
        dossier = create_dossier(ctx, draft, clerk, strict_addresses=True)
        at = dossier.received_at
        for item in scans:
            _store(ctx, session, dossier, item, clerk, at)
        for sha256 in links:
            _link(ctx, session, get_dossier(session, dossier.code), sha256, clerk, None, "", at)
        return get_dossier(session, dossier.code)


def reuse(ctx: CounterContext, code: str, sha256: str, clerk: str, kind: str | None = None, title: str = "",
          at: datetime | None = None) -> Attached:
    """Link a paper already digitised for one of the dossier's people instead of scanning it again."""
    with ctx.store.write() as session:
        return _link(ctx, session, get_dossier(session, code), sha256, clerk, kind, title, at or ctx.now())


def _link(ctx: CounterContext, session: Session, dossier: Dossier, sha256: str, clerk: str, kind: str | None,
          title: str, at: datetime) -> Attached:
    """Record the link of an earlier digitisation (checked: held, of one of the dossier's people, not twice)."""
    sha256 = sha256.strip().lower()
    if not SHA256.match(sha256) or not records.referring(driver(session), sha256):
        raise AttachmentRefused(f"Quầy không giữ bản số hóa nào có mã {sha256[:64]}.")
    people = set(statements.dossier_id_numbers(session, dossier.id))
    source = next((a for p in people for a in records.of_citizen(driver(session), p) if a.sha256 == sha256), None)
    if source is None:
        raise AttachmentRefused(f"Bản số hóa {sha256[:12]}… không thuộc người nào của hồ sơ {dossier.code}.")
    if any(a.sha256 == sha256 for a in records.of_dossier(driver(session), dossier.uuid)):
        raise AttachmentRefused(f"Hồ sơ {dossier.code} đã có bản số hóa này.")
    kind = kind or source.kind
    payload = {"sha256": sha256, "kind": kind, "title": _title(kind, title or source.title),
               "pages": source.pages, "bytes": source.bytes, "dpi": source.dpi, "media_type": blobs.MEDIA_PDF,
               "reused_from": source.dossier_code}
    return _record(ctx, session, dossier, payload, clerk, at)


def _require_supervisor(session: Session, clerk: str) -> None:
    found = session.exec(select(Clerk).where(Clerk.name == clerk, col(Clerk.active))).first()
    if found is None or found.role != SUPERVISOR:
        raise CounterError("Chỉ tài khoản giám sát được gỡ tệp đính kèm.", title="Không đủ quyền")


def remove(ctx: CounterContext, code: str, n: int, reason: str, clerk: str, at: datetime | None = None) -> Attachment:
    """A supervisor removes attachment `n` with a reason; its bytes go once no dossier refers to them."""
    reason = " ".join(check_text(reason, "Lý do", multiline=True).split())
    if not reason:
        raise AttachmentRefused("Cần ghi lý do gỡ tệp đính kèm.")
    at = at or ctx.now()
    with ctx.store.write() as session:
        _require_supervisor(session, clerk)
        dossier = get_dossier(session, code)
        gone = records.nth(driver(session), dossier.uuid, dossier.code, n)
        payload = {"attachment_id": gone.id, "sha256": gone.sha256, "kind": gone.kind,
                   "reused_from": gone.reused_from or None, "reason": reason}
        append_event(session, ctx, dossier, ATTACHMENT_REMOVED, payload, clerk, at)
        if not records.referring(driver(session), gone.sha256):
            blobs.drop(session, gone.sha256)
        audit.record(session, clerk, "detach", "dossier", dossier.code, f"{n}: {gone.title}: {reason}", at=at)
    return gone


def listing(ctx: CounterContext, code: str, clerk: str) -> tuple[Dossier, list[Attachment]]:
    """A dossier's attachments in order; the view is audited."""
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        attached = records.of_dossier(driver(session), dossier.uuid)
        audit.record(session, clerk, "view_attachments", "dossier", dossier.code, f"{len(attached)}", at=ctx.now())
    return dossier, attached


def export(ctx: CounterContext, code: str, n: int, out: Path, clerk: str) -> Attachment:
    """Write attachment `n` byte for byte to `out` (owner-only; temporary name, then renamed); audited."""
    with ctx.store.read() as session:
        dossier = get_dossier(session, code)
        chosen = records.nth(driver(session), dossier.uuid, dossier.code, n)
        missing = not blobs.holds(session, chosen.sha256)
    if missing:
        _fetch(ctx, chosen, n, dossier.code)
    with ctx.store.write() as session:
        partial = out.with_name(f".{out.name}.{secrets.token_hex(4)}.partial")
        try:
            with open(partial, "wb") as handle:
                make_private_file(partial)
                for chunk in blobs.chunks(session, chosen.sha256):
                    handle.write(chunk)
            os.replace(partial, out)
        except OSError as exc:
            raise CounterError(f"Không ghi được {out}: {exc.strerror or exc}.") from None
        finally:
            partial.unlink(missing_ok=True)
        audit.record(session, clerk, "export_attachment", "dossier", dossier.code, f"{n}: {chosen.title}",
                     at=ctx.now())
    return chosen


def _fetch(ctx: CounterContext, chosen: Attachment, n: int, code: str) -> None:
    """Bring the bytes of another counter's attachment from the hub (checked), or say why not."""
    from sync.blobclient import fetch
    from sync.credentials import NotEnrolled

    try:
        fetch(ctx, chosen.sha256)
    except NotEnrolled:
        raise NotFoundError(f"Quầy chưa có nội dung tệp số {n} của hồ sơ {code} (tệp của quầy khác) và chưa "
                            "đăng ký với hệ thống tỉnh để tải về.") from None


def papers_for_dossier(ctx: CounterContext, code: str, clerk: str) -> list[Attachment]:
    """Papers digitised earlier for the dossier's people that it does not hold yet; the look-up is audited."""
    with ctx.store.write() as session:
        dossier = get_dossier(session, code)
        held = {a.sha256 for a in records.of_dossier(driver(session), dossier.uuid)}
        people = statements.dossier_id_numbers(session, dossier.id)
        found = {a.sha256: a for p in people for a in records.of_citizen(driver(session), p) if a.sha256 not in held}
        audit.record(session, clerk, "view_papers", "dossier", dossier.code, f"{len(found)}", at=ctx.now())
    return sorted(found.values(), key=lambda a: a.added_at)


def papers(ctx: CounterContext, id_number: str, clerk: str) -> list[Attachment]:
    """Papers already digitised for this citizen on any dossier the counter holds; the look-up is audited."""
    number = "".join(id_number.split())
    if not is_id_number(number):
        raise NotFoundError(f"“{id_number[:20]}” không phải số định danh 12 chữ số.")
    with ctx.store.write() as session:
        found = records.of_citizen(driver(session), number)
        audit.record(session, clerk, "view_papers", "citizen", mask(number), f"{len(found)}", at=ctx.now())
    return found
