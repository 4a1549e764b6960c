"""Each counter's newest audit-log head, flagged when a head does not extend the previous one.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create hub_audit_head."""
    op.create_table(
        "hub_audit_head",
        sa.Column("unit_code", sa.String(32), primary_key=True),
        sa.Column("counter_id", sa.String(32), primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("head", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("broken_at", sa.DateTime),
        sa.Column("broken_count", sa.Integer),
    )


def downgrade() -> None:
    """Drop hub_audit_head."""
    op.drop_table("hub_audit_head")
