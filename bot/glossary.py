"""Questions about a word in the question ("what does stigma mean?") get its meaning, not storage.

Pure: the step's ``glosses`` (dialogues/consultation.yml) hold the plain meanings.
"""

from __future__ import annotations

import re

from dialogues.schema import Step

_ASKS = re.compile(
    r"^\s*(?:(?:what|wat|wot)(?:\s+does|\s+do|\s+is|'s|s)?\s+(?:the\s+word\s+)?['\"]?(?P<a>[a-z-]+)['\"]?"
    r"(?:\s+mean(?:s)?)?|(?:what\s+is\s+the\s+)?meaning\s+of\s+['\"]?(?P<b>[a-z-]+)['\"]?"
    r"|['\"]?(?P<c>[a-z-]+)['\"]?\s*\?+"
    r"|(?:i\s+don'?t\s+(?:know|understand)\s+(?:what\s+)?)['\"]?(?P<d>[a-z-]+)['\"]?(?:\s+means?)?)"
    r"\s*[?.!]*\s*$",
    re.IGNORECASE,
)


def gloss_for(text: str, step: Step) -> str | None:
    """The meaning of a word in ``step``'s glossary that ``text`` asks about, or None.

    Only a short question about one glossed word counts: an answer that uses the word is an answer.
    """
    if not step.glosses or len(text) > 80:
        return None
    match = _ASKS.match(text)
    if match is None:
        return None
    word = next(g for g in match.groups() if g is not None).lower()
    for key, meaning in step.glosses.items():
        if word in (key.lower(), key.lower().rstrip("s"), key.lower() + "s"):
            return meaning
    return None
