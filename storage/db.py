"""Database engines and sessions, and running the Alembic migrations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, make_url, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from storage.scrub import Scrubber, take_mark

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r'^(down_)?revision = (?:"([^"]+)"|None)$', re.MULTILINE)


def head_revision() -> str:
    """The newest migration's revision, read from the migration files (no Alembic import: it
    costs over half a second of every start-up, and a current schema does not need it)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        for down, name in _REVISION.findall(path.read_text()):
            (parents if down else revisions).add(name)
    heads = revisions - parents
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have one head, found {sorted(heads)}")
    return heads.pop()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # secure_delete overwrites deleted content, so a withdrawn answer is not left in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class Database:
    """An engine plus a session factory for one database URL."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 5,
        max_overflow: int = 5,
        pool_timeout: float = 10,
        connect_timeout: int | None = None,
        connect_args: dict[str, Any] | None = None,
    ) -> None:
        self.url = url
        self.connect_args = dict(connect_args or {})
        parsed = make_url(url)
        sqlite = parsed.get_backend_name() == "sqlite"
        in_memory = sqlite and parsed.database in (None, "", ":memory:")
        # No ping before each use (a round trip per message): a connection found dead invalidates
        # the whole pool, so after a database restart one message a worker is "not saved" (and
        # the person told); connections are also replaced every few minutes.
        kwargs: dict[str, Any] = {"future": True, "pool_recycle": 300}
        if not in_memory:
            # Bounded: a request that cannot get a connection in time fails (and is told so).
            kwargs.update(pool_size=pool_size, max_overflow=max_overflow, pool_timeout=pool_timeout)
        if sqlite and not in_memory:
            # Pseudonymous personal data: readable by the service's own user only.
            path = Path(str(parsed.database))
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.touch(mode=0o600, exist_ok=True)
        elif not sqlite and connect_timeout is not None:
            self.connect_args.setdefault("connect_timeout", connect_timeout)
        if self.connect_args:
            kwargs["connect_args"] = self.connect_args
        self.engine: Engine = create_engine(url, **kwargs)
        if sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # A SQLite file is scrubbed after a unit of work that removed text (storage/scrub.py).
        self.scrubber = Scrubber(self.engine) if sqlite and not in_memory else None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work through the ORM: commit on success, roll back on any error."""
        with self._sessions() as session, session.begin():
            try:
                yield session
            finally:
                removed = take_mark(session)
        if removed and self.scrubber is not None:
            self.scrubber.request()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One unit of work on a plain connection (the message path: no ORM bookkeeping)."""
        with self.engine.begin() as conn:
            try:
                yield conn
            finally:
                removed = take_mark(conn)
        if removed and self.scrubber is not None:
            self.scrubber.request()

    def scrub_removed(self) -> bool:
        """Take removed words out of the SQLite file now (:mod:`storage.scrub`); returns whether
        the file is clean. Never raises; after a unit of work that removed text this runs by
        itself."""
        return self.scrubber.scrub_now() if self.scrubber is not None else False

    def schema_revision(self) -> str | None:
        """The revision the database is at (None for a database Alembic has not touched)."""
        with self.engine.connect() as conn:
            if not self.engine.dialect.has_table(conn, "alembic_version"):
                return None
            found = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
            return str(found) if found is not None else None

    def migrate(self) -> None:
        """Bring the schema up to date with Alembic (imported only when there is work for it)."""
        if self.schema_revision() == head_revision():
            return
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        cfg.attributes["engine"] = self.engine
        command.upgrade(cfg, "head")

    def ping(self) -> bool:
        """Whether the database answers."""
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:
            return False

    def dispose(self) -> None:
        """Close every pooled connection."""
        if self.scrubber is not None:
            self.scrubber.close()
        self.engine.dispose()
