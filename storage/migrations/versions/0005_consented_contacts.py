"""consented contacts

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contacts_conversation_id", "contacts", ["conversation_id"])
    op.create_index("ix_contacts_expires_at", "contacts", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_contacts_expires_at", table_name="contacts")
    op.drop_index("ix_contacts_conversation_id", table_name="contacts")
    op.drop_table("contacts")
