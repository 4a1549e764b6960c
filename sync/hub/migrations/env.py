"""Alembic environment of the hub: runs on the connection that sync.hub.migrate passes in.

This directory is not a package (Alembic loads its files; nothing imports them); pyproject ships it as data.
"""

from alembic import context

from sync.hub.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
