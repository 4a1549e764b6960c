"""Alembic scripts of the hub schema (applied by sync.hub.migrate, never by hand-run create_all)."""
