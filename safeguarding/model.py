"""The learned layer: word and character n-gram TF-IDF with a logistic regression, scored in pure
Python from a small JSON file (no scikit-learn at run time).

``features()`` is the one featuriser: ``speakup risk train`` builds the vocabulary and fits the
weights with it, and ``RiskModel`` scores with it, so training and serving cannot drift apart.
The file holds the vocabulary with its idf and weights, the thresholds chosen on cross-writer
predictions, and the labelled training examples used to say which one a message is most like.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from safeguarding.normalise import normalise

CLASSES = ("urgent", "support", "none")
MODEL_FILE = Path(__file__).with_name("model") / "risk_model.json"
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9.,;:!?'\"()\[\]\-_/\\*&%+=<>#~^|]")
CHAR_MIN, CHAR_MAX = 2, 5
_NEAREST_TERMS = 12  # the message's most telling words, when looking for the nearest example
_NEAREST_MIN_IDF = 2.5  # words in more than about one message in ten say little about likeness
_FAMILIAR_MIN_WORDS = 3
_LETTERS = re.compile(r"[^\W\d_]+")
_MAX_CHARS = 4000  # a long paste is judged on its first few thousand characters (plus rules)


def words(norm: str) -> list[str]:
    """Words, numbers and single emoji of normalised text."""
    return _WORD.findall(norm)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def windows(norm: str) -> list[str]:
    """Each sentence with the one after it (a time often follows in the next sentence)."""
    sentences = [s for s in _SENTENCE_END.split(norm) if s.strip()]
    if len(sentences) <= 2:
        return [norm]
    return [" ".join(sentences[i : i + 2]) for i in range(len(sentences) - 1)]


def _length_bucket(count: int) -> str:
    for limit, name in ((1, "1"), (2, "2"), (4, "3-4"), (8, "5-8"), (16, "9-16")):
        if count <= limit:
            return f"<length {name}>"
    return "<length 17+>"


def features(norm: str) -> tuple[Counter[str], Counter[str]]:
    """Term counts of normalised text: words and word pairs, and character n-grams in words."""
    toks = words(norm[:_MAX_CHARS])
    word_counts: Counter[str] = Counter(toks)
    word_counts.update(f"{a} {b}" for a, b in pairwise(toks))
    # How long the message is, as a word of its own, so a one-line chat answer can lean on its
    # length rather than on words like "mum" that long disclosures also use.
    word_counts[_length_bucket(len(toks))] = 1
    grams: list[str] = []
    for tok in toks:
        padded = f" {tok} "
        size = len(padded)
        for n in range(CHAR_MIN, min(CHAR_MAX, size) + 1):
            grams += [padded[i : i + n] for i in range(size - n + 1)]
    return word_counts, Counter(grams)


def tfidf(counts: Counter[str], idf: dict[str, float]) -> dict[str, float]:
    """Sublinear term frequency times idf, L2-normalised; terms outside the vocabulary dropped."""
    vec = {t: (1.0 + math.log(c)) * idf[t] for t, c in counts.items() if t in idf}
    norm = math.sqrt(sum(v * v for v in vec.values()))
    return {t: v / norm for t, v in vec.items()} if norm else {}


@dataclass(frozen=True)
class Scored:
    """Class probabilities for one message."""

    urgent: float
    support: float
    none: float
    # The highest urgent score of the whole message or any two sentences of it: enough to ask
    # "are you safe right now?", never to hand off on its own (``RiskModel.judge``). 0 when the
    # message has too few sentences for windows: its urgent score then says everything.
    peak: float = 0.0


class RiskModel:
    """Scores messages with the exported weights; loading reads one JSON file."""

    def __init__(self, data: dict[str, object]) -> None:
        self.meta = data
        vocab = data["vocabulary"]
        assert isinstance(vocab, dict)
        self._word_idf: dict[str, float] = {}
        self._char_idf: dict[str, float] = {}
        # Per block, term -> (idf, weight for urgent, support, none): one lookup per term.
        self._tables: tuple[dict[str, tuple[float, float, float, float]], ...] = ({}, {})
        for key, (idf, wu, ws, wn) in vocab.items():
            block = 0 if key[0] == "w" else 1
            (self._word_idf, self._char_idf)[block][key[2:]] = idf
            self._tables[block][key[2:]] = (idf, wu, ws, wn)
        bias = data["intercept"]
        assert isinstance(bias, list)
        self._bias = (float(bias[0]), float(bias[1]), float(bias[2]))
        thresholds = data["thresholds"]
        assert isinstance(thresholds, dict)
        self.thresholds: dict[str, float] = {k: float(v) for k, v in thresholds.items()}
        examples = data.get("examples", [])
        assert isinstance(examples, list)
        self.examples: list[tuple[str, str]] = [(str(e[0]), str(e[1])) for e in examples]
        # The nearest-example index is built by `speakup risk train` and stored in the file, so
        # loading costs no normalising of every example (a fifth of a second) and no message waits.
        stored = data.get("nearest")
        # Kept as JSON gave it ([number, weight] lists): converting 44,000 pairs cost 50 ms.
        self._index: Mapping[str, Sequence[Sequence[float]]] = (
            stored if isinstance(stored, dict) else self.nearest_index()
        )

    def score(self, norm: str) -> Scored:
        """Class probabilities (softmax of the linear scores) for normalised text."""
        su, ss, sn = self._bias
        for counts, table in zip(features(norm), self._tables, strict=True):
            # One pass per block: the weighted sums and the vector's length, then divide.
            bu = bs = bn = length = 0.0
            for term, count in counts.items():
                entry = table.get(term)
                if entry is None:
                    continue
                idf, wu, ws, wn = entry
                value = (1.0 + math.log(count)) * idf if count > 1 else idf
                length += value * value
                bu += value * wu
                bs += value * ws
                bn += value * wn
            if length:
                length = math.sqrt(length)
                su, ss, sn = su + bu / length, ss + bs / length, sn + bn / length
        top = max(su, ss, sn)
        eu, es, en = math.exp(su - top), math.exp(ss - top), math.exp(sn - top)
        total = eu + es + en
        return Scored(urgent=eu / total, support=es / total, none=en / total)

    def judge(self, norm: str) -> Scored:
        """The message's scores, with the most worrying pair of its sentences as ``peak``.

        A disclosure buried in a long answer ("... I've made arrangements for this weekend ...")
        is diluted by the policy talk around it when the whole answer is scored at once. Each
        window of two sentences (as the rules read them) is scored too. The highest urgent score
        of any of them may raise the message to check (asked "are you safe right now?"); support
        and handing off come from the whole message's scores alone. Scored window by window,
        policy talk about harm raised too many false handoffs (measured on cross-writer
        predictions, docs/safeguarding.md). The thresholds are chosen on cross-writer
        predictions made the same way.
        """
        whole = self.score(norm)
        parts = windows(norm[:_MAX_CHARS])
        if len(parts) < 2:
            return whole
        peak = max(whole.urgent, *(self.score(part).urgent for part in parts))
        return Scored(urgent=whole.urgent, support=whole.support, none=whole.none, peak=peak)

    def familiar(self, norm: str) -> float | None:
        """Share of the message's words the model has a weight for; None under three words.

        A message mostly in words no training message used (most likely another language:
        "Jestem sam w domu...") cannot be judged by this model at all.
        """
        # Runs of letters in any script: words() reads Arabic or Chinese a character at a time.
        alpha = _LETTERS.findall(norm[:_MAX_CHARS])
        if len(alpha) < _FAMILIAR_MIN_WORDS:
            return None
        return sum(1 for w in alpha if w in self._word_idf) / len(alpha)

    def level(self, scored: Scored) -> str:
        """Level from the thresholds: urgent, check (the uncertain band), support or none."""
        t = self.thresholds
        if scored.urgent >= t["urgent"]:
            return "urgent"
        if scored.urgent >= t["check"] or scored.peak >= t.get("peak", 1.1):
            return "check"
        if scored.urgent + scored.support >= t["support"]:
            return "support"
        return "none"

    def nearest(self, norm: str, label: str | None = None) -> tuple[str, str] | None:
        """The training example (labelled ``label``, if given) sharing the most telling words."""
        if not self.examples:
            return None
        wvec = tfidf(Counter(words(norm)), self._word_idf)
        top = sorted(wvec.items(), key=lambda kv: (-kv[1], kv[0]))[:_NEAREST_TERMS]
        totals: dict[int, float] = {}
        for term, value in top:
            for number, weight in self._index.get(term, ()):
                i = int(number)
                if label is None or self.examples[i][0] == label:
                    totals[i] = totals.get(i, 0.0) + value * weight
        if not totals:
            return None
        best = max(totals, key=lambda i: (totals[i], -i))
        return self.examples[best]

    def nearest_index(self) -> dict[str, list[tuple[int, float]]]:
        """Word -> (example number, weight) for the examples' telling words, in a stable order."""
        index: dict[str, list[tuple[int, float]]] = {}
        for i, (_, text) in enumerate(self.examples):
            vec = tfidf(Counter(words(normalise(text))), self._word_idf)
            for term, value in sorted(vec.items()):
                if self._word_idf[term] >= _NEAREST_MIN_IDF:  # skip words most messages share
                    index.setdefault(term, []).append((i, round(value, 4)))
        return dict(sorted(index.items()))


def load_model(path: Path = MODEL_FILE) -> RiskModel:
    """Read the exported model file."""
    return RiskModel(json.loads(path.read_text(encoding="utf-8")))
