"""themes: the codebook, confirmed codings and model suggestions

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "themes",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
        sa.Column("merged_into", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "theme_coded_answers",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("coded_by", sa.String(length=200), nullable=False),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("answer_id"),
    )
    op.create_index("ix_theme_coded_answers_coded_at", "theme_coded_answers", ["coded_at"])
    op.create_table(
        "theme_codings",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.String(length=64), nullable=False),
        sa.Column("suggested", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("answer_id", "theme_id"),
    )
    op.create_index("ix_theme_codings_theme_id", "theme_codings", ["theme_id"])
    op.create_table(
        "theme_suggestions",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("theme_id", sa.String(length=64), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["answer_id"], ["answers.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("answer_id", "theme_id"),
    )
    op.create_index("ix_theme_suggestions_theme_id", "theme_suggestions", ["theme_id"])


def downgrade() -> None:
    op.drop_index("ix_theme_suggestions_theme_id", table_name="theme_suggestions")
    op.drop_table("theme_suggestions")
    op.drop_index("ix_theme_codings_theme_id", table_name="theme_codings")
    op.drop_table("theme_codings")
    op.drop_index("ix_theme_coded_answers_coded_at", table_name="theme_coded_answers")
    op.drop_table("theme_coded_answers")
    op.drop_table("themes")
