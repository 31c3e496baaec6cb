"""The redactor version each stored answer and flag text was redacted with.

Rows stored before this migration get NULL ("an older redactor"): ``speakup reredact --all``
re-runs redaction on them and records the current version. A plain ADD COLUMN (not Alembic's
batch mode, which on SQLite copies the table and would drop the search index's triggers).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TABLES = ("answers", "flags")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("redaction_version", sa.String(length=40), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        op.drop_column(table, "redaction_version")
