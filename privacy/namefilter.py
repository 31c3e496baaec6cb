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

from privacy.recognizers.name_cues import is_cased
from privacy.recognizers.wordlists import (
    ambiguous_names,
    first_names,
    keep_words,
    misspelt,
    ordinary_words,
    place_words,
)

_WORDS = re.compile(r"[a-z]+(?:'[a-z]+)?")
# A name that is also a word ("drew", "joy") is believed from the model only where a name can
# stand: not after an article, a number or a copula ("a pat on the back", "200 miles", "is
# precious"), and followed by what follows a person ("drew got sent", "joy on the front desk"),
# not by a noun or an object ("victoria sponge", "Mark my words", "Joy is a strong word").
NOT_BEFORE_A_NAME = frozenset(
    """
    a an the no any some much more less most every each of is was are were be been being so very
    too such what this that these those his her their our your my its from in on at for by as
    than little big good bad real true pure sheer full great without lost find found give gave
    bring brought feel felt
    """.split()  # noqa: SIM905
)
AFTER_A_NAME = re.compile(
    r"\s*(?:$|[,.!?;:)])|\s+(?:and|n|&|or|but|cos|coz|bc|because|on|at|from|who|whos|who's|got|"
    r"gets|has|had|said|says|told|took|takes|came|comes|went|goes|never|always|still|just|"
    r"actually|really|taught|helped|helps|used|didnt|didn't|doesnt|doesn't|did|does|would|could|"
    r"can|cant|can't|wont|won't|wants|wanted|rang|rings|texted|texts|called|calls|lives|lived|"
    r"moved|left|keeps|kept|turned|turns|made|makes|gave|gives|knows|knew|tried|tries|asked|"
    r"asks|looks|looked|visits|visited|(?:is|was)\s+(?:the|my|our))\b",
    re.IGNORECASE,
)
_RISEN = re.compile(r"\s+(?:up\s+)?from\s+the\s+(?:ashes|dead|grave|bottom|ground)\b", re.I)
_SENTENCE_START = re.compile(r"(?:^|[.!?:\n])[\s\"'(*\u2022-]*$")


class NameFilter:
    """Decide whether a model's PERSON guess is believable."""

    def __init__(self, extra_keep: Iterable[str] = (), confident: float = 1.01) -> None:
        self._keep = keep_words() | {w.lower() for w in extra_keep}
        self._confident = confident  # a model score that makes a word-name a name in its slot
        self._ambiguous = ambiguous_names()
        self._ordinary = ordinary_words() | ambiguous_names() | self._keep
        self._places = place_words()
        self._names = first_names()

    def kept(self, span: str, cued: bool = False) -> bool:
        """A place or a kept service word: never removed as a name, whoever found it; a place
        named as a person by what stands around it ("my PA Devon", ``cued``) is removed."""
        low = span.lower()
        return (low in self._places and not cued) or low in self._keep or not _WORDS.search(low)

    def plausible(
        self, text: str, start: int, end: int, reads_case: bool = True, score: float = 0.0
    ) -> bool:
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
            return score >= self._confident and self._in_name_slot(text, start, end, words)
        if span == low and (reads_case or is_cased(text)):
            return any(w in self._names for w in words)
        if span == low and len(words) == 1 and words[0] not in self._names:
            return not misspelt(words[0], self._ordinary)  # "shuld", "becuase": typos, not names
        return True

    def _in_name_slot(self, text: str, start: int, end: int, words: list[str]) -> bool:
        """A single word-name where a person stands (see ``AFTER_A_NAME``)."""
        if len(words) != 1 or words[0] not in self._ambiguous:
            return False
        span = text[start:end]
        if is_cased(text) and (span.islower() or _SENTENCE_START.search(text[:start])):
            return False  # lower case, or a capital that only starts a sentence
        if _RISEN.match(text, end):
            return False  # "Rose from the ashes", "rose from the dead"
        before = re.findall(r"[\w']+", text[max(0, start - 20) : start].lower())
        if before and (before[-1] in NOT_BEFORE_A_NAME or re.search(r"\d", before[-1])):
            return False
        return bool(AFTER_A_NAME.match(text[end:]))


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
