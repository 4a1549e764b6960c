"""Baseline: the hub schema of protocol 2 as it stood when migrations began (was metadata.create_all).

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the enrolment codes, counter tokens, events and dossiers tables."""
    op.create_table(
        "hub_enrolment_code",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("expires_at", sa.DateTime, nullable=False),
        sa.Column("used_at", sa.DateTime),
        sa.Column("used_by", sa.String(32)),
    )
    op.create_table(
        "hub_counter_token",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("counter_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("sequence_first", sa.Integer),
        sa.Column("sequence_last", sa.Integer),
    )
    op.create_table(
        "hub_event",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(36), nullable=False, unique=True),
        sa.Column("dossier_uuid", sa.String(36), nullable=False),
        sa.Column("dossier_code", sa.String(64), nullable=False),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("hlc", sa.String(64), nullable=False),
        sa.Column("occurred_at", sa.String(32), nullable=False),
        sa.Column("clerk", sa.String(200), nullable=False),
        sa.Column("counter_id", sa.String(32), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("stored_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_hub_event_dossier_uuid", "hub_event", ["dossier_uuid"])
    op.create_index("ix_hub_event_unit_seq", "hub_event", ["unit_code", "seq"])
    op.create_table(
        "hub_dossier",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False, unique=True),
        sa.Column("unit_code", sa.String(32), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("counter_id", sa.String(32), nullable=False),
        sa.Column("events_count", sa.Integer, nullable=False),
        sa.Column("last_hlc", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_hub_dossier_unit_code", "hub_dossier", ["unit_code"])


def downgrade() -> None:
    """Drop every hub table."""
    for table in ("hub_dossier", "hub_event", "hub_counter_token", "hub_enrolment_code"):
        op.drop_table(table)
