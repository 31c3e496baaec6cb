"""The text the recognisers read: NFKC, look-alike letters, joined digits, no long symbol runs.

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


@dataclass(frozen=True)
class Normalised:
    """The normalised text, and for each of its characters the index it came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int, original: str) -> tuple[int, int]:
        """Map ``[start, end)`` in the normalised text to the original text."""
        if not self.origin or start >= end:
            return start, end
        first = self.origin[start]
        last = self.origin[end - 1] + 1
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
    # Drop the separators inside spaced-out digits, and cut runs of one punctuation mark.
    keep = [True] * len(joined)
    for m in _SPACED_DIGITS.finditer(joined):
        for j in range(m.start() + 1, m.end(), 2):
            keep[j] = False
    for m in _REPEATED_MARK.finditer(joined):
        for j in range(m.start() + 3, m.end()):
            keep[j] = False
    if all(keep):
        return Normalised(joined, tuple(origin))
    return Normalised(
        "".join(c for c, k in zip(joined, keep, strict=True) if k),
        tuple(o for o, k in zip(origin, keep, strict=True) if k),
    )
