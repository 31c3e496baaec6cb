"""Operator tasks on stored data: retention purge, withdrawals since an export, re-redaction and
key-version status. They never print or log stored text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from config.app import RetentionConfig
from privacy import REDACTION_VERSION, RedactionError, RedactionResult
from storage.db import Database
from storage.models import (
    Answer,
    CodeAttempt,
    Contact,
    Conversation,
    Export,
    Flag,
    ProcessedMessage,
    SenderLink,
    ThemeEmbedding,
    Withdrawal,
)
from storage.scrub import mark_removed, vacuum


class TextRedactor(Protocol):
    """What re-redaction needs of a redactor (``privacy.Redactor``, or a stub in tests)."""

    def redact(self, text: str) -> RedactionResult:
        """Redact one text or raise ``RedactionError``."""
        ...


@dataclass(frozen=True)
class PurgeReport:
    """How many rows of each kind a purge removed."""

    answers: int
    flags: int
    withdrawals: int
    conversations: int
    deliveries: int
    code_attempts: int
    sender_links: int


def _count(session: Session, stmt: object) -> int:
    result = session.execute(stmt)  # type: ignore[call-overload]
    return int(getattr(result, "rowcount", 0) or 0)


def purge(
    session: Session, retention: RetentionConfig, *, resume_window: timedelta, now: datetime
) -> PurgeReport:
    """Delete everything older than the retention periods in config.yml."""
    answers_before = now - timedelta(days=retention.answers_days)
    answers = _count(session, delete(Answer).where(Answer.created_at < answers_before))
    flags = _count(
        session, delete(Flag).where(Flag.created_at < now - timedelta(days=retention.flags_days))
    )
    withdrawals = _count(
        session,
        delete(Withdrawal).where(Withdrawal.at < now - timedelta(days=retention.withdrawals_days)),
    )
    links = _count(session, delete(SenderLink).where(SenderLink.updated_at < now - resume_window))
    with_answers = select(Answer.conversation_id)
    conversations = _count(
        session,
        delete(Conversation).where(
            Conversation.updated_at < answers_before, Conversation.id.not_in(with_answers)
        ),
    )
    deliveries = _count(session, delete(ProcessedMessage).where(ProcessedMessage.expires_at < now))
    attempts = _count(session, delete(CodeAttempt).where(CodeAttempt.at < now - timedelta(days=1)))
    _count(session, delete(Contact).where(Contact.expires_at < now))
    if answers or flags:
        mark_removed(session)  # after the commit the words leave the index and the log too
    return PurgeReport(answers, flags, withdrawals, conversations, deliveries, attempts, links)


def withdrawals_since(session: Session, since: str) -> tuple[datetime, list[str]]:
    """Conversation ids withdrawn since an export (by its id) or an ISO date/time."""
    export = session.get(Export, since)
    if export is not None:
        start = export.created_at
    else:
        try:
            start = datetime.fromisoformat(since)
        except ValueError:
            raise ValueError(f"{since!r} is neither an export id nor an ISO date") from None
    rows = session.scalars(
        select(Withdrawal.conversation_id).where(Withdrawal.at >= start).order_by(Withdrawal.at)
    ).all()
    return start, list(dict.fromkeys(rows))


def reredact_answer(
    session: Session, redactor: TextRedactor, answer_id: int, *, hide: bool = False
) -> str:
    """Re-run redaction on a stored answer, or hide it. Returns what happened.

    Staff call this when they report personal data left in an answer; if redaction fails the
    answer is hidden rather than left as it was.
    """
    answer = session.get(Answer, answer_id)
    if answer is None:
        return "not found"
    # The kept theme embedding came from the old words: it goes whatever happens next.
    session.execute(delete(ThemeEmbedding).where(ThemeEmbedding.answer_id == answer_id))
    if hide:
        answer.hidden = True
        return "hidden"
    # The safeguarding queue may hold a copy of the same words: it is mended with the answer.
    copies = select(Flag).where(
        Flag.conversation_id == answer.conversation_id, Flag.text == answer.text
    )
    try:
        result = redactor.redact(answer.text)
    except RedactionError:
        answer.hidden = True
        for flag in session.scalars(copies):
            flag.text = None
        mark_removed(session)
        return "hidden (redaction failed)"
    answer.redaction_version = REDACTION_VERSION
    if result.text == answer.text:
        return "unchanged"
    for flag in session.scalars(copies):
        flag.text, flag.redaction_version = result.text, REDACTION_VERSION
    answer.text = result.text
    answer.entity_types = sorted({*answer.entity_types, *(e.type for e in result.entities)})
    mark_removed(session)
    return "re-redacted"


def key_versions_in_use(session: Session) -> dict[str, int]:
    """How many open sender links use each key version (a version with none can be retired)."""
    rows = session.execute(
        select(SenderLink.key_version, func.count()).group_by(SenderLink.key_version)
    ).all()
    return {version: int(count) for version, count in rows}


@dataclass
class ReredactReport:
    """Progress and outcome of ``speakup reredact --all`` (counts only, never text)."""

    total: int  # answers and flag texts due when the run started
    done: int = 0
    changed: int = 0
    hidden: int = 0  # answers hidden because redaction failed (retried on the next run)
    blanked: int = 0  # flag texts removed because redaction failed
    swept: bool = False  # the index and the file were scrubbed at the end


_REDACTED: tuple[Any, ...] = (Answer, Flag)  # the tables that hold redacted text


def _due(model: Any, version: str, force: bool) -> Any:
    conds = (
        []
        if force
        else [or_(model.redaction_version.is_(None), model.redaction_version != version)]
    )
    if model is Flag:
        conds.append(Flag.text.is_not(None))
    return conds


def _attempt(redactor: TextRedactor, text: str) -> RedactionResult | None:
    try:
        return redactor.redact(text)
    except Exception:  # RedactionError, or any other fault: fail closed (the caller hides)
        return None


def _apply(row: Any, result: RedactionResult | None, version: str) -> str:
    """Store one re-redaction and name its outcome (a ``ReredactReport`` field)."""
    if result is None:
        if isinstance(row, Answer):
            row.hidden = True  # not shown, exported or searched; the next run tries again
            return "hidden"
        row.text, row.redaction_version = None, version
        return "blanked"
    outcome = "done"
    if result.text != row.text:
        row.text = result.text
        outcome = "changed"
        if isinstance(row, Answer):
            row.entity_types = sorted({*row.entity_types, *(e.type for e in result.entities)})
    row.redaction_version = version
    return outcome


def _batch(
    db: Database,
    pool: ThreadPoolExecutor,
    redactor: TextRedactor,
    model: Any,
    last: int,
    version: str,
    force: bool,
    size: int,
) -> tuple[list[int], Counter[str]]:
    """Re-redact the next ``size`` due rows after id ``last`` in one transaction; returns their
    ids and outcomes. A row withdrawn while its batch was being redacted fails the batch's
    commit (nothing half-done): the batch is read and redacted again without it."""
    for attempt in range(3):
        try:
            with db.session() as s:
                rows = s.scalars(
                    select(model)
                    .where(model.id > last, *_due(model, version, force))
                    .order_by(model.id)
                    .limit(size)
                ).all()
                results = list(pool.map(lambda t: _attempt(redactor, t), [r.text for r in rows]))
                outcomes = Counter(
                    _apply(row, result, version) for row, result in zip(rows, results, strict=True)
                )
            return [row.id for row in rows], outcomes
        except StaleDataError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def reredact_all(
    db: Database,
    redactor: TextRedactor,
    *,
    version: str = REDACTION_VERSION,
    force: bool = False,
    batch_size: int = 200,
    progress: Callable[[ReredactReport], None] | None = None,
    workers: int = 8,
) -> ReredactReport:
    """Re-run redaction on every stored answer and flag text not yet at ``version`` (all with
    ``force``), in batches of ``batch_size``, each its own transaction: an interrupted run keeps
    the batches it finished, and the next run starts after them. Then, even when interrupted, the
    search index and the database file are swept (``storage.scrub.vacuum``).

    Texts in a batch are redacted on ``workers`` threads, so the redactor can batch them.
    """
    with db.session() as s:
        total = sum(
            int(s.scalar(select(func.count()).select_from(m).where(*_due(m, version, force))) or 0)
            for m in _REDACTED
        )
    report = ReredactReport(total=total)
    try:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reredact") as pool:
            for model in _REDACTED:
                last = 0
                while True:
                    rows, outcomes = _batch(
                        db, pool, redactor, model, last, version, force, batch_size
                    )
                    if not rows:
                        break
                    last = rows[-1]  # committed: counted, and never looked at again this run
                    report.done += len(rows)
                    report.changed += outcomes["changed"]
                    report.hidden += outcomes["hidden"]
                    report.blanked += outcomes["blanked"]
                    if progress is not None:
                        progress(report)
    finally:
        report.swept = vacuum(db.engine)
    return report
