"""staff sessions kept on the server, sign-in failures, the last TOTP step per account

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("csrf", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("queue_since", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["staff_id"], ["staff_users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id_hash"),
    )
    op.create_index("ix_staff_sessions_staff_id", "staff_sessions", ["staff_id"])
    op.create_index("ix_staff_sessions_seen_at", "staff_sessions", ["seen_at"])
    op.create_table(
        "staff_signin_failures",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_signin_failures_at", "staff_signin_failures", ["at"])
    op.create_index(
        "ix_staff_signin_failures_account_key", "staff_signin_failures", ["account_key"]
    )
    op.create_index("ix_staff_signin_failures_client_key", "staff_signin_failures", ["client_key"])
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_last_step", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_users", schema=None) as batch_op:
        batch_op.drop_column("totp_last_step")
    op.drop_index("ix_staff_signin_failures_client_key", table_name="staff_signin_failures")
    op.drop_index("ix_staff_signin_failures_account_key", table_name="staff_signin_failures")
    op.drop_index("ix_staff_signin_failures_at", table_name="staff_signin_failures")
    op.drop_table("staff_signin_failures")
    op.drop_index("ix_staff_sessions_seen_at", table_name="staff_sessions")
    op.drop_index("ix_staff_sessions_staff_id", table_name="staff_sessions")
    op.drop_table("staff_sessions")
