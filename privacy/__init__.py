"""Privacy: Presidio set-up, UK recognisers, placeholders and keyed pseudonyms.

A leaf library: it imports nothing from the rest of the project. ``Redactor`` is loaded when first
asked for (PEP 562): importing Presidio and spaCy takes seconds, which commands that never redact
(``speakup migrate``, ``purge``, ``export``, ``--help``) should not spend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from privacy.policy import PLACEHOLDERS, PrivacyPolicy
from privacy.results import Entity, RedactionError, RedactionResult

# Stored answers record the version that redacted them; ``speakup reredact`` re-runs older ones.
# Bump it whenever what redaction removes changes.
REDACTION_VERSION = "2026.11.30-rampart-1"

if TYPE_CHECKING:
    from privacy.redactor import Redactor

__all__ = [
    "PLACEHOLDERS",
    "REDACTION_VERSION",
    "Entity",
    "PrivacyPolicy",
    "RedactionError",
    "RedactionResult",
    "Redactor",
]


def __getattr__(name: str) -> Any:
    if name == "Redactor":
        from privacy.redactor import Redactor

        return Redactor
    raise AttributeError(f"module 'privacy' has no attribute {name!r}")
