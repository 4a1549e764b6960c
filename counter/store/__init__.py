"""Local storage: SQLite in WAL mode with versioned migrations, and the SQLModel tables."""

from counter.store.db import Store, open_store
from counter.store.models import AuditEntry, Citizen, Clerk, Dossier, DossierEvent, DossierPerson, SyncState

__all__ = ["AuditEntry", "Citizen", "Clerk", "Dossier", "DossierEvent", "DossierPerson", "Store", "SyncState",
           "open_store"]
