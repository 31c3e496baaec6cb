"""Removed words leave the database files, not only the tables (finding M7).

Deleting or rewriting an answer on SQLite leaves its words in two places a query never shows:
the FTS5 index (migration 0004) answers a delete with a *delete marker*, a new entry holding the
same terms, and keeps the old entry in its segment until the two are merged; and the write-ahead
log keeps every changed page, old words included, until a checkpoint copies it into the file.
``PRAGMA secure_delete`` (on for every connection, ``storage/db.py``) zeroes freed cells and pages,
so what remains after a withdrawal is the index and the log. Scrubbing does both:

1. ``optimize`` merges the whole index into one segment, which drops deleted entries and their
   delete markers (a partial ``merge`` keeps the markers, and they hold the words); the freed
   segment pages are zeroed by ``secure_delete``. It rewrites the index: about 0.2 s for 100,000
   answers (``benchmarks/scrub_bench.py``), so it runs once per withdrawal, after the commit, and
   a maintenance run does it once at the end, not per answer.
2. ``wal_checkpoint(TRUNCATE)`` copies the log into the file and cuts the log to zero bytes.

Code that removes text marks its unit of work (:func:`mark_removed`); ``Database`` scrubs after
that unit commits. PostgreSQL keeps dead rows until ``VACUUM`` and its WAL until recycled: see
:func:`vacuum` and the README for what remains on its disk.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine

REMOVED = "speakup_removed_text"


def mark_removed(unit: Any) -> None:
    """Note that this unit of work (a ``Session`` or a ``Connection``) deleted or rewrote text."""
    unit.info[REMOVED] = True


def take_mark(unit: Any) -> bool:
    """Whether the unit of work was marked, clearing the mark (a pooled connection is reused)."""
    return bool(unit.info.pop(REMOVED, False))


def scrub_sqlite(engine: Engine) -> bool:
    """Merge the search index and checkpoint the log into the file, truncating it.

    Returns False when another connection's read kept the checkpoint from finishing (the log still
    holds pages; try again later).
    """
    with engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        found = auto.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'answers_fts'"
        ).first()
        if found is not None:
            auto.exec_driver_sql("INSERT INTO answers_fts(answers_fts) VALUES ('optimize')")
        row = auto.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    return row is None or row[0] == 0


def vacuum(engine: Engine, *, full: bool = False) -> bool:
    """A maintenance run's sweep after removing text: returns whether it finished.

    SQLite: the scrub above, then ``VACUUM`` (the file is rewritten without free pages or slack,
    which also clears anything written before ``secure_delete`` was on), then a checkpoint.
    PostgreSQL: ``VACUUM`` on the tables that hold redacted text, so dead row versions and their
    index entries go; ``full`` rewrites them into new files (it locks the tables while it runs).
    """
    if engine.dialect.name != "postgresql":
        scrub_sqlite(engine)
        with engine.connect() as conn:
            auto = conn.execution_options(isolation_level="AUTOCOMMIT")
            auto.exec_driver_sql("VACUUM")
        return scrub_sqlite(engine)
    with engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.exec_driver_sql(f"VACUUM ({'FULL, ' if full else ''}ANALYZE) answers, flags")
    return True
