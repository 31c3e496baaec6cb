"""risk corrections: the model's score on a flag, and a lead's correction of its level

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flags") as batch:
        batch.add_column(sa.Column("score", sa.Float(), nullable=True))
        batch.add_column(sa.Column("true_level", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("corrected_by", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_flags_true_level", "flags", ["true_level"])


def downgrade() -> None:
    op.drop_index("ix_flags_true_level", table_name="flags")
    with op.batch_alter_table("flags") as batch:
        batch.drop_column("corrected_at")
        batch.drop_column("corrected_by")
        batch.drop_column("true_level")
        batch.drop_column("score")
