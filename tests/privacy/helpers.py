"""One helper for every recogniser spec: run a recogniser alone and compare spans."""

from __future__ import annotations

from presidio_analyzer import EntityRecognizer


def found(recognizer: EntityRecognizer, text: str) -> list[str]:
    """The texts a recogniser reports in ``text`` (validators applied, as Presidio does)."""
    results = recognizer.analyze(text, recognizer.supported_entities, None)
    return [text[r.start : r.end] for r in results if r.score > 0]
