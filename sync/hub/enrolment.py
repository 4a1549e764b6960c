"""The reference hub's enrolment: one-time codes an operator issues, bearer tokens a counter redeems them for."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, select
from sqlalchemy.engine import Engine

from sync.adapter import CounterIdentity, EnrolmentRefused
from sync.hub.schema import counter_token, enrolment_code

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_code(engine: Engine, unit_code: str, ttl_hours: int = 72) -> str:
    """A one-time code an operator gives to one counter of `unit_code`."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    now = _utcnow()
    with engine.begin() as conn:
        conn.execute(
            enrolment_code.insert().values(
                code_hash=_digest(raw), unit_code=unit_code, created_at=now, expires_at=now + timedelta(hours=ttl_hours)
            )
        )
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def _check_block(conn: Connection, unit_code: str, counter_id: str, block: tuple[int, int]) -> None:
    """Refuse a block of sequence numbers overlapping the block of another live counter of the unit."""
    first, last = block
    overlap = conn.execute(
        select(counter_token.c.counter_id, counter_token.c.sequence_first, counter_token.c.sequence_last)
        .where(
            counter_token.c.unit_code == unit_code,
            counter_token.c.counter_id != counter_id,
            counter_token.c.revoked.is_(False),
            counter_token.c.sequence_first <= last,
            counter_token.c.sequence_last >= first,
        )
        .limit(1)
    ).first()
    if overlap is not None:
        raise EnrolmentRefused(
            "block_overlap",
            f"Dãy số {first}–{last} trùng với dãy {overlap.sequence_first}–"
            f"{overlap.sequence_last} của quầy {overlap.counter_id}; hãy sửa [counter] trong counter.toml.",
        )


def enrol(engine: Engine, code: str, unit_code: str, counter_id: str, block: tuple[int, int]) -> str:
    """Redeem a one-time code and return the counter's new bearer token (see ProvincialSystem.enrol)."""
    now = _utcnow()
    with engine.begin() as conn:
        row = conn.execute(
            select(enrolment_code).where(enrolment_code.c.code_hash == _digest(_normalise_code(code)))
        ).first()
        if row is None:
            raise EnrolmentRefused("invalid_code", "Mã đăng ký không đúng.")
        if row.used_at is not None:
            raise EnrolmentRefused("code_used", "Mã đăng ký đã được dùng; hãy xin mã mới.")
        if row.expires_at < now:
            raise EnrolmentRefused("code_expired", "Mã đăng ký đã hết hạn; hãy xin mã mới.")
        if row.unit_code != unit_code:
            raise EnrolmentRefused(
                "unit_mismatch", f"Mã đăng ký dành cho đơn vị {row.unit_code}, không phải {unit_code}."
            )
        _check_block(conn, unit_code, counter_id, block)
        token = "mc1_" + secrets.token_urlsafe(32)
        conn.execute(
            enrolment_code.update()
            .where(enrolment_code.c.code_hash == row.code_hash)
            .values(used_at=now, used_by=counter_id)
        )
        conn.execute(
            counter_token.insert().values(
                token_hash=_digest(token), unit_code=unit_code, counter_id=counter_id, created_at=now,
                revoked=False, sequence_first=block[0], sequence_last=block[1],
            )
        )
    return token


def authenticate(engine: Engine, token: str) -> CounterIdentity | None:
    """The enrolled counter holding this token, or None."""
    with engine.connect() as conn:
        row = conn.execute(select(counter_token).where(counter_token.c.token_hash == _digest(token))).first()
    if row is None or row.revoked:
        return None
    return CounterIdentity(
        unit_code=row.unit_code,
        counter_id=row.counter_id,
        sequence_first=row.sequence_first,
        sequence_last=row.sequence_last,
    )
