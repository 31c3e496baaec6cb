"""Alembic environment: runs migrations on the engine the application hands over."""

from __future__ import annotations

from alembic import context

from storage.models import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        # The full-text index (migration 0004) is not in the models: autogenerate leaves it alone.
        include_name=lambda name, type_, _: (
            not (str(name).startswith("answers_fts") or name == "ix_answers_text_search")
        ),
    )
    with context.begin_transaction():
        context.run_migrations()
