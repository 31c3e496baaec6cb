"""Discovery for the staff app: the stored answers no theme fits, grouped into candidate themes
(``themes/discover.py``) on a background thread, and what staff do with a group.

A grouping reads the embeddings and suggestions the last refresh kept (``engine.py``): answers
with no suggested theme of confidence ``UNFITTED`` or more, not coded with a theme, not dismissed,
not hidden, and not a refusal ("skip", "n/a"). It is kept in memory (answer ids and words, never
answer text; each page reads the texts afresh, for what that person may see) until its inputs
change: a refresh of the suggestions, a coding, a dismissal. A page never waits for one.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, exists, func, insert, select
from sqlalchemy.orm import Session

from review.audit import record
from review.themes_staff.background import Background
from review.themes_staff.engine import DIM, VECTOR, text_key
from review.themes_staff.queries import _visible
from review.themes_staff.store import code_answer, load_codebook, save_codebook
from storage import Database
from storage.models import (
    Answer,
    ThemeCodedAnswer,
    ThemeCoding,
    ThemeDismissed,
    ThemeEmbedding,
    ThemeSuggestion,
)
from storage.theme_summary import built_at
from themes.codebook import Theme

BATCH = 5000  # answers read per query
MIN_SIZE = 3  # a candidate theme is something at least this many answers said
KEEP_TYPICAL = 20  # member ids looked at for the answers a page shows
SHOWN = 5  # typical answers a page shows per group
RECENT = 200  # groups of earlier groupings still accepted from a form


@dataclass(frozen=True)
class Group:
    key: str  # a fingerprint of its members: forms name the group by it
    size: int
    members: tuple[int, ...]  # answer ids, most typical first
    words: tuple[str, ...]


@dataclass(frozen=True)
class Grouping:
    inputs: str  # what it was computed from (``inputs_key``)
    at: datetime
    considered: int  # answers no theme fits, after dismissals and refusals
    seconds: float
    groups: tuple[Group, ...]


def inputs_key(session: Session) -> str:
    """Changes when a grouping may have: a refresh of the suggestions, a coding, a dismissal."""
    counts = [
        session.scalar(select(func.count()).select_from(table))
        for table in (ThemeCodedAnswer, ThemeCoding, ThemeDismissed)
    ]
    return f"{built_at(session)}|{counts}"


def unfitted(session: Session, after: int, limit: int) -> Sequence[Any]:
    """Answers (id, text, kept embedding) after ``after`` that no theme fits, in id order."""
    return session.execute(unfitted_query(after, limit)).all()


def unfitted_query(after: int, limit: int) -> Any:
    # A theme is chosen with at least UNFITTED: then the best one is (it is always chosen when
    # any is). No condition on rank: on SQLite that sends the lookup through the queue index, a
    # scan of every answer's best row for each answer (minutes for 100,000).
    fits = exists().where(
        ThemeSuggestion.answer_id == Answer.id,
        ThemeSuggestion.chosen.is_(True),
        ThemeSuggestion.score >= _unfitted(),
    )
    return (
        select(Answer.id, Answer.text, ThemeEmbedding.text_hash, ThemeEmbedding.vector)
        .join(ThemeEmbedding, ThemeEmbedding.answer_id == Answer.id)
        .where(
            Answer.id > after,
            Answer.hidden.is_(False),
            ~fits,
            ~exists().where(ThemeCoding.answer_id == Answer.id),
            ~exists().where(ThemeDismissed.answer_id == Answer.id),
        )
        .order_by(Answer.id)
        .limit(limit)
    )


def _unfitted() -> float:
    from themes.discover import UNFITTED

    return UNFITTED


def compute(db: Database, model: Any) -> Grouping:
    """Group the stored answers no theme fits (``model``: the fitted suggester, for refusals)."""
    import numpy as np

    from themes.discover import candidates

    started = time.perf_counter()
    with db.session() as s:
        inputs = inputs_key(s)
    ids: list[int] = []
    texts: list[str] = []
    chunks = []
    last = 0
    while True:
        with db.session() as s:
            rows = unfitted(s, last, BATCH)
        if not rows:
            break
        last = rows[-1].id
        rows = [r for r in rows if r.text_hash == text_key(r.text)]  # else: a refresh is due
        ids.extend(r.id for r in rows)
        texts.extend(r.text for r in rows)
        chunks.append(
            np.frombuffer(b"".join(r.vector for r in rows), dtype=VECTOR).reshape(len(rows), DIM)
        )
    vecs = np.concatenate(chunks) if chunks else np.zeros((0, DIM), dtype=np.float32)
    if len(vecs) and getattr(model, "ids", None):
        keep = ~model.non_answers(vecs)
        ids = [i for i, k in zip(ids, keep.tolist(), strict=True) if k]
        texts = [t for t, k in zip(texts, keep.tolist(), strict=True) if k]
        vecs = vecs[keep]
    found = candidates(texts, vecs.astype(np.float32), min_size=MIN_SIZE)
    groups = []
    for c in found:
        members = tuple(ids[m] for m in c.members)
        key = hashlib.sha256(",".join(map(str, sorted(members))).encode()).hexdigest()[:16]
        groups.append(Group(key, c.size, members, tuple(c.words)))
    return Grouping(
        inputs, datetime.now(UTC), len(ids), time.perf_counter() - started, tuple(groups)
    )


class Discovery:
    """One per staff app: the last grouping, and the thread that makes the next."""

    def __init__(self, db: Database, model: Callable[[], Any], before: Callable[[], None]) -> None:
        self.db, self._model, self._before = db, model, before
        self._lock = threading.Lock()
        self._runner = Background(self._group, "theme-discovery")
        self._latest: Grouping | None = None
        self._recent: dict[str, Group] = {}  # groups of the last few groupings, by key
        self.failed = False

    def latest(self) -> Grouping | None:
        with self._lock:
            return self._latest

    @property
    def running(self) -> bool:
        return self._runner.running

    def group(self, key: str) -> Group | None:
        """A group of the last few groupings: a page shown before the latest still works."""
        with self._lock:
            return self._recent.get(key)

    def forget(self, key: str) -> None:
        """Drop a group staff acted on (the next grouping will not have it either)."""
        with self._lock:
            self._recent.pop(key, None)
            if self._latest is not None:
                kept = tuple(g for g in self._latest.groups if g.key != key)
                self._latest = replace(self._latest, groups=kept)

    def request(self) -> None:
        """Group again in the background; a request during a run runs one more afterwards."""
        self._runner.request()

    def _group(self) -> None:
        try:
            self._before()  # a refresh of the suggestions in progress: its result, not a mix
            grouping = compute(self.db, self._model())
        except Exception:  # the last grouping stays, and the page says this one failed
            self.failed = True
            raise
        with self._lock:
            self._latest, self.failed = grouping, False
            fresh = {g.key: g for g in grouping.groups}
            old = list(self._recent.items())[-RECENT:]  # the newest kept, a bounded few
            self._recent = dict(old) | fresh

    def wait(self, timeout: float | None = None) -> None:
        self._runner.wait(timeout)


def shown(
    session: Session, staff_id: int, groups: Sequence[Group], per: int = SHOWN
) -> dict[str, list[tuple[int, str]]]:
    """Each group's most typical answers this person may see, still unthemed and not dismissed
    (a group with none left is not in the result)."""
    wanted = {aid for g in groups for aid in g.members[:KEEP_TYPICAL]}
    if not wanted:
        return {}
    texts = dict(
        session.execute(
            select(Answer.id, Answer.text).where(
                Answer.id.in_(wanted),
                _visible(staff_id),
                ~exists().where(ThemeCoding.answer_id == Answer.id),
                ~exists().where(ThemeDismissed.answer_id == Answer.id),
            )
        ).all()
    )
    out = {}
    for g in groups:
        rows = [(aid, texts[aid]) for aid in g.members[:KEEP_TYPICAL] if aid in texts][:per]
        if rows:
            out[g.key] = rows
    return out


def add_examples(
    session: Session, answer_ids: Sequence[int], theme_id: str, *, actor: str, now: datetime
) -> int:
    """Code each answer with ``theme_id`` as well as the themes it has; returns how many."""
    for aid in answer_ids:
        had = session.scalars(select(ThemeCoding.theme_id).where(ThemeCoding.answer_id == aid))
        code_answer(session, aid, [*had, theme_id], actor=actor, now=now)
    return len(answer_ids)


def add_theme(
    session: Session, group: Group, theme: Theme, examples: Sequence[int], *, actor: str
) -> None:
    """A new theme from a group (audited), with ``examples`` coded as confirmed examples of it."""
    now = datetime.now(UTC)
    book = load_codebook(session).add(theme)
    detail = f"theme={theme.id} group={group.key} size={group.size} examples={len(examples)}"
    save_codebook(session, book, actor=actor, action="theme_discovery_add", detail=detail, now=now)
    add_examples(session, examples, theme.id, actor=actor, now=now)


def merge_group(
    session: Session, group: Group, into: str, examples: Sequence[int], *, actor: str
) -> None:
    """A group's shown answers recorded as examples of an existing theme (audited)."""
    now = datetime.now(UTC)
    detail = f"theme={into} group={group.key} size={group.size} examples={len(examples)}"
    record(session, actor, "theme_discovery_merge", detail, now)
    add_examples(session, examples, into, actor=actor, now=now)


def dismiss_group(session: Session, group: Group, *, actor: str) -> int:
    """Every answer of a group left out of later groupings (audited). Returns how many."""
    now = datetime.now(UTC)
    already = set(
        session.scalars(
            select(ThemeDismissed.answer_id).where(ThemeDismissed.answer_id.in_(group.members))
        )
    )
    rows = [
        {"answer_id": aid, "dismissed_by": actor, "dismissed_at": now}
        for aid in group.members
        if aid not in already
    ]
    present = set(session.scalars(select(Answer.id).where(Answer.id.in_(group.members))))
    rows = [r for r in rows if r["answer_id"] in present]  # one may have gone since
    if rows:
        session.execute(insert(ThemeDismissed), rows)
    detail = f"group={group.key} size={group.size} answers={len(rows)}"
    record(session, actor, "theme_discovery_dismiss", detail, now)
    return len(rows)


def in_group(group: Group, posted: Sequence[str]) -> list[int]:
    """The posted answer ids that belong to the group's typical answers, in its order."""
    wanted = {int(p) for p in posted if p.isdigit()}
    return [aid for aid in group.members[:KEEP_TYPICAL] if aid in wanted]


def visible_unthemed(session: Session, staff_id: int, ids: Sequence[int]) -> list[int]:
    """Of ``ids``, those this person may see and nobody has themed, in order."""
    if not ids:
        return []
    ok = set(
        session.scalars(
            select(Answer.id).where(
                and_(Answer.id.in_(ids), _visible(staff_id)),
                ~exists().where(ThemeCoding.answer_id == Answer.id),
            )
        )
    )
    return [aid for aid in ids if aid in ok]
