"""The roles of the counter's accounts and the signed-in account as the app keeps it (no PIN, no ORM)."""

from __future__ import annotations

from dataclasses import dataclass

CLERK = "clerk"
SUPERVISOR = "supervisor"
ROLES: dict[str, str] = {CLERK: "Cán bộ tiếp nhận", SUPERVISOR: "Lãnh đạo / giám sát"}


@dataclass(frozen=True)
class Account:
    """What the app keeps about the signed-in person (never the PIN or its hash)."""

    name: str
    role: str

    @property
    def is_supervisor(self) -> bool:
        """True for supervisors, who may see every counter's queue, figures and the audit log."""
        return self.role == SUPERVISOR
