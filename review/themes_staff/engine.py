"""The theme model inside the staff app: loaded on first use by a theme page (never by the
message path), refitted when the codebook or the confirmed examples change, and used to refresh
every stored answer's suggestions on a background thread.

Each answer's embedding is kept in ``theme_embeddings`` (with a hash of the text it came from), so
a refresh after a confirmation refits the small models and re-scores from the kept vectors in
batches; only new or changed answers go through the encoder (in worker processes when there are
many, at a lower priority than the pages). After each refresh the findings summary is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, select

from review.themes_staff.background import Background
from review.themes_staff.store import confirmed_examples, load_codebook
from storage import Database
from storage.models import Answer, ThemeEmbedding, ThemeSuggestion
from storage.theme_summary import rebuild

BATCH = 2000  # answers scored (and written) per transaction
KEEP = 3  # best themes stored per answer (chosen or not), for "least sure first"
DIM = 384
VECTOR = "<f4"  # how a kept embedding is stored: little-endian float32


def text_key(text: str) -> str:
    """The hash kept beside an embedding: the text it was computed from."""
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _workers() -> int:
    try:
        return min(2, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return 1


class _Remembering:
    """An encoder for one fit: texts already embedded (``known``) are not embedded again; the
    fit's own texts end up in ``seen``."""

    def __init__(self, encoder: Any, known: dict[str, Any]) -> None:
        self.encoder, self.known = encoder, known
        self.seen: dict[str, Any] = {}

    def encode(self, texts: list[str]) -> Any:
        import numpy as np

        missing = [t for t in dict.fromkeys(texts) if t not in self.known and t not in self.seen]
        if missing:
            self.seen.update(zip(missing, self.encoder.encode(missing), strict=True))
        for text in texts:
            if text not in self.seen:
                self.seen[text] = self.known[text]
        rows = [self.seen[t] for t in texts]
        return np.array(rows, dtype=np.float32).reshape(len(texts), DIM)


class ThemeEngine:
    """One per staff app: the encoder, the fitted suggester, and the refresh thread."""

    def __init__(self, db: Database, *, workers: int | None = None, nice: int = 10) -> None:
        self.db = db
        # Encoder worker processes for a backlog (at most 2), at a lower priority than the pages.
        self.workers = _workers() if workers is None else workers
        self.nice = nice
        self._lock = threading.Lock()  # the fitted model and its version
        self._fitting = threading.Lock()  # one refit at a time
        self._fit_vectors: dict[str, Any] = {}
        self._encoder: Any = None
        self._model: Any = None
        self._version = ""
        self._runner = Background(self._refresh_in_background, "theme-refresh")
        self.refreshed = 0  # answers scored by the last finished refresh
        self.embedded = 0  # answers the last refresh had to embed (new or changed)

    def current(self) -> Any:
        """The last fitted suggester, even while a refit runs (pages must not wait for one)."""
        with self._lock:
            model = self._model
        return model if model is not None else self.model()[0]

    def model(self) -> tuple[Any, str]:
        """The suggester for the stored codebook and examples (refitted when they change)."""
        with self.db.session() as s:
            book = load_codebook(s)
            examples = confirmed_examples(s)
        digest = hashlib.sha256(repr((book, examples)).encode()).hexdigest()[:16]
        with self._fitting:
            with self._lock:
                if self._model is not None and digest == self._version:
                    return self._model, self._version
            from themes.model import Suggester

            # The codebook's and the examples' texts embedded for the last fit are reused.
            remembered = _Remembering(self._load_encoder(), self._fit_vectors)
            model = Suggester(book, examples, remembered)
            model.encoder = remembered.encoder  # scoring new answers goes to the encoder itself
            self._fit_vectors = remembered.seen
            with self._lock:
                self._model, self._version = model, digest
            return model, digest

    def _load_encoder(self) -> Any:
        if self._encoder is None:
            for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
                os.environ.setdefault(name, "1")
            from themes.encoder import Encoder

            self._encoder = Encoder(workers=self.workers, nice=self.nice)
        return self._encoder

    def refresh(self) -> int:
        """Score every visible answer with the current model; replace its stored suggestions;
        rebuild the findings summary. Returns the answers scored."""
        model, version = self.model()
        if not model.ids:
            return 0
        with self.db.session() as s:  # no vector is kept for an answer nobody may see
            hidden = select(Answer.id).where(Answer.hidden.is_(True))
            s.execute(delete(ThemeEmbedding).where(ThemeEmbedding.answer_id.in_(hidden)))
        done, last, self.embedded = 0, 0, 0
        try:
            while True:
                with self.db.session() as s:
                    rows = s.execute(
                        select(
                            Answer.id, Answer.text, ThemeEmbedding.text_hash, ThemeEmbedding.vector
                        )
                        .outerjoin(ThemeEmbedding, ThemeEmbedding.answer_id == Answer.id)
                        .where(Answer.id > last, Answer.hidden.is_(False))
                        .order_by(Answer.id)
                        .limit(BATCH)
                    ).all()
                if not rows:
                    break
                vecs, fresh = self._vectors(model, rows)
                results = model.suggest([r.text for r in rows], vecs=vecs)
                self._store(rows, vecs, fresh, results, version)
                done += len(rows)
                self.embedded += len(fresh)
                last = rows[-1].id
        finally:
            getattr(model.encoder, "close", lambda: None)()  # worker processes, if any started
        with self.db.session() as s:
            rebuild(s, datetime.now(UTC))
        return done

    def _vectors(self, model: Any, rows: Sequence[Any]) -> tuple[Any, list[int]]:
        """The rows' embeddings: kept ones decoded, missing or outdated ones computed. Returns
        them and the positions that were computed."""
        import numpy as np

        vecs = np.zeros((len(rows), DIM), dtype=np.float32)
        fresh = []
        for i, row in enumerate(rows):
            if row.vector is not None and row.text_hash == text_key(row.text):
                vecs[i] = np.frombuffer(row.vector, dtype=VECTOR)
            else:
                fresh.append(i)
        if fresh:
            vecs[fresh] = model.encoder.encode([rows[i].text for i in fresh])
        return vecs, fresh

    def _store(
        self, rows: Sequence[Any], vecs: Any, fresh: list[int], results: Sequence[Any], version: str
    ) -> None:
        """Write a batch: the new embeddings and every answer's suggestions, in one transaction."""
        now = datetime.now(UTC)
        ids = [row.id for row in rows]
        suggestions: list[dict[str, Any]] = []
        for aid, result in zip(ids, results, strict=True):
            best = sorted(result.scores.items(), key=lambda kv: -kv[1])[:KEEP]
            suggestions.extend(
                {
                    "answer_id": aid,
                    "theme_id": theme,
                    "score": score,
                    "doubt": abs(score - 0.5),
                    "rank": rank,
                    "chosen": theme in result.themes,
                    "model_version": version,
                    "created_at": now,
                }
                for rank, (theme, score) in enumerate(best)
            )
        with self.db.session() as s:
            if fresh:
                changed = [ids[i] for i in fresh]
                s.execute(delete(ThemeEmbedding).where(ThemeEmbedding.answer_id.in_(changed)))
                s.execute(
                    insert(ThemeEmbedding),
                    [
                        {
                            "answer_id": ids[i],
                            "text_hash": text_key(rows[i].text),
                            "vector": vecs[i].astype(VECTOR).tobytes(),
                        }
                        for i in fresh
                    ],
                )
            s.execute(delete(ThemeSuggestion).where(ThemeSuggestion.answer_id.in_(ids)))
            if suggestions:
                s.execute(insert(ThemeSuggestion), suggestions)

    def request_refresh(self) -> None:
        """Refresh in the background; a request during a refresh runs one more afterwards."""
        self._runner.request()

    def _refresh_in_background(self) -> None:
        self.refreshed = self.refresh()  # a failed refresh leaves the old suggestions

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running refresh (tests and the command line)."""
        self._runner.wait(timeout)
