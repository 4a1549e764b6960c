"""The counter's audit-log head sent with each sync; the hub keeps the newest per counter and flags a head
that does not extend the one before (a rewritten history). Additive to protocol 2: an older hub answers 404
and the counter simply carries on."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

PATH = "/audit-head"
HASH = r"^[0-9a-f]{64}$"


class AuditHeadRequest(BaseModel):
    """The counter's chain now, and its hash at `prior_count` (the count the hub acknowledged last)."""

    model_config = ConfigDict(extra="forbid")
    protocol: int
    count: int = Field(ge=0)
    head: str = Field(pattern=HASH)
    prior_count: int = Field(ge=0)
    prior_hash: str = Field(pattern=r"^([0-9a-f]{64})?$")
    """Empty when the counter has fewer than `prior_count` entries (its history shrank)."""


class AuditHeadResponse(BaseModel):
    """`ok` (extends, stored), `broken` (does not extend; stored and flagged) or `need` (send the hash at
    `count`, the count the hub holds)."""

    protocol: int
    status: Literal["ok", "broken", "need"]
    count: int
    head: str
    flagged: list[str] = []
    """Counters of the unit whose audit chain the hub has flagged."""
