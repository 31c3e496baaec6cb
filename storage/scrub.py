"""Removed words leave the database files, not only the tables (finding M7).

Deleting or rewriting an answer on SQLite leaves its words in two places a query never shows:
the FTS5 index (migration 0004) answers a delete with a *delete marker*, a new entry holding the
same terms, and keeps the old entry in its segment until the two are merged; and the write-ahead
log keeps every changed page, old words included, until a checkpoint copies it into the file.
``PRAGMA secure_delete`` (on for every connection, ``storage/db.py``) zeroes freed cells and pages,
so what remains after a withdrawal is the index and the log. Scrubbing does both:

1. ``optimize`` merges the whole index into one segment, which drops deleted entries and their
   delete markers (a partial ``merge`` keeps the markers, and they hold the words); the freed
   segment pages are zeroed by ``secure_delete``. It rewrites the index: about 0.5 s with the
   checkpoint for 100,000 answers (``benchmarks/scrub_bench.py``), so it runs after a withdrawal
   commits, at most once per ``MIN_INTERVAL``, and a maintenance run does it once at the end.
2. ``wal_checkpoint(TRUNCATE)`` copies the log into the file and cuts the log to zero bytes.

Code that removes text marks its unit of work (:func:`mark_removed`); ``Database`` scrubs after
that unit commits. PostgreSQL keeps dead rows until ``VACUUM`` and its WAL until recycled: see
:func:`vacuum` and the README for what remains on its disk.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

log = logging.getLogger(__name__)
REMOVED = "speakup_removed_text"
# A scrub holds the write lock for its length (0.6 s on 100,000 answers): withdrawals closer
# together than this share one, so a run of them cannot hold everyone's answers back.
MIN_INTERVAL = 5.0
RETRY_SECONDS = 30.0  # after a scrub a reader kept from finishing, or that failed


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


class Scrubber:
    """Runs :func:`scrub_sqlite` for one database after each unit of work that removed text:
    at once, unless one ran in the last ``MIN_INTERVAL`` seconds; then on a timer thread when
    that has passed. Never raises into the unit of work, whose commit stands."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._due: float | None = None  # monotonic time the next scrub is owed
        self._last = -MIN_INTERVAL
        self._timer: threading.Timer | None = None
        self._closed = False

    def request(self) -> None:
        """A unit of work that removed text has committed."""
        now = time.monotonic()
        due = self._due
        if due is None or due > self._last + MIN_INTERVAL:
            due = self._due = max(now, self._last + MIN_INTERVAL)
        if now >= due:
            self.scrub_now(requested=False)
        else:
            self._later(due - now)

    def close(self) -> None:
        """Stop any scrub waiting on the timer (the database is being closed)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer, self._due = None, None
            self._closed = True

    def _later(self, delay: float) -> None:
        with self._lock:
            if self._timer is None and not self._closed:
                self._timer = threading.Timer(delay, self._fire)
                self._timer.daemon = True
                self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            self._timer = None
        if self._due is not None:
            self.scrub_now(requested=False)

    def scrub_now(self, *, requested: bool = True) -> bool:
        """Scrub at once; returns whether the file is clean (False when busy or failed, and
        then it is retried in ``RETRY_SECONDS``)."""
        if requested:
            self._due = time.monotonic()
        clean = True
        for _ in range(3):  # withdrawals during a scrub get one more; the rest wait their turn
            if self._due is None:
                return clean
            self._due, self._last = None, time.monotonic()
            try:
                clean = scrub_sqlite(self.engine)
            except Exception as exc:  # the withdrawal is saved; its scrub is owed
                log.warning("removed text not yet scrubbed from the file: %s", type(exc).__name__)
                clean = False
            if not clean:
                self._due = time.monotonic() + RETRY_SECONDS
                self._later(RETRY_SECONDS)
                return False
        if self._due is not None:
            self._later(MIN_INTERVAL)
        return clean


def vacuum(engine: Engine, *, full: bool = False) -> bool:
    """A maintenance run's sweep after removing text: returns whether it finished.

    SQLite: the scrub above, then ``VACUUM`` (the file is rewritten without free pages or slack,
    which also clears anything written before ``secure_delete`` was on), then a checkpoint.
    PostgreSQL: ``VACUUM`` on the tables that hold redacted text, so dead row versions and their
    index entries go; ``full`` rewrites them into new files (it locks the tables while it runs).
    """
    if engine.dialect.name != "postgresql":
        clean = scrub_sqlite(engine)
        try:
            with engine.connect() as conn:
                auto = conn.execution_options(isolation_level="AUTOCOMMIT")
                auto.exec_driver_sql("VACUUM")
        except OperationalError as exc:  # busy: the scrub above has done what a withdrawal needs
            log.warning("VACUUM did not run: %s", type(exc).__name__)
            clean = False
        return scrub_sqlite(engine) and clean
    with engine.connect() as conn:
        auto = conn.execution_options(isolation_level="AUTOCOMMIT")
        auto.exec_driver_sql(f"VACUUM ({'FULL, ' if full else ''}ANALYZE) answers, flags")
    return True
