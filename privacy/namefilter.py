"""Which name guesses from the models to believe.

Both models guess names from context, and both are fooled by ordinary words used as names
("Grace before dinner", "victoria sponge", "Bill for council tax", "Rose from nothing"). A model's
guess is dropped when every word of it is an ordinary word: a kept service or role word, a town,
a common English word (vicary's stop lists, MIT, plus our own), or a name that is also a word
("grace", "hope"). Names that are also words are left to ``FirstNameRecognizer``, which removes
them only with context ("my sister grace", "tell hope i said thanks").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from presidio_analyzer import RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import SpacyRecognizer

from privacy.recognizers.names import is_cased
from privacy.recognizers.wordlists import (
    ambiguous_names,
    first_names,
    keep_words,
    ordinary_words,
    place_words,
)

_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")


class NameFilter:
    """Decide whether a model's PERSON guess is believable."""

    def __init__(self, extra_keep: Iterable[str] = ()) -> None:
        self._keep = keep_words() | {w.lower() for w in extra_keep}
        self._ordinary = ordinary_words() | ambiguous_names() | self._keep
        self._places = place_words()
        self._names = first_names()

    def kept(self, span: str) -> bool:
        """A place or a kept service word: never removed as a name, whoever found it."""
        low = span.lower()
        return low in self._places or low in self._keep or not _WORDS.search(low)

    def plausible(self, text: str, start: int, end: int, reads_case: bool = True) -> bool:
        """False for a model's guess made only of ordinary words (or unlisted lower case).

        ``reads_case`` is False for a model that ignores case (Rampart). A lower-case guess must
        be a listed name when the model reads case (spaCy is unreliable on lower case), or when
        the writer uses capitals anyway (then "strangers" or "fares" is not a name).
        """
        span = text[start:end]
        if self.kept(span):
            return False
        low = span.lower().replace("\u2019", "'")
        words = [w.removesuffix("'s") for w in _WORDS.findall(low)]
        if all(w in self._ordinary or w in self._places or len(w) < 2 for w in words):
            return False
        if span == low and (reads_case or is_cased(text)):
            return any(w in self._names for w in words)
        return True


class FilteredSpacyRecognizer(SpacyRecognizer):
    """Presidio's spaCy PERSON recogniser, with ordinary-word guesses dropped before merging."""

    def __init__(self, names: NameFilter) -> None:
        self._filter = names
        super().__init__(supported_entities=["PERSON"])  # type: ignore[call-arg]

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """spaCy's names, less those the filter does not believe."""
        results = super().analyze(text, entities, nlp_artifacts)
        return [r for r in results if self._filter.plausible(text, r.start, r.end)]
