"""The theme model inside the staff app: loaded on first use by a theme page (never by the
message path), refitted when the codebook or the confirmed examples change, and used to refresh
every stored answer's suggestions on a background thread."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select

from review.themes_staff.store import confirmed_examples, load_codebook
from storage import Database
from storage.models import Answer, ThemeSuggestion

log = logging.getLogger(__name__)
BATCH = 500
KEEP = 3  # best themes stored per answer (chosen or not), for "least sure first"


class ThemeEngine:
    """One per staff app: the encoder, the fitted suggester, and the refresh thread."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._encoder: Any = None
        self._model: Any = None
        self._version = ""
        self._thread: threading.Thread | None = None
        self._again = threading.Event()
        self.refreshed = 0  # answers scored by the last finished refresh
        # Answers' embeddings by (id, text hash): a refit after a confirmation re-runs only the
        # small models, not the encoder. About 1.5 kB an answer.
        self._vectors: dict[tuple[int, str], Any] = {}

    def model(self) -> tuple[Any, str]:
        """The suggester for the stored codebook and examples (refitted when they change)."""
        with self.db.session() as s:
            book = load_codebook(s)
            examples = confirmed_examples(s)
        digest = hashlib.sha256(repr((book, examples)).encode()).hexdigest()[:16]
        with self._lock:
            if self._model is None or digest != self._version:
                from themes.model import Suggester

                self._model = Suggester(book, examples, self._load_encoder())
                self._version = digest
            return self._model, self._version

    def _load_encoder(self) -> Any:
        if self._encoder is None:
            for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
                os.environ.setdefault(name, "1")
            from themes.encoder import Encoder

            self._encoder = Encoder()
        return self._encoder

    def refresh(self) -> int:
        """Score every visible answer with the current model; replace its stored suggestions."""
        model, version = self.model()
        if not model.ids:
            return 0
        done, last = 0, 0
        while True:
            with self.db.session() as s:
                rows = s.execute(
                    select(Answer.id, Answer.text)
                    .where(Answer.id > last, Answer.hidden.is_(False))
                    .order_by(Answer.id)
                    .limit(BATCH)
                ).all()
            if not rows:
                return done
            results = model.suggest([text for _, text in rows], vecs=self._embed(model, rows))
            now = datetime.now(UTC)
            with self.db.session() as s:
                ids = [aid for aid, _ in rows]
                s.execute(delete(ThemeSuggestion).where(ThemeSuggestion.answer_id.in_(ids)))
                for aid, result in zip(ids, results, strict=True):
                    best = sorted(result.scores.items(), key=lambda kv: -kv[1])[:KEEP]
                    for rank, (theme, score) in enumerate(best):
                        s.add(
                            ThemeSuggestion(
                                answer_id=aid,
                                theme_id=theme,
                                score=score,
                                rank=rank,
                                chosen=theme in result.themes,
                                model_version=version,
                                created_at=now,
                            )
                        )
            done += len(rows)
            last = rows[-1][0]

    def _embed(self, model: Any, rows: Sequence[Any]) -> Any:
        import numpy as np

        keys = [(aid, hashlib.sha256(text.encode()).hexdigest()[:16]) for aid, text in rows]
        missing = [i for i, key in enumerate(keys) if key not in self._vectors]
        if missing:
            fresh = model.encoder.encode([rows[i][1] for i in missing])
            for i, vec in zip(missing, fresh, strict=True):
                self._vectors[keys[i]] = vec
        return np.array([self._vectors[key] for key in keys], dtype=np.float32)

    def request_refresh(self) -> None:
        """Refresh in the background; a request during a refresh runs one more afterwards."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again.set()
                return
            self._thread = threading.Thread(target=self._run, name="theme-refresh", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._again.clear()
            try:
                self.refreshed = self.refresh()
            except Exception:  # a failed refresh leaves the old suggestions; it says so
                log.exception("theme suggestions refresh failed")
            if not self._again.is_set():
                return

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running refresh (tests and the command line)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
