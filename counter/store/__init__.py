"""Local storage: SQLite in WAL mode with versioned migrations, and the SQLModel tables.

The tables are imported on first use (`counter.store.Dossier`), so opening the store imports no ORM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from counter.store.db import Store, open_store

if TYPE_CHECKING:
    from counter.store.models import AuditEntry, Citizen, Clerk, Dossier, DossierEvent, DossierPerson, SyncState

__all__ = ["AuditEntry", "Citizen", "Clerk", "Dossier", "DossierEvent", "DossierPerson", "Store", "SyncState",
           "open_store"]
_TABLES = frozenset(__all__) - {"Store", "open_store"}


def __getattr__(name: str) -> Any:
    """A table class, importing the models (and so SQLModel) on first use."""
    if name in _TABLES:
        from counter.store import models

        return getattr(models, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
