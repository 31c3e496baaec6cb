"""themes: kept answer embeddings, the findings summary, the coding queue's order

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "theme_embeddings",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("text_hash", sa.String(length=32), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("answer_id"),
    )
    op.create_table(
        "theme_summary",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("theme_id", sa.String(length=64), nullable=False),
        sa.Column("dimension", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=120), nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "theme_id", "dimension", "value"),
    )
    op.add_column("theme_suggestions", sa.Column("doubt", sa.Float(), nullable=True))
    op.execute("UPDATE theme_suggestions SET doubt = abs(score - 0.5)")
    op.create_index(
        "ix_theme_suggestions_queue", "theme_suggestions", ["rank", "doubt", "answer_id"]
    )
    op.drop_index("ix_theme_suggestions_theme_id", table_name="theme_suggestions")
    op.create_index("ix_theme_suggestions_theme_score", "theme_suggestions", ["theme_id", "score"])


def downgrade() -> None:
    op.drop_index("ix_theme_suggestions_theme_score", table_name="theme_suggestions")
    op.create_index("ix_theme_suggestions_theme_id", "theme_suggestions", ["theme_id"])
    op.drop_index("ix_theme_suggestions_queue", table_name="theme_suggestions")
    with op.batch_alter_table("theme_suggestions") as batch:
        batch.drop_column("doubt")
    op.drop_table("theme_summary")
    op.drop_table("theme_embeddings")
