"""Suggested themes: zero to three per answer, each with a confidence, learned from a codebook's
descriptions and from the answers people have confirmed.

Three scores per theme, all from the same pinned MiniLM embeddings (``themes/encoder.py``):

- **description**: how close the answer sits to the theme's description and to the items it
  lists (cosine; ``themes/describe.py``). This alone works before any example is confirmed.
- **learned**: one logistic regression per theme on the embeddings of the confirmed examples,
  with the description and its items as extra positive examples, so a handful of confirmations
  refine the description rather than replace it.
- **words**: the same, on TF-IDF words, which also names the words that weighed most.

With confirmed examples, the three are put on one scale and the decision rule (a floor, and how
far below the best theme another may be) is chosen by cross-validation **on the confirmed
examples only**: the answers being scored never tune anything. Without examples (or too few to
cross-validate) the description score decides with a fixed rule set in advance (``ZERO_SHOT``).

Two corrections, both fixed in advance rather than tuned per codebook:

- **centring** (learning path): MiniLM embeddings share one large common direction, so every
  cosine is inflated and themes with generic wording win too often. Subtracting the mean of the
  codebook's texts and the confirmed examples (not of the answers being scored, so an answer's
  suggestions never depend on the others in its batch) and re-normalising removes it.
- **non-answers**: "skip", "n/a", "dunno" get no theme, whatever their closest theme is (the
  answer sits at paraphrase distance, cosine >= ``NON_ANSWER_COSINE``, of a fixed list).
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

import numpy as np
from numpy.typing import NDArray

from themes.codebook import Codebook, Theme, map_labels
from themes.describe import items, summary

Matrix = NDArray[np.float32]
MIN_EXAMPLES = 8  # fewer confirmed examples than this: the description rule decides
FOLDS = 5
WEIGHTS = {"learned": 1.0, "description": 0.5, "words": 0.5}
# Description-only rule, fixed before measuring: suggest the closest theme when its cosine is at
# least FLOOR (unrelated sentences score about 0.0, paraphrases 0.6), and any other theme within
# MARGIN of it.
ZERO_SHOT = {"floor": 0.2, "margin": 0.05}
SPREADS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5)
CENTRE = True
# Answers that decline to answer. Cosine 0.6 is paraphrase distance (models.md's reference pair
# scores 0.66; unrelated sentences about 0.0).
NON_ANSWERS = (
    "no",
    "nothing",
    "n/a",
    "skip",
    "pass",
    "don't know",
    "dunno",
    "idk",
    "not sure",
    "no comment",
    "nothing to add",
    "I'd rather not say",
)
NON_ANSWER_COSINE = 0.6


class Encodes(Protocol):
    def encode(self, texts: list[str]) -> Matrix: ...


@dataclass(frozen=True)
class Example:
    """A confirmed coding: an answer's text and the themes a person gave it (possibly none)."""

    text: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    """Suggestions for one answer: chosen theme ids (best first) and every theme's confidence."""

    themes: list[str]
    scores: dict[str, float]


@dataclass
class Rule:
    """Suggest theme j when score_j >= max(floor, best - spread), at most ``top`` themes."""

    floor: float
    spread: float

    def choose(self, scores: NDArray[np.float64], top: int) -> list[int]:
        best = float(scores.max()) if scores.size else 0.0
        cut = max(self.floor, best - self.spread)
        order = [int(j) for j in np.argsort(-scores, kind="stable") if scores[j] >= cut]
        return order[:top]


def answer_f1(chosen: Sequence[set[int]], truth: Sequence[set[int]]) -> float:
    """Per-answer F1 averaged over answers; no true theme and nothing chosen scores 1."""
    total = 0.0
    for got, want in zip(chosen, truth, strict=True):
        if not want:
            total += 1.0 if not got else 0.0
        elif got:
            total += 2 * len(got & want) / (len(got) + len(want))
    return total / max(len(truth), 1)


def choose_rule(scores: NDArray[np.float64], labels: NDArray[np.bool_]) -> Rule:
    """The floor and spread with the best per-answer F1 on (cross-validated) example scores."""
    truth = [set(np.flatnonzero(row).tolist()) for row in labels]
    floors = np.unique(np.quantile(scores.max(axis=1), np.linspace(0.0, 0.5, 11)))
    best: tuple[float, float, float] | None = None
    for floor in floors:
        for spread in SPREADS:
            rule = Rule(float(floor), spread)
            chosen = [set(rule.choose(row, 3)) for row in scores]
            f1 = answer_f1(chosen, truth)
            # Ties (common with a few dozen examples, where many rules score alike): the lower
            # floor and wider spread, which the examples cannot tell apart. On the dev set this
            # gained 0.01 to 0.03 with 1 or 2 examples per theme, nothing from 5 on.
            key = (f1, -float(floor), spread)
            if best is None or key > best:
                best = key
    assert best is not None
    return Rule(-best[1], best[2])


@dataclass
class _Parts:
    """Fitted per-theme models for the learned and words scores."""

    learned: list[Any] = field(default_factory=list)
    words: list[Any] = field(default_factory=list)
    vectorizer: Any = None


def _unit(vecs: Matrix) -> Matrix:
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    out: Matrix = (vecs / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


class Suggester:
    """Fit on a codebook and confirmed examples; ``suggest`` scores new answers."""

    # Scores combined in the learning path, with their weights (a subclass may add its own
    # ``_score_<name>`` method and name it here; benchmarks/theme_ideas.py does).
    weights: ClassVar[dict[str, float]] = WEIGHTS

    def __init__(self, codebook: Codebook, examples: Sequence[Example], encoder: Encodes) -> None:
        self.codebook = codebook
        self.ids = codebook.ids()
        self.encoder = encoder
        themes = codebook.active
        self.summary_texts = [summary(t) for t in themes]
        item_lists = [self._items(t) for t in themes]
        self.item_texts = [text for group in item_lists for text in group]
        self.item_owner = np.array([j for j, group in enumerate(item_lists) for _ in group], int)
        kept = [(e.text, map_labels(codebook, e.themes)) for e in examples if e.text.strip()]
        self.example_texts = [text for text, _ in kept]
        self.example_labels = np.array(
            [[t in labels for t in self.ids] for _, labels in kept], dtype=bool
        ).reshape(len(kept), len(self.ids))
        vectors = encoder.encode(
            self.summary_texts + self.item_texts + self.example_texts + list(NON_ANSWERS)
        )
        n_s, n_i, n_e = len(self.summary_texts), len(self.item_texts), len(self.example_texts)
        self.summary_vecs = vectors[:n_s]
        self.item_vecs = vectors[n_s : n_s + n_i]
        self.example_vecs = vectors[n_s + n_i : n_s + n_i + n_e]
        self.non_answer_vecs = vectors[n_s + n_i + n_e :]
        self.learning = len(kept) >= MIN_EXAMPLES and bool(self.example_labels.any())
        # Centring (learning path only: the zero-shot rule is stated in plain cosines).
        self.centre = np.zeros(vectors.shape[1], dtype=np.float32)
        if self.learning and CENTRE:
            self.centre = vectors[: n_s + n_i + n_e].mean(axis=0)
        self._summary_c, self._item_c = (
            self._centred(self.summary_vecs),
            self._centred(self.item_vecs),
        )
        self._example_c = self._centred(self.example_vecs)
        self.names = list(self.weights)
        self.norm = np.zeros((len(self.names), 2))
        self.rule = Rule(ZERO_SHOT["floor"], ZERO_SHOT["margin"])
        self.platt = (12.0, -1.2)  # description-only confidence: sigmoid(12 (cosine - 0.3)), rough
        self.parts = _Parts()
        if self.learning:
            self._fit()

    def _items(self, theme: Theme) -> list[str]:
        """The texts standing for what a theme covers, besides its summary."""
        return items(theme)

    def _centred(self, vecs: Matrix) -> Matrix:
        return _unit(vecs - self.centre) if self.centre.any() else vecs

    def non_answers(self, vecs: Matrix) -> NDArray[np.bool_]:
        """Answers that decline to answer ("skip", "n/a"): they get no theme."""
        if not len(vecs):
            return np.zeros(0, dtype=bool)
        return np.asarray((vecs @ self.non_answer_vecs.T).max(axis=1) >= NON_ANSWER_COSINE)

    # --- the scores ---------------------------------------------------------------------------
    def description_scores(self, vecs: Matrix, *, centred: bool = False) -> NDArray[np.float64]:
        """Cosine to the summary, averaged with the best of the theme's items. ``centred``:
        ``vecs`` are already centred, and are compared with the centred description texts."""
        summary_vecs, item_vecs = (
            (self._summary_c, self._item_c) if centred else (self.summary_vecs, self.item_vecs)
        )
        whole = vecs @ summary_vecs.T
        if len(self.item_texts):
            sims = vecs @ item_vecs.T
            best = np.stack(
                [
                    sims[:, self.item_owner == j].max(axis=1)
                    if (self.item_owner == j).any()
                    else whole[:, j]
                    for j in range(len(self.ids))
                ],
                axis=1,
            )
            whole = (whole + best) / 2
        return np.asarray(whole, dtype=np.float64)

    def _few_shot(self, scores: NDArray[np.float64], vecs: Matrix) -> NDArray[np.float64]:
        """Too few examples to learn from: an answer close to a confirmed example of a theme
        scores as close to it as to the description (cosine either way, so the fixed rule holds)."""
        if not len(self.example_texts):
            return scores
        sims = vecs @ self.example_vecs.T
        for j in range(len(self.ids)):
            members = self.example_labels[:, j]
            if members.any():
                scores[:, j] = np.maximum(scores[:, j], sims[:, members].max(axis=1))
        return scores

    def _pseudo(self) -> tuple[Matrix, NDArray[np.bool_], list[str]]:
        """The description and its items as extra positive examples of their theme."""
        eye = np.eye(len(self.ids), dtype=bool)
        vecs = np.vstack([self._summary_c, self._item_c])
        labels = np.vstack([eye, eye[self.item_owner]]) if len(self.item_texts) else eye
        return vecs, labels, self.summary_texts + self.item_texts

    def _train(self, rows: NDArray[np.int_]) -> _Parts:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        p_vecs, p_labels, p_texts = self._pseudo()
        vecs = np.vstack([self._example_c[rows], p_vecs])
        labels = np.vstack([self.example_labels[rows], p_labels])
        texts = [self.example_texts[i] for i in rows] + p_texts
        vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
        words = vectorizer.fit_transform(texts)
        parts = _Parts(vectorizer=vectorizer)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # convergence chatter on tiny sets
            for j in range(len(self.ids)):
                y = labels[:, j]
                for matrix, out in ((vecs, parts.learned), (words, parts.words)):
                    model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
                    out.append(model.fit(matrix, y))
        return parts

    def _score_learned(self, parts: _Parts, vecs: Matrix, texts: list[str]) -> NDArray[Any]:
        return np.stack([m.decision_function(vecs) for m in parts.learned], axis=1)

    def _score_description(self, parts: _Parts, vecs: Matrix, texts: list[str]) -> NDArray[Any]:
        return self.description_scores(vecs, centred=True)

    def _score_words(self, parts: _Parts, vecs: Matrix, texts: list[str]) -> NDArray[Any]:
        words = parts.vectorizer.transform(texts)
        return np.stack([m.decision_function(words) for m in parts.words], axis=1)

    def _raw(self, parts: _Parts, vecs: Matrix, texts: list[str]) -> NDArray[np.float64]:
        """Unnormalised scores, shape (scores, answers, themes); ``vecs`` centred."""
        return np.stack(
            [getattr(self, f"_score_{name}")(parts, vecs, texts) for name in self.names]
        ).astype(np.float64)

    def _combine(self, raw: NDArray[np.float64]) -> NDArray[np.float64]:
        weights = np.array([self.weights[name] for name in self.names])
        z = (raw - self.norm[:, 0][:, None, None]) / self.norm[:, 1][:, None, None]
        return np.asarray(np.tensordot(weights, z, axes=1))

    # --- fitting: cross-validation on the confirmed examples only ------------------------------
    def _fit(self) -> None:
        from sklearn.model_selection import KFold

        n = len(self.example_texts)
        raw = np.zeros((len(self.names), n, len(self.ids)))
        folds = KFold(n_splits=min(FOLDS, n), shuffle=True, random_state=0)
        for train, held in folds.split(np.arange(n)):
            parts = self._train(train)
            raw[:, held] = self._raw(
                parts, self._example_c[held], [self.example_texts[i] for i in held]
            )
        flat = raw.reshape(len(self.names), -1)
        self.norm = np.stack([flat.mean(axis=1), np.maximum(flat.std(axis=1), 1e-6)], axis=1)
        combined = self._combine(raw)
        self.rule = self._choose_rule(combined, self.example_labels)
        self.platt = _platt(combined.ravel() - self.rule.floor, self.example_labels.ravel())
        self.parts = self._train(np.arange(n))

    def _choose_rule(self, scores: NDArray[np.float64], labels: NDArray[np.bool_]) -> Rule:
        return choose_rule(scores, labels)

    # --- use ----------------------------------------------------------------------------------
    def scores(
        self, texts: list[str], vecs: Matrix | None = None
    ) -> tuple[NDArray[np.float64], Matrix]:
        """Combined scores (answers x themes) and the answers' embeddings (given, or computed)."""
        if vecs is None:
            vecs = self.encoder.encode(texts)
        if not self.learning:
            return self._few_shot(self.description_scores(vecs), vecs), vecs
        return self._combine(self._raw(self.parts, self._centred(vecs), texts)), vecs

    def suggest(
        self, texts: list[str], *, top: int = 3, vecs: Matrix | None = None
    ) -> list[Suggestion]:
        """Suggestions for each text, in order (``vecs``: their embeddings, if already known)."""
        if not texts:
            return []
        combined, vecs = self.scores(texts, vecs)
        declined = self.non_answers(vecs)
        return [self.decide(row, top, none) for row, none in zip(combined, declined, strict=True)]

    def decide(self, row: NDArray[np.float64], top: int, non_answer: bool = False) -> Suggestion:
        """Chosen themes and confidences for one answer's combined scores (``non_answer``: it
        declines to answer, so nothing is chosen)."""
        a, b = self.platt
        confidence = 1.0 / (1.0 + np.exp(-(a * (row - self.rule.floor) + b)))
        chosen = [] if non_answer else self.rule.choose(row, top)
        return Suggestion(
            themes=[self.ids[j] for j in chosen],
            scores={t: round(float(c), 4) for t, c in zip(self.ids, confidence, strict=True)},
        )


def _platt(margin: NDArray[np.float64], labels: NDArray[np.bool_]) -> tuple[float, float]:
    """Confidence = sigmoid(a * margin + b), fitted on the cross-validated example scores."""
    from sklearn.linear_model import LogisticRegression

    if labels.all() or not labels.any():
        return 1.0, 0.0
    model = LogisticRegression(C=1.0).fit(margin.reshape(-1, 1), labels)
    return float(model.coef_[0][0]), float(model.intercept_[0])
