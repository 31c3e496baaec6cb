"""Keywords that work at any step. A keyword is the whole message, in any case.

"help me" is not a keyword: sentences go to the risk check and the current question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

KeywordName = Literal["bye", "stop", "help", "skip", "new", "privacy", "delete", "start", "contact"]

# STOP and the words Twilio treats as STOP on UK long codes (channels.md): always obeyed.
_WORDS: dict[str, KeywordName] = {
    "bye": "bye",
    "goodbye": "bye",
    "stop": "stop",
    "stopall": "stop",
    "unsubscribe": "stop",
    "cancel": "stop",
    "end": "stop",
    "quit": "stop",
    "help": "help",
    "info": "help",
    "skip": "skip",
    "new": "new",
    "privacy": "privacy",
    "delete": "delete",
    "start": "start",
    "unstop": "start",
    "contact": "contact",  # only acts after a consented-contact offer; otherwise ordinary text
    "exit": "stop",
}
# Keywords that stay ordinary words when other words come with them ("new please" is an answer;
# "help me" and "help please" are cries for help, read by the risk check and the question).
_NOT_POLITE = {"new", "contact", "start", "delete", "privacy", "info", "end", "help"}
_TRAILING = re.compile(r"[\s.!?]+$")
# Polite words around a keyword ("stop please", "please STOP", "skip this one") leave it a
# keyword: an independent tester's "stop please" was stored as an answer. "stop it" stays a
# sentence (it may be said about someone), as do "help me" and "please help" (below).
_POLITE = re.compile(
    r"^(?:(?:please|pls|plz|just)\s+)*(\w+)"
    r"(?:\s+(?:please|pls|plz|now|thanks|thank you|ty|this one|this))*$"
)
_ARG = re.compile(r"^(delete|start)\s+([a-z0-9][a-z0-9 -]{2,30})$", re.IGNORECASE)


@dataclass(frozen=True)
class Keyword:
    """A recognised keyword and its argument (the code after DELETE or START)."""

    name: KeywordName
    argument: str | None = None


def parse_keyword(text: str) -> Keyword | None:
    """Return the keyword a whole message is, or None."""
    cleaned = _TRAILING.sub("", text.strip()).strip()
    word = cleaned.lower()
    polite = _POLITE.match(word)
    if polite and polite.group(1) in _WORDS and polite.group(1) not in _NOT_POLITE:
        word = polite.group(1)
    if word in _WORDS:
        return Keyword(_WORDS[word])
    match = _ARG.match(cleaned)
    if match:
        name: KeywordName = "delete" if match.group(1).lower() == "delete" else "start"
        return Keyword(name, match.group(2).strip())
    return None
