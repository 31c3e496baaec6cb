"""What each idea for better theme suggestions moved, on the dev set (mean of 3 seeds).

Each idea is the shipped ``Suggester`` with one change, scored exactly as ``theme_eval.py`` does
(k examples per theme drawn with seeds 0-2, the rest scored, the decision rule chosen on the
examples only). Every comparison here is on writer H's answers, so keeping or dropping an idea
because of this table is fitting the design to that writer: say so when quoting it.

    .venv/bin/python benchmarks/theme_ideas.py [--ks 0,5,20] [--only knn,chars] [--cache F.npz]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from theme_eval import DATA, CachedEncoder, evaluate

from themes import model as m
from themes.codebook import Theme, load_yaml

_NOT_FOR = re.compile(r"\bnot for\b", re.IGNORECASE)
_CLAUSE = re.compile(r"(?<=[.!?;])\s+|\s*\b(?:but|because|so|also)\b\s*", re.IGNORECASE)


class Templates(m.Suggester):
    """(a) More pseudo-examples per theme: each listed item also bare and as a wish."""

    def _items(self, theme: Theme) -> list[str]:
        out = m.items(theme)
        bare = [text.split(": ", 1)[-1] for text in out]
        return out + bare + [f"we need better {b}" for b in bare]


class _Rows(m.Suggester):
    """Keeps the rows each fold was trained on, for scores that look at the examples."""

    def _train(self, rows: Any) -> Any:
        parts = super()._train(rows)
        parts.rows = rows
        return parts


class Knn(_Rows):
    """(b) Cosine-weighted votes of the 10 nearest confirmed examples, as a fourth score."""

    weights: ClassVar[dict[str, float]] = {**m.WEIGHTS, "knn": 0.5}

    def _score_knn(self, parts: Any, vecs: Any, texts: list[str]) -> Any:
        sims = vecs @ self._example_c[parts.rows].T
        labels = self.example_labels[parts.rows].astype(float)
        near = np.argsort(-sims, axis=1, kind="stable")[:, :10]
        weight = np.maximum(np.take_along_axis(sims, near, axis=1), 0.0)
        votes = np.einsum("an,ant->at", weight, labels[near])
        return votes / np.maximum(weight.sum(axis=1, keepdims=True), 1e-9)


class Prototype(_Rows):
    """(b) Cosine to the mean of each theme's confirmed examples, as a fourth score."""

    weights: ClassVar[dict[str, float]] = {**m.WEIGHTS, "prototype": 0.5}

    def _score_prototype(self, parts: Any, vecs: Any, texts: list[str]) -> Any:
        labels = self.example_labels[parts.rows].astype(np.float32)
        sums = labels.T @ self._example_c[parts.rows] + self._summary_c
        return vecs @ m._unit(sums).T


class Clauses(m.Suggester):
    """(c) Description score: 0.7 the whole answer, 0.3 its best clause."""

    def _score_description(self, parts: Any, vecs: Any, texts: list[str]) -> Any:
        whole = self.description_scores(vecs, centred=True)
        pieces = [[p for p in _CLAUSE.split(t) if len(p.split()) >= 3] for t in texts]
        flat = [p for group in pieces for p in group if len(group) > 1]
        if not flat:
            return whole
        parts_scores = self.description_scores(
            self._centred(self.encoder.encode(flat)), centred=True
        )
        best, at = whole.copy(), 0
        for i, group in enumerate(pieces):
            if len(group) > 1:
                best[i] = parts_scores[at : at + len(group)].max(axis=0)
                at += len(group)
        return 0.7 * whole + 0.3 * best


class Chars(m.Suggester):
    """(d) A logistic regression on TF-IDF character 2-5-grams, as a fourth score."""

    weights: ClassVar[dict[str, float]] = {**m.WEIGHTS, "chars": 0.5}

    def _train(self, rows: Any) -> Any:
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        parts = super()._train(rows)
        _, labels, p_texts = self._pseudo()
        texts = [self.example_texts[i] for i in rows] + p_texts
        labels = np.vstack([self.example_labels[rows], labels])
        parts.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
        matrix = parts.chars.fit_transform(texts)
        parts.char_models = [
            LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(
                matrix, labels[:, j]
            )
            for j in range(len(self.ids))
        ]
        return parts

    def _score_chars(self, parts: Any, vecs: Any, texts: list[str]) -> Any:
        matrix = parts.chars.transform(texts)
        return np.stack([c.decision_function(matrix) for c in parts.char_models], axis=1)


class Descriptions(m.Suggester):
    """Weights: the description score counts as much as the learned one (1 / 1 / 0.5)."""

    weights: ClassVar[dict[str, float]] = {"learned": 1.0, "description": 1.0, "words": 0.5}


class SelfTrained(m.Suggester):
    """(f) Fit, then refit with the most confident 30% of the answers being scored added as
    examples of their best theme (the command line gets all answers at once)."""

    def suggest(self, texts: list[str], *, top: int = 3, vecs: Any = None) -> Any:
        if not self.learning:
            return super().suggest(texts, top=top, vecs=vecs)
        combined, _ = self.scores(texts, vecs)
        ordered = np.sort(combined, axis=1)
        margin = ordered[:, -1] - ordered[:, -2]
        sure = np.argsort(-margin, kind="stable")[: int(0.3 * len(texts))]
        extra = [m.Example(texts[i], (self.ids[int(combined[i].argmax())],)) for i in sure]
        known = [
            m.Example(t, tuple(self.ids[j] for j in np.flatnonzero(row)))
            for t, row in zip(self.example_texts, self.example_labels, strict=True)
        ]
        again = m.Suggester(self.codebook, known + extra, self.encoder)
        return again.suggest(texts, top=top, vecs=vecs)


class Sparing(m.Suggester):
    """(e) Ties between decision rules go to the higher floor and narrower spread (as before)."""

    def _choose_rule(self, scores: Any, labels: Any) -> m.Rule:
        truth = [set(np.flatnonzero(row).tolist()) for row in labels]
        floors = np.unique(np.quantile(scores.max(axis=1), np.linspace(0.0, 0.5, 11)))
        best: tuple[float, float, float] = (-1.0, 0.0, 0.0)
        for floor in floors:
            for spread in m.SPREADS:
                rule = m.Rule(float(floor), spread)
                f1 = m.answer_f1([set(rule.choose(row, 3)) for row in scores], truth)
                best = max(best, (f1, float(floor), -spread))
        return m.Rule(best[1], -best[2])


class Hybrid(m.Suggester):
    """(e) Under 3 examples per theme: how many themes from the description-only rule fixed in
    advance, which ones from the learned scores."""

    def suggest(self, texts: list[str], *, top: int = 3, vecs: Any = None) -> Any:
        if not self.learning or len(self.example_texts) >= 3 * len(self.ids):
            return super().suggest(texts, top=top, vecs=vecs)
        combined, vecs = self.scores(texts, vecs)
        plain = self._few_shot(self.description_scores(vecs), vecs)
        declined = self.non_answers(vecs)
        out = []
        for row, cosines, none in zip(combined, plain, declined, strict=True):
            count = (
                0
                if none
                else len(m.Rule(m.ZERO_SHOT["floor"], m.ZERO_SHOT["margin"]).choose(cosines, top))
            )
            result = self.decide(row, top, True)
            result.themes.extend(self.ids[j] for j in np.argsort(-row, kind="stable")[:count])
            out.append(result)
        return out


# --- issue 19, third round: each with one change, as above -----------------------------------
_SENTENCE = re.compile(r"(?<=[.!?;])\s+")


class SentencePool(m.Suggester):
    """(1) Each answer of two or more sentences (3+ words each) is also scored sentence by
    sentence with all three scores; each score becomes half the whole answer's, half the best of
    the whole and its sentences. Needs each sentence embedded (about 1.6x the encoder's work on
    the dev set) and kept for the refresh."""

    def _raw(self, parts: Any, vecs: Any, texts: list[str]) -> Any:
        whole = super()._raw(parts, vecs, texts)
        pieces = [[p for p in _SENTENCE.split(t) if len(p.split()) >= 3] for t in texts]
        pieces = [group if len(group) > 1 else [] for group in pieces]
        flat = [p for group in pieces for p in group]
        if not flat:
            return whole
        each = super()._raw(parts, self._centred(self.encoder.encode(flat)), flat)
        out, at = whole.copy(), 0
        for i, group in enumerate(pieces):
            if group:
                best = np.maximum(each[:, at : at + len(group)].max(axis=1), whole[:, i])
                out[:, i] = (whole[:, i] + best) / 2
                at += len(group)
        return out


class ThemeOffsets(m.Suggester):
    """(4) Per-theme offsets (-0.5 .. 0.5) added to the combined score, chosen after the rule
    by coordinate ascent on the cross-validated example F1 (two rounds)."""

    offsets: Any = 0.0

    def _choose_rule(self, scores: Any, labels: Any) -> m.Rule:
        rule = m.choose_rule(scores, labels)
        truth = [set(np.flatnonzero(row).tolist()) for row in labels]

        def f1(shift: Any) -> float:
            return m.answer_f1([set(rule.choose(row, 3)) for row in scores + shift], truth)

        best, offsets = f1(0.0), np.zeros(scores.shape[1])
        for _ in range(2):
            for j in range(scores.shape[1]):
                for step in (-0.5, -0.25, 0.25, 0.5):
                    trial = offsets.copy()
                    trial[j] = step
                    if (score := f1(trial)) > best + 1e-9:
                        best, offsets = score, trial
        self.offsets = offsets
        return rule

    def scores(self, texts: list[str], vecs: Any = None) -> Any:
        combined, vecs = super().scores(texts, vecs)
        return (combined + self.offsets if self.learning else combined), vecs


class CvWeights(m.Suggester):
    """(5) The three scores' weights (learned 1; description 0-2; words 0-1) chosen with the rule
    by cross-validated F1 on the examples (the shipped weights win ties)."""

    def _choose_rule(self, scores: Any, labels: Any) -> m.Rule:
        raw, truth = self._cv_raw, [set(np.flatnonzero(row).tolist()) for row in labels]
        grid = [m.WEIGHTS] + [
            {"learned": 1.0, "description": d, "words": w}
            for d in (0.0, 0.25, 0.5, 1.0, 2.0)
            for w in (0.0, 0.25, 0.5, 1.0)
        ]
        best: tuple[float, Any, Any] | None = None
        for weights in grid:
            self.weights = weights
            combined = self._combine(raw)
            rule = m.choose_rule(combined, labels)
            f1 = m.answer_f1([set(rule.choose(row, 3)) for row in combined], truth)
            if best is None or f1 > best[0] + 1e-9:
                best = (f1, weights, rule)
        assert best is not None
        self.weights = best[1]
        return best[2]

    def _combine(self, raw: Any) -> Any:
        if raw.shape[1] == len(self.example_texts) and not hasattr(self, "_cv_raw"):
            self._cv_raw = raw  # the first call in _fit: the cross-validated example scores
        return super()._combine(raw)


class Exclusions(m.Suggester):
    """Each description's "Not for ..." part as a negative example of its own theme."""

    def _pseudo(self) -> Any:
        vecs, labels, texts = super()._pseudo()
        extra = [
            t.description[x.start() :]
            for t in self.codebook.active
            if (x := _NOT_FOR.search(t.description))
        ]
        if not extra:
            return vecs, labels, texts
        extra_vecs = self._centred(self.encoder.encode(extra))
        blank = np.zeros((len(extra), labels.shape[1]), dtype=bool)
        return np.vstack([vecs, extra_vecs]), np.vstack([labels, blank]), texts + extra


class Smoothed(m.Suggester):
    """(3) Transductive, against the README's stance (an answer's suggestions would depend on
    the batch): add half the cosine-weighted mean score of its 10 nearest answers in the batch."""

    def scores(self, texts: list[str], vecs: Any = None) -> Any:
        combined, vecs = super().scores(texts, vecs)
        if not self.learning:
            return combined, vecs
        centred = self._centred(vecs)
        sims = centred @ centred.T
        np.fill_diagonal(sims, -9.0)
        near = np.argsort(-sims, axis=1, kind="stable")[:, :10]
        weight = np.maximum(np.take_along_axis(sims, near, axis=1), 0.0)
        mean = np.einsum("an,ant->at", weight, combined[near])
        return combined + 0.5 * mean / np.maximum(weight.sum(axis=1, keepdims=True), 1e-9), vecs


@contextmanager
def setting(**values: Any) -> Iterator[None]:
    """Change module constants of themes.model for one run."""
    old = {k: getattr(m, k) for k in values}
    for k, v in values.items():
        setattr(m, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(m, k, v)


IDEAS: dict[str, tuple[str, Callable[..., Any], dict[str, Any]]] = {
    "before": (
        "before: no centring, no non-answer rule, sparing ties",
        Sparing,
        {"CENTRE": False, "NON_ANSWER_COSINE": 9.0},
    ),
    "centre": ("(g) centring only", Sparing, {"NON_ANSWER_COSINE": 9.0}),
    "nonanswer": ("(e) non-answer rule only", Sparing, {"CENTRE": False}),
    "both": ("centring + non-answer rule", Sparing, {}),
    "shipped": ("shipped: both, and rule ties to more suggestions", m.Suggester, {}),
    "fewshot": ("few-shot rule at every k (never learn)", m.Suggester, {"MIN_EXAMPLES": 10**9}),
    "hybrid": ("(e) under 3 a theme: count from the fixed rule", Hybrid, {}),
    "templates": ("(a) + templated items", Templates, {}),
    "knn": ("(b) + kNN votes (0.5)", Knn, {}),
    "prototype": ("(b) + example prototypes (0.5)", Prototype, {}),
    "clauses": ("(c) + best clause in description", Clauses, {}),
    "chars": ("(d) + char 2-5-grams (0.5)", Chars, {}),
    "selftrain": ("(f) + self-training on 30%", SelfTrained, {}),
    "descweight": ("weights 1 / 1 / 0.5", Descriptions, {}),
    "sentences": ("(1) + each sentence scored, best sentence pooled (1/2)", SentencePool, {}),
    "offsets": ("(4) + per-theme offsets by CV on the examples", ThemeOffsets, {}),
    "cvweights": ("(5) weights chosen by CV on the examples", CvWeights, {}),
    "exclusions": ("+ 'Not for ...' as a negative example", Exclusions, {}),
    "smoothed": ("(3) + batch kNN smoothing (transductive)", Smoothed, {}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ks", default="0,5,20")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated idea names")
    parser.add_argument("--codebook", default=str(DATA / "themes_codebook.yml"))
    parser.add_argument("--cache", default="", help="keep embeddings in this .npz between runs")
    args = parser.parse_args()
    rows = [json.loads(x) for x in (DATA / "themes_dev.jsonl").read_text().splitlines() if x]
    book = load_yaml(Path(args.codebook).read_text())
    encoder = CachedEncoder(path=args.cache)
    ks = [int(k) for k in args.ks.split(",")]
    print("| idea | " + " | ".join(f"k={k}" for k in ks) + " |")
    print("|---|" + "---|" * len(ks))
    for name in args.only.split(",") if args.only else IDEAS:
        label, cls, constants = IDEAS[name]
        cells = []
        with setting(**constants):
            for k in ks:
                cells.append(f"{evaluate(rows, book, encoder, k, args.seeds, cls)['f1']:.3f}")
        print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
