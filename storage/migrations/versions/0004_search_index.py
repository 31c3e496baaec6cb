"""Full-text search index over redacted answers (SQLite FTS5 / PostgreSQL GIN).

The index holds only redacted text, and it follows the answers table: deleting an answer
(withdrawal, retention) removes it from the index too.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_answers_text_search ON answers USING gin (to_tsvector('simple', text))"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE answers_fts USING fts5(text, content='answers', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO answers_fts(rowid, text) SELECT id, text FROM answers")
    op.execute(
        "CREATE TRIGGER answers_fts_insert AFTER INSERT ON answers BEGIN "
        "INSERT INTO answers_fts(rowid, text) VALUES (new.id, new.text); END"
    )
    op.execute(
        "CREATE TRIGGER answers_fts_delete AFTER DELETE ON answers BEGIN "
        "INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER answers_fts_update AFTER UPDATE OF text ON answers BEGIN "
        "INSERT INTO answers_fts(answers_fts, rowid, text) VALUES ('delete', old.id, old.text); "
        "INSERT INTO answers_fts(rowid, text) VALUES (new.id, new.text); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_answers_text_search")
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS answers_fts_{name}")
    op.execute("DROP TABLE IF EXISTS answers_fts")
