"""The text the recognisers read: NFKC, look-alike letters, joined digits, digits said in words,
no long symbol runs.

The stored answer keeps the person's own characters: redaction runs on this normalised copy and
every span found is mapped back to the original through ``origin`` (one original index per
normalised character), so a phone number typed in fullwidth digits is found, and the stored
text reads "[phone number]", while an emoji or a curly quote elsewhere in the answer stays as written.

An answer written all in capitals is read in lower case (capitals then say nothing about names).

It also bounds the cost of any text before a model sees it: spaCy's tokenizer is quadratic on a
long run of symbols (2,000 emoji held it for over half a second, 24 KB of them for seconds), so
every run of emoji or other symbols becomes one space, and a run of the same punctuation mark is
cut to three.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Cyrillic and Greek letters drawn like Latin ones (Unicode confusables, the common subset).
LOOKALIKES = str.maketrans(
    "АВЕКМНОРСТХаеорсухіјѕԁɡΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοριυνχ",
    "ABEKMHOPCTXaeopcyxijsdgABEZHIKMNOPTYXaopiuvx",
)
# Categories read as a gap: symbols (emoji), format and private-use characters, enclosing marks.
_GAP = frozenset({"So", "Sk", "Cf", "Co", "Cn", "Cs", "Me"})
# Single digits each followed by one space, dot or dash: "0 7 9 1 2 ...", "9.4.3.4..."
_SPACED_DIGITS = re.compile(r"(?<!\d)\d(?:[ .\-]\d){5,}(?!\d)")
_REPEATED_MARK = re.compile(r"([^\w\s])\1{3,}")
# Letters typed for digits inside a number: "07700 9oo 51O" (after a group of three or more real
# digits, a group of digits and o, O, l or I with at least one real digit; never "bd7 1ll").
_DIGIT_LOOKALIKES = re.compile(
    r"(?<![\w'])[oO]?\d{3,}(?:[ .\-](?=[oOlI]*\d)[\doOlI]{2,}(?![\w']))*"
    r"[ .\-](?=[oOlI]*\d)(?=\d*[oOlI])[\doOlI]{2,}(?![\w'])(?:[ .\-][\doOlI]{2,}(?![\w']))*"
    # or a mobile number whose own first group has them: "o77oo 9oo 562", "O77OO 9OO l5O"
    r"|(?<![\w'])[oO]7[\doO]{3}(?:[ .\-]?(?=[oOlI]*\d)[\doOlI]{3}){2}(?![\w'])"
)
_AS_DIGITS = str.maketrans("oOlI", "0011")
# Digits said in words, as voice typing or a careful writer gives them: "oh seven seven double
# oh nine hundred three two one". A run of six or more digits is read as those digits.
_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_SAID = r"(?:(?:double|triple)\s+)?(?:" + "|".join(_DIGIT_WORDS) + r")(?:\s+(?:hundred|thousand))?"
_SAID_DIGITS = re.compile(rf"(?<![\w'])(?:{_SAID})(?:[\s,\-]+(?:{_SAID})){{4,}}(?![\w'])", re.I)
# Digits and said digits mixed, nine or more digits in all: "07700 900 two one two", "nine nine
# nine 2 three one nine four eight eight".
_MIXED_DIGITS = re.compile(
    rf"(?<![\w'])(?:{_SAID}|\d{{1,5}})(?:[\s,\-]+(?:{_SAID}|\d{{1,5}})){{2,}}(?![\w'])", re.I
)
# A postcode spelt aloud after the word: "my post code is S six two el tee" (S6 2LT).
_LETTER_NAMES = {
    "ay": "a", "bee": "b", "see": "c", "cee": "c", "dee": "d", "ee": "e", "ef": "f", "eff": "f",
    "gee": "g", "aitch": "h", "haitch": "h", "jay": "j", "kay": "k", "el": "l", "em": "m",
    "en": "n", "pee": "p", "cue": "q", "queue": "q", "ar": "r", "ess": "s", "tee": "t",
    "vee": "v", "ex": "x", "why": "y", "zed": "z", "zee": "z",
}  # fmt: skip
_SPELT = r"(?:" + "|".join([*_LETTER_NAMES, *_DIGIT_WORDS]) + r"|[a-z]|\d)"
_SAID_POSTCODE = re.compile(
    rf"\bpost\s?code(?:\s+is|:)?\s+(?P<v>{_SPELT}(?:[\s,\-]+{_SPELT}){{4,6}})(?![\w'])",
    re.IGNORECASE,
)
_SAID_WORD = re.compile(
    r"(?:(double|triple)\s+)?(" + "|".join(_DIGIT_WORDS) + r")(?:\s+(hundred|thousand))?", re.I
)


@dataclass(frozen=True)
class Normalised:
    """The normalised text, and for each of its characters the index it came from."""

    text: str
    origin: tuple[int, ...]
    ends: tuple[int, ...] = ()  # where each character's source ends, when a word became digits

    def span(self, start: int, end: int, original: str) -> tuple[int, int]:
        """Map ``[start, end)`` in the normalised text to the original text."""
        if not self.origin or start >= end:
            return start, end
        first = self.origin[start]
        last = self.ends[end - 1] if self.ends else self.origin[end - 1] + 1
        # A combining mark dropped after the last letter belongs to that letter.
        while last < len(original) and unicodedata.category(original[last]) == "Mn":
            last += 1
        return first, last


def _char(ch: str) -> str:
    if ch.isascii():
        return ch
    if unicodedata.category(ch) in _GAP:
        return " "
    folded = unicodedata.normalize("NFKC", ch).translate(LOOKALIKES)
    if folded and all(unicodedata.category(c) == "Mn" for c in folded):
        return ""  # a lone combining mark: "Jose\u0301" reads as "Jose"
    return folded


def normalise(text: str) -> Normalised:
    """Normalise ``text`` for the recognisers; see the module docstring."""
    out: list[str] = []
    origin: list[int] = []
    gap = False
    for i, ch in enumerate(text):
        folded = _char(ch)
        if folded == " " and not ch.isspace():
            if gap:
                continue  # a run of symbols is one gap
            gap = True
        else:
            gap = False
        for c in folded:
            out.append(c)
            origin.append(i)
    joined = "".join(out)
    letters = [c for c in joined if c.isalpha()]
    if len(letters) >= 8 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        # WRITTEN IN CAPITALS: read as lower case, so case tells the rules nothing false.
        joined = "".join(c.lower() if len(c.lower()) == 1 else c for c in joined)
    if _DIGIT_LOOKALIKES.search(joined):
        joined = _DIGIT_LOOKALIKES.sub(lambda m: m.group().translate(_AS_DIGITS), joined)
    ends = [o + 1 for o in origin]
    if _SAID_DIGITS.search(joined) or _SAID_POSTCODE.search(joined) or _mixed(joined):
        joined, origin, ends = _said_digits(joined, origin, ends)
    # Drop the separators inside spaced-out digits, and cut runs of one punctuation mark.
    keep = [True] * len(joined)
    for m in _SPACED_DIGITS.finditer(joined):
        for j in range(m.start() + 1, m.end(), 2):
            keep[j] = False
    for m in _REPEATED_MARK.finditer(joined):
        for j in range(m.start() + 3, m.end()):
            keep[j] = False
    if all(keep):
        return Normalised(joined, tuple(origin), tuple(ends))
    return Normalised(
        "".join(c for c, k in zip(joined, keep, strict=True) if k),
        tuple(o for o, k in zip(origin, keep, strict=True) if k),
        tuple(e for e, k in zip(ends, keep, strict=True) if k),
    )


def _said_digits(text: str, origin: list[int], ends: list[int]) -> tuple[str, list[int], list[int]]:
    """Write each run of six or more digits said in words as the digits."""
    out: list[str] = []
    new_origin: list[int] = []
    new_ends: list[int] = []
    last = 0
    runs = [(m.start(), m.end(), False) for m in _SAID_DIGITS.finditer(text)]
    runs += [(start, end, False) for start, end in _mixed(text)]
    runs += [(m.start("v"), m.end("v"), True) for m in _SAID_POSTCODE.finditer(text)]
    for start, stop, postcode in sorted(runs):
        if start < last:
            continue
        if postcode:  # each token one character: "el" -> "l", "six" -> "6", "S" -> "S"
            words = [
                (_spelt(m.group()), m.start(), m.end())
                for m in re.finditer(r"[a-z0-9]+", text[:stop], re.IGNORECASE)
                if m.start() >= start
            ]
        else:
            words = [
                (m.group() if m.group().isdigit() else _said(m), m.start(), m.end())
                for m in _SAID_OR_DIGITS.finditer(text, start, stop)
                if m.group().isdigit() or _said(m)
            ]
            if sum(len(w) for w, _, _ in words) < 6:
                continue
        out.append(text[last:start])
        new_origin += origin[last:start]
        new_ends += ends[last:start]
        for digits, start, end in words:
            out.append(digits)
            new_origin += [origin[start]] * len(digits)
            new_ends += [ends[end - 1]] * len(digits)
        last = stop
    out.append(text[last:])
    new_origin += origin[last:]
    new_ends += ends[last:]
    return "".join(out), new_origin, new_ends


_SAID_OR_DIGITS = re.compile(_SAID_WORD.pattern + r"|\d+", re.I)


def _mixed(text: str) -> list[tuple[int, int]]:
    """Runs of digits and said digits with at least one of each and nine digits or more."""
    runs = []
    for m in _MIXED_DIGITS.finditer(text):
        tokens = list(_SAID_OR_DIGITS.finditer(text, m.start(), m.end()))
        said = [t for t in tokens if not t.group().isdigit()]
        digits = sum(len(t.group()) if t.group().isdigit() else len(_said(t)) for t in tokens)
        if said and len(said) < len(tokens) and digits >= 9:
            runs.append(m.span())
    return runs


def _said(m: re.Match[str]) -> str:
    """ "double oh" -> "00", "nine hundred" -> "900", "seven" -> "7"."""
    digit = _DIGIT_WORDS.get(m.group(2).lower(), "")
    times = {"double": 2, "triple": 3}.get((m.group(1) or "").lower(), 1)
    zeros = {"hundred": 2, "thousand": 3}.get((m.group(3) or "").lower(), 0)
    return digit * times + "0" * zeros if digit else ""


def _spelt(token: str) -> str:
    low = token.lower()
    return _LETTER_NAMES.get(low) or _DIGIT_WORDS.get(low) or token
