"""Care of the counter's database: re-projecting every dossier from its events (audited), naming damage."""

from __future__ import annotations

from pathlib import Path

from counter.config import load_config
from counter.context import CounterContext
from counter.custody import audit
from counter.records.projection import rebuild as rebuild_projection
from counter.store.db import damaged_message, is_damage


def rebuild(ctx: CounterContext, by: str) -> int:
    """Re-project every dossier and the search index from the events in one transaction; how many dossiers."""
    with ctx.store.write() as session:
        count = rebuild_projection(session)
        audit.record(session, by, "rebuild", "database", "dossier", f"{count} hồ sơ", at=ctx.now())
    return count


def damage(config_path: str | Path | None, exc: BaseException) -> str | None:
    """One sentence for a database found damaged after it was opened (pages read later), else None."""
    if not is_damage(exc):
        return None
    return damaged_message(load_config(config_path).database_path)
