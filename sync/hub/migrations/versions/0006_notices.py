"""Status notices the hub sends to citizens, with their attempts and state.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create hub_notice."""
    op.create_table(
        "hub_notice",
        sa.Column("notice_id", sa.String(36), primary_key=True),
        sa.Column("event_seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), nullable=False, unique=True),
        sa.Column("dossier_uuid", sa.String(36), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("phone", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime, nullable=False),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_hub_notice_due", "hub_notice", ["state", "next_attempt_at"])


def downgrade() -> None:
    """Drop hub_notice."""
    op.drop_index("ix_hub_notice_due", table_name="hub_notice")
    op.drop_table("hub_notice")
