"""Hub schema revisions, oldest first; add one (`alembic revision`-style) with every change to sync/hub/schema.py."""
