"""Privacy: Presidio set-up, UK recognisers, placeholders and keyed pseudonyms.

A leaf library: it imports nothing from the rest of the project.
"""

from privacy.policy import PLACEHOLDERS, PrivacyPolicy
from privacy.redactor import Entity, RedactionError, RedactionResult, Redactor

__all__ = [
    "PLACEHOLDERS",
    "Entity",
    "PrivacyPolicy",
    "RedactionError",
    "RedactionResult",
    "Redactor",
]
