"""What the hub checks every event of a dossier against: its form (when the hub knows it) and receipt time.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add hub_dossier.form_id and received_at, filled from each dossier's `received` event."""
    op.add_column("hub_dossier", sa.Column("form_id", sa.String(64), nullable=False, server_default=""))
    op.add_column("hub_dossier", sa.Column("received_at", sa.String(32), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT dossier_uuid, payload_json FROM hub_event WHERE type = 'received'")).all()
    for uuid, payload_json in rows:
        payload = json.loads(payload_json)
        conn.execute(
            sa.text("UPDATE hub_dossier SET received_at = :at WHERE uuid = :uuid"),
            {"at": str(payload.get("received_at", ""))[:32], "uuid": uuid},
        )


def downgrade() -> None:
    """Drop the two columns."""
    op.drop_column("hub_dossier", "received_at")
    op.drop_column("hub_dossier", "form_id")
