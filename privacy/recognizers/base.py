"""The base for Speak Up's pattern recognisers: patterns, context words and a validator as data."""

from __future__ import annotations

import re
from typing import ClassVar

from presidio_analyzer import (
    AnalysisExplanation,
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer.nlp_engine import NlpArtifacts


def result_for(
    recognizer: EntityRecognizer,
    entity: str,
    start: int,
    end: int,
    score: float,
    pattern_name: str | None = None,
) -> RecognizerResult:
    """One Presidio result, named after the recogniser that found it (as Presidio's own are)."""
    name = type(recognizer).__name__
    explanation = AnalysisExplanation(recognizer=name, original_score=score)
    if pattern_name is not None:
        explanation.pattern_name = pattern_name
    return RecognizerResult(
        entity_type=entity,
        start=start,
        end=end,
        score=score,
        analysis_explanation=explanation,
        recognition_metadata={
            RecognizerResult.RECOGNIZER_NAME_KEY: name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
        },
    )


class UKPatternRecognizer(PatternRecognizer):
    """A Presidio pattern recogniser declared as class data.

    Subclasses set ``ENTITY``, ``PATTERNS`` (name, regex, score), ``CONTEXT`` and optionally
    override :meth:`validate_result`. Each subclass cites where its patterns come from.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    CONTEXT: ClassVar[tuple[str, ...]] = ()
    FLAGS: ClassVar[int] = re.IGNORECASE

    def __init__(self) -> None:
        super().__init__(
            supported_entity=self.ENTITY,
            name=type(self).__name__,
            patterns=[Pattern(name, regex, score) for name, regex, score in self.PATTERNS],
            context=list(self.CONTEXT),
            supported_language="en",
            global_regex_flags=self.FLAGS,
        )


class SpanPatternRecognizer(EntityRecognizer):
    """Patterns whose named group ``v`` is the span to report, so a lead-in can give context.

    Python's ``re`` has no variable-width look-behind, so "my snap is X" or "ref: 1234567" are
    matched whole and only the value (group ``v``) is reported.
    """

    ENTITY: ClassVar[str]
    PATTERNS: ClassVar[tuple[tuple[str, str, float], ...]]
    FLAGS: ClassVar[int] = re.IGNORECASE
    # A pattern named here runs only where its gate (a cheap expression for what it cannot match
    # without, such as an app's name) is found: one search instead of several on a long answer.
    GATES: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        self._compiled = [
            (name, re.compile(rx, self.FLAGS), score) for name, rx, score in self.PATTERNS
        ]
        gates = {rx: re.compile(rx, self.FLAGS) for rx in self.GATES.values()}
        self._gates = {name: gates[rx] for name, rx in self.GATES.items()}
        super().__init__(
            supported_entities=[self.ENTITY], name=type(self).__name__, supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load: the patterns are compiled in the constructor."""

    def validate_value(self, value: str) -> bool:
        """Override to reject a matched value."""
        return bool(value.strip())

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Return one result per pattern match, spanning group ``v``."""
        results = []
        seen: set[tuple[int, int]] = set()
        opened: dict[re.Pattern[str], bool] = {}
        for name, rx, score in self._compiled:
            gate = self._gates.get(name)
            if gate is not None:
                if gate not in opened:
                    opened[gate] = gate.search(text) is not None
                if not opened[gate]:
                    continue
            for m in rx.finditer(text):
                start, end = m.span("v")
                if (start, end) in seen:
                    continue
                seen.add((start, end))
                if start < end and self.validate_value(text[start:end]):
                    results.append(result_for(self, self.ENTITY, start, end, score, name))
        return results
