"""Understand answers to choice questions: numbers ("1 3"), labels or their words."""

from __future__ import annotations

import re

from dialogues.schema import Choice

_SEPARATORS = re.compile(r"\s*(?:,|;|/|&|\+|\band\b)\s*", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower().replace("-", " ")).strip()


def _by_words(text: str, choices: tuple[Choice, ...]) -> Choice | None:
    want = _norm(text)
    for choice in choices:
        names = {
            _norm(choice.label),
            _norm(choice.id.replace("_", " ")),
            *(_norm(a) for a in choice.aliases),
        }
        if want in names:
            return choice
    return None


def parse_choice(text: str, choices: tuple[Choice, ...]) -> Choice | None:
    """Return the one choice a message picks, by number or words, or None."""
    cleaned = text.strip().rstrip(".!")
    if cleaned.isdigit():
        index = int(cleaned)
        return choices[index - 1] if 1 <= index <= len(choices) else None
    return _by_words(cleaned, choices)


def parse_choices(text: str, choices: tuple[Choice, ...]) -> tuple[Choice, ...] | None:
    """Return the choices a message picks (several allowed), or None if any part is unclear."""
    single = parse_choice(text, choices)
    if single is not None:
        return (single,)
    picked = _split_parse(_SEPARATORS, text, choices) or _split_parse(_SPACES, text, choices)
    if not picked:
        return None
    if len(picked) > 1 and any(c.exclusive for c in picked):
        return None
    return tuple(picked)


def _split_parse(
    splitter: re.Pattern[str], text: str, choices: tuple[Choice, ...]
) -> list[Choice] | None:
    picked: list[Choice] = []
    parts = [p for p in splitter.split(text.strip()) if p.strip()]
    for part in parts:
        if (
            splitter is _SEPARATORS
            and part.strip().replace(" ", "").isdigit()
            and " " in part.strip()
        ):
            more = _split_parse(_SPACES, part, choices)
            if more is None:
                return None
            picked.extend(c for c in more if c not in picked)
            continue
        choice = parse_choice(part, choices)
        if choice is None:
            return None
        if choice not in picked:
            picked.append(choice)
    return picked or None
