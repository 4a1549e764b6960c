"""Attachment blobs in the hub's database, for `counter hub serve --blobs db`.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create hub_blob and hub_blob_chunk."""
    op.create_table(
        "hub_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("received", sa.BigInteger, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("units", sa.Text, nullable=False),
    )
    op.create_table(
        "hub_blob_chunk",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("byte_offset", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("hub_blob_chunk")
    op.drop_table("hub_blob")
