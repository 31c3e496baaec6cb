"""What redaction gives back, and how it fails: plain types, without Presidio or spaCy.

Code that only handles results (the engine's turn, the CLI) imports these without loading the
model's libraries, which take seconds to import.
"""

from __future__ import annotations

from dataclasses import dataclass

# Raised whenever the redactor would remove something it did not before (a new recogniser, a new
# type, a changed rule): ``speakup reredact --all`` re-runs redaction on answers stored earlier.
REDACTION_VERSION = "2026.12.01-rampart-27"  # at most 40 characters (the column)


class RedactionError(Exception):
    """Redaction failed or timed out: the caller must not store the text."""


@dataclass(frozen=True)
class Entity:
    """One removed span, with offsets into the original text."""

    type: str
    start: int
    end: int
    score: float

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape used by ``speakup redact``."""
        return {
            "type": self.type,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 2),
        }


@dataclass(frozen=True)
class RedactionResult:
    """Redacted text and what was removed from it."""

    text: str
    entities: tuple[Entity, ...]
