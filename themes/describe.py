"""What a theme's description says it covers, as short texts to embed and to learn words from.

A codebook description names what belongs (often as a list: "turnover, caseloads and time, ...")
and then what does not ("Not for ..."). The exclusions name other themes' words, so they are cut
off before anything is learned from a description. Each listed item becomes a short text prefixed
with the theme's name ("Housing: hostels"), so a one-word item keeps its sense.
"""

from __future__ import annotations

import re

from themes.codebook import Theme

_EXCLUSION = re.compile(r"\b(?:not for|not about|excludes?|except)\b", re.IGNORECASE)
_ITEM_SPLIT = re.compile(r"[,;]|\band\b|\bor\b|\bincluding\b|\bsuch as\b|\be\.g\.", re.IGNORECASE)
MAX_ITEMS = 24


def covers(theme: Theme) -> str:
    """The description up to its first exclusion ("Not for ...")."""
    match = _EXCLUSION.search(theme.description)
    text = theme.description[: match.start()] if match else theme.description
    return text.strip().rstrip(".").strip()


def summary(theme: Theme) -> str:
    """The theme's name and what it covers: the text a description-only model compares with."""
    body = covers(theme)
    return f"{theme.name}: {body}" if body else theme.name


def items(theme: Theme) -> list[str]:
    """The listed items of what a theme covers, each as "Name: item" (may be empty)."""
    body = covers(theme)
    _, colon, rest = body.partition(":")
    listed = rest if colon else body
    out: list[str] = []
    for part in _ITEM_SPLIT.split(listed):
        part = part.strip(" .()'\"")
        if len(part) > 2 and f"{theme.name}: {part}" not in out:
            out.append(f"{theme.name}: {part}")
    return out[:MAX_ITEMS]
