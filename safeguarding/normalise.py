# ruff: noqa: RUF001  (look-alike letters are the point of this module)
"""Normalise a message before it is judged, so disguised words read as the words they are.

Order: NFKC; drop zero-width and control characters; lower case; drop apostrophes; look-alike
letters (Cyrillic and Greek) inside words that also hold Latin letters; digits and symbols for
letters inside words (``k1ll``, ``mys3lf``, ``su1c1de``); spaced-out words (``k i l l``) when the
joined word is one we know; common euphemisms (``unalive``, ``sewerslide``, ``kms``, ``kys``).

Ordinary text is left alone: a number standing on its own (``asking 4 pics``, ``ring 0800
1111``, ``year 9``, dates) is never touched, and a digit is read as a letter only with a letter
on each side of it. Pure functions, no state: the rules and the learned model both read this.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Cyrillic and Greek letters that look like Latin ones (lower case; upper case is folded first).
_LOOKALIKE = str.maketrans(
    {
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ɡ": "g", "һ": "h", "ӏ": "l", "ԛ": "q", "ԝ": "w",
        "α": "a", "β": "b", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u",
        "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "c",
        "ı": "i",
    }
)  # fmt: skip
_FOREIGN = re.compile(r"[\u0370-\u03ff\u0400-\u052f\u0131\u0261]")
_LATIN = re.compile(r"[a-z]")

# A digit or symbol read as a letter only between two letters (k1ll, h4rm, mys3lf, d!e).
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_RUN = re.compile(r"(?<=[a-z])[013457@$!]+(?=[a-z])")
_WORDISH = re.compile(r"\S+")

# Words people space out to get past filters; joined only when the result is one of these.
_SPACED_WORDS = frozenset(
    (
        *("kill", "killing", "die", "dying", "dead", "suicide", "suicidal", "myself", "self"),
        *("harm", "cut", "cutting", "hang", "hanging", "overdose", "od", "pills", "rape"),
        *("raped", "abuse", "abused", "hurt", "hit", "hits", "beat", "beats", "touch"),
        *("touches", "touched", "kms", "kys", "unalive", "end", "it", "help", "scared"),
        *("unsafe", "knife", "rope", "jump", "bleed", "blood", "hate"),
    )
)
_SPACED = re.compile(r"(?<![a-z0-9])(?:[a-z][ .\-_*]){2,}[a-z](?![a-z0-9])")

# Euphemisms and filter-dodging spellings, as whole words, with what they mean.
_EUPHEMISMS: tuple[tuple[str, dict[str, str], str], ...] = (
    (r"unaliv(?:e|ed|es|ing)", {"unalived": "killed", "unaliving": "killing"}, "kill"),
    (r"sewer ?slid(?:e|ing)|sewer-slide|suey ?slide|suicide ?mouse", {}, "suicide"),
    (r"self[ -]?delet(?:e|ing)|self ?yeet", {}, "kill myself"),
    (r"kms", {}, "kill myself"),
    (r"kys", {}, "kill yourself"),
    (r"ctb", {}, "suicide"),
    (r"s/h|self[ -]?h(?:a|ar)m", {}, "self harm"),
    (r"seggs|secks", {}, "sex"),
    (r"graped|gr@ped", {}, "raped"),
    (r"nudes?|noodz|noods", {}, "nude pictures"),
)
_EUPHEMISM_RES = tuple(
    (re.compile(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])"), exact, default)
    for pattern, exact, default in _EUPHEMISMS
)
_APOSTROPHES = str.maketrans({"'": "", "\u2019": "", "\u2018": "", "`": ""})
_REPEATS = re.compile(r"([a-z])\1{2,}")


def _unlook(word: str) -> str:
    if _FOREIGN.search(word) and _LATIN.search(word):
        return word.translate(_LOOKALIKE)
    return word


def _unleet(word: str) -> str:
    if not _LATIN.search(word) or ("." in word and "@" in word):
        return word  # numbers, dates, phone numbers and email addresses stay as they are
    return _LEET_RUN.sub(lambda m: "".join(_LEET[c] for c in m.group(0)), word)


def _unspace(match: re.Match[str]) -> str:
    joined = re.sub(r"[ .\-_*]", "", match.group(0))
    return joined if joined in _SPACED_WORDS else match.group(0)


def _meaning(exact: dict[str, str], default: str) -> Callable[[re.Match[str]], str]:
    return lambda m: exact.get(m.group(0), default)


def normalise(text: str) -> str:
    """The message as the detector reads it: lower case, one space between words."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in {"Cf", "Cc"} or ch in "\n\t"
    )
    text = text.lower().translate(_APOSTROPHES)
    text = _WORDISH.sub(lambda m: _unleet(_unlook(m.group(0))), text)
    text = re.sub(r"[ \t]+", " ", text)
    text = _SPACED.sub(_unspace, text)
    text = _REPEATS.sub(r"\1\1", text)
    for pattern, exact, default in _EUPHEMISM_RES:
        text = pattern.sub(_meaning(exact, default), text)
    return re.sub(r"\s+", " ", text).strip()
