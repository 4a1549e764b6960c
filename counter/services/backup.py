"""Backups as the app and the supervisor see them: the status line and the automatic one at closing time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from counter.accounts import sessions, users
from counter.config import Config
from counter.context import CounterContext, open_context
from counter.custody import audit, backup
from counter.store.keys import KeyStore


def status(ctx: CounterContext) -> tuple[str, bool]:
    """What the supervisor screen says about backups, and whether it is a warning."""
    with ctx.store.read() as session:
        last = backup.last_backup(session)
    return backup.status_line(ctx.config, last, ctx.now())


def at_closing(ctx: CounterContext) -> backup.BackupResult | None:
    """Write the day's backup to [backup].dir once it is past closing time (None when not due)."""
    with ctx.store.read() as session:
        last = backup.last_backup(session)
    if not backup.due_at_closing(ctx.config, last, ctx.now()):
        return None
    return backup.create(ctx)


def restore(config: Config, file: Path, identity_file: Path, user: str, pin: str, *, force: bool = False,
            force_unit: str = "", keys: KeyStore | None = None) -> tuple[dict[str, Any], Path | None]:
    """Restore a backup with a new key, as a supervisor of the backup, audited under that account (see
    counter.custody.backup.restore); the backup's counts and where old data went."""

    def authorise(staged: Config) -> None:
        ctx = open_context(config=staged)  # applies the migrations of an older backup
        try:
            account = sessions.require_supervisor(users.sign_in(ctx, user, pin))
            with ctx.store.write() as session:
                audit.record(session, account.name, "restore", "backup", file.name,
                             f"{staged.unit.code}/{staged.counter.id}")
        finally:
            ctx.close()

    return backup.restore(config, file, identity_file, authorise, force=force, force_unit=force_unit, keys=keys)
