"""What the sign-in screen and a supervisor view of the accounts (never their PIN hashes)."""

from __future__ import annotations

from dataclasses import dataclass

from counter.accounts import users
from counter.context import CounterContext
from counter.store.models import Clerk


@dataclass(frozen=True)
class SignInChoices:
    """The names offered at sign-in, or that a first supervisor must be created."""

    names: list[str]
    first_supervisor: bool


def sign_in_choices(ctx: CounterContext) -> SignInChoices:
    """Active accounts with a PIN, in name order; none when the first supervisor is still to be created."""
    if users.needs_first_supervisor(ctx):
        return SignInChoices([], True)
    with ctx.store.read() as session:
        return SignInChoices([c.name for c in users.list_clerks(session) if c.pin_hash], False)


def is_supervisor(ctx: CounterContext, name: str) -> bool:
    """True when `name` is an active supervisor account."""
    with ctx.store.read() as session:
        account = users.get_clerk(session, name)
    return account is not None and account.active and account.role == users.SUPERVISOR


def accounts(ctx: CounterContext, include_inactive: bool = False) -> list[Clerk]:
    """The accounts in name order (`counter users list`)."""
    with ctx.store.read() as session:
        return users.list_clerks(session, include_inactive=include_inactive)
