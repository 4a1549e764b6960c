"""Enrolment codes bound to one counter id; revoked tokens keep when they were revoked and each refused use.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add hub_enrolment_code.counter_id and the revocation columns of hub_counter_token."""
    op.add_column("hub_enrolment_code", sa.Column("counter_id", sa.String(32)))
    op.add_column("hub_counter_token", sa.Column("revoked_at", sa.DateTime))
    op.add_column("hub_counter_token", sa.Column("refused_uses", sa.Integer, nullable=False, server_default="0"))
    op.add_column("hub_counter_token", sa.Column("last_refused_at", sa.DateTime))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("hub_counter_token") as batch:
        batch.drop_column("last_refused_at")
        batch.drop_column("refused_uses")
        batch.drop_column("revoked_at")
    with op.batch_alter_table("hub_enrolment_code") as batch:
        batch.drop_column("counter_id")
