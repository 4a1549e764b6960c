"""The reference hub's enrolment: one-time codes bound to a unit and a counter id, tokens that can be revoked.

A code names the one counter id it enrols. Redeeming it revokes the counter's earlier tokens (or, with
`replace_active` False, is refused while one is active), so a counter id has at most one valid token.
Every request with a revoked token is refused, counted on the token and logged.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Engine

from sync.adapter import CounterIdentity, EnrolmentRefused
from sync.hub.schema import counter_token, enrolment_code

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
log = logging.getLogger("sync.hub")


def digest(value: str) -> str:
    """SHA-256 hex of a code or token: the hub stores nothing else of them."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_code(engine: Engine, unit_code: str, counter_id: str, ttl_hours: int = 72) -> str:
    """A one-time code an operator gives to counter `counter_id` of `unit_code`."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = _utcnow()
    with engine.begin() as conn:
        conn.execute(enrolment_code.insert().values(
            code_hash=digest(raw), unit_code=unit_code, counter_id=counter_id, created_at=now,
            expires_at=now + timedelta(hours=ttl_hours)))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _usable_code(conn: Connection, code: str, unit_code: str, counter_id: str, now: datetime) -> Any:
    """The code's row, or EnrolmentRefused saying why it cannot enrol this counter."""
    wanted = digest(_normalise_code(code))
    row = conn.execute(select(enrolment_code).where(enrolment_code.c.code_hash == wanted)).first()
    if row is None:
        raise EnrolmentRefused("invalid_code", "Mã đăng ký không đúng.")
    if row.used_at is not None:
        raise EnrolmentRefused("code_used", "Mã đăng ký đã được dùng; hãy xin mã mới.")
    if row.expires_at < now:
        raise EnrolmentRefused("code_expired", "Mã đăng ký đã hết hạn; hãy xin mã mới.")
    if row.unit_code != unit_code:
        raise EnrolmentRefused("unit_mismatch", f"Mã đăng ký dành cho đơn vị {row.unit_code}, không phải {unit_code}.")
    if row.counter_id is not None and row.counter_id != counter_id:
        raise EnrolmentRefused("counter_mismatch",
                               f"Mã đăng ký dành cho quầy {row.counter_id}, không phải quầy {counter_id}.")
    return row


def _check_block(conn: Connection, unit_code: str, counter_id: str, first: int, last: int) -> None:
    """Refuse a block that overlaps the block of another (not revoked) counter of the unit."""
    t = counter_token.c
    overlap = conn.execute(
        select(t.counter_id, t.sequence_first, t.sequence_last).where(
            t.unit_code == unit_code, t.counter_id != counter_id, t.revoked.is_(False),
            t.sequence_first <= last, t.sequence_last >= first).limit(1)
    ).first()
    if overlap is not None:
        raise EnrolmentRefused(
            "block_overlap",
            f"Dãy số {first}–{last} trùng với dãy {overlap.sequence_first}–{overlap.sequence_last} của quầy "
            f"{overlap.counter_id}; hãy sửa [counter] trong counter.toml.",
        )


def enrol(engine: Engine, code: str, unit_code: str, counter_id: str, block: tuple[int, int],
          replace_active: bool = True) -> str:
    """Redeem a code for this counter and block; the counter's earlier tokens are revoked (see module)."""
    first, last = block
    now = _utcnow()
    with engine.begin() as conn:
        row = _usable_code(conn, code, unit_code, counter_id, now)
        _check_block(conn, unit_code, counter_id, first, last)
        t = counter_token.c
        active = (t.unit_code == unit_code) & (t.counter_id == counter_id) & t.revoked.is_(False)
        if not replace_active and conn.execute(select(func.count()).where(active)).scalar_one():
            raise EnrolmentRefused("counter_active", f"Quầy {counter_id} đang có mã xác thực còn hiệu lực; "
                                   f"thu hồi trước: counter hub revoke {unit_code} {counter_id}.")
        conn.execute(counter_token.update().where(active).values(revoked=True, revoked_at=now))
        token = "mc1_" + secrets.token_urlsafe(32)
        conn.execute(enrolment_code.update().where(enrolment_code.c.code_hash == row.code_hash)
                     .values(used_at=now, used_by=counter_id))
        conn.execute(counter_token.insert().values(
            token_hash=digest(token), unit_code=unit_code, counter_id=counter_id, created_at=now, revoked=False,
            sequence_first=first, sequence_last=last, refused_uses=0))
    return token


def authenticate(engine: Engine, token: str) -> CounterIdentity | None:
    """The counter holding this token, or None; a revoked token's use is counted and logged."""
    with engine.connect() as conn:
        row = conn.execute(select(counter_token).where(counter_token.c.token_hash == digest(token))).first()
    if row is None:
        return None
    if row.revoked:
        with engine.begin() as conn:
            conn.execute(counter_token.update().where(counter_token.c.token_hash == row.token_hash).values(
                refused_uses=counter_token.c.refused_uses + 1, last_refused_at=_utcnow()))
        log.warning("hub: refused a revoked token of counter %s of unit %s (revoked %s)",
                    row.counter_id, row.unit_code, row.revoked_at)
        return None
    return CounterIdentity(unit_code=row.unit_code, counter_id=row.counter_id,
                           sequence_first=row.sequence_first, sequence_last=row.sequence_last)


def revoke(engine: Engine, unit_code: str, counter_id: str) -> int:
    """End every valid token of one counter; how many were revoked."""
    t = counter_token.c
    with engine.begin() as conn:
        result = conn.execute(counter_token.update().where(
            t.unit_code == unit_code, t.counter_id == counter_id, t.revoked.is_(False)
        ).values(revoked=True, revoked_at=_utcnow()))
    return int(result.rowcount)


def counters(engine: Engine, unit_code: str | None = None) -> list[dict[str, Any]]:
    """Every token issued (newest first per counter): counter, unit, block, enrolled, revoked, refused uses."""
    query = select(counter_token).order_by(counter_token.c.unit_code, counter_token.c.counter_id,
                                           counter_token.c.created_at.desc())
    if unit_code:
        query = query.where(counter_token.c.unit_code == unit_code)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return [{"unit": r.unit_code, "counter": r.counter_id, "sequence_first": r.sequence_first,
             "sequence_last": r.sequence_last, "enrolled_at": r.created_at.isoformat(timespec="seconds"),
             "revoked": bool(r.revoked),
             "revoked_at": r.revoked_at.isoformat(timespec="seconds") if r.revoked_at else None,
             "refused_uses": r.refused_uses,
             "last_refused_at": r.last_refused_at.isoformat(timespec="seconds") if r.last_refused_at else None}
            for r in rows]
