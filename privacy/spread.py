"""How a found name spreads to the names that go with it.

Works on names already found, like ``spans``, and adds only names standing where a name stood:
- in the same list: "me, jj, [name] and lil sam", "first [name] then [name] (no h) then Shazia",
  "[name], fraser n [name]": a word next to a found name, joined by a comma, "and", "n", "&",
  "or" or "then", is a name too when it is no English word, a listed name, or two letters that
  are initials ("jj");
- in brackets after it: "Oluwaseun (Seun)", "Favour (Fav)": a short name, a nickname;
- a name that is also a word, written again: "foster carer [name]. Gem of a woman. Pearl never
  stopped": once a word is someone's name in an answer, the same word with a capital is the
  same person, and in lower case too unless it is an everyday word ("hope", "mark").
"""

from __future__ import annotations

import re
from functools import cache

from presidio_analyzer import RecognizerResult

from privacy.namefilter import AFTER_A_NAME, NOT_BEFORE_A_NAME
from privacy.recognizers.name_cues import NOT_NAMED, RELATIONS
from privacy.recognizers.names import SURE
from privacy.recognizers.wordlists import (
    STOP,
    ambiguous_names,
    dictionary_words,
    english_words,
    first_names,
    keep_words,
    made_from_english,
    place_words,
    towns,
)

_ITEM = r"(?:(?:lil|big|little)\s+)?[A-Za-z][A-Za-z'\-]*"
_ASIDE = r"(?:\s*\([^()\n]{1,20}\))?"  # "Sara (no h) then Shazia"
_JOIN = r"(?:\s*,\s*(?:(?:and|n|&|then)\s+)?|\s+(?:and|n|&|or|then)\s+)"
_AFTER = re.compile(_ASIDE + _JOIN + r"(?P<v>" + _ITEM + r")(?![\w'\-])")
_BEFORE = re.compile(r"(?<![\w'\-])(?P<v>" + _ITEM + r")" + _JOIN + r"$")
_TITLE_AFTER = re.compile(r" [A-Z][a-z]")
_BRACKETED = re.compile(r"\s*\(\s*(?P<v>[A-Za-z][a-z'\-]{1,20})\s*\)")
# After a word joined to a name, what makes it a verb or a clause: "Sarah and hope she's ok"
_CLAUSE_AFTER = re.compile(
    r"\s+(?:she|he|they|i|you|we|it|that|this|to|be|have|not|the|a|an|is|was|are|were)\b",
    re.IGNORECASE,
)
_RELATION = re.compile(rf"(?:{RELATIONS})", re.IGNORECASE)
_LABELS = frozenset("dob age aged nhs ni tel mob ref re number no name".split())  # noqa: SIM905
_MONTHS = frozenset("april may june july august".split())  # noqa: SIM905
_SHORT_WORDS = frozenset("tv pc ps hq st rd th nd mr ms dr xl bf gf bc ty gp sw".split())  # noqa: SIM905
_INITIALS = re.compile(r"[bcdfghj-np-tv-z]{2}")
# Word-names too common as words to remove in lower case when they come again.
_EVERYDAY = frozenset("hope mark rose joy faith grace will may bill summer dawn sky".split())  # noqa: SIM905


@cache
def _common() -> frozenset[str]:
    return english_words() | keep_words() | place_words() | towns() | STOP


def _is_item(word: str, cased: bool, between_names: bool = False) -> bool:
    """A word in a list with a name that is itself a name; ``between_names``: with a found name
    on either side ("lachlan, fraser n callum"), a word made like an English one is one too."""
    low = word.lower()
    bare = re.sub(r"^(?:lil|big|little)\s+", "", low)
    if word.isupper() and len(word) >= 2:
        return False  # "Headteacher, SENCO and DSL": acronyms and roles
    if "'" in bare or bare in _LABELS or bare in NOT_NAMED or bare in _MONTHS:
        return False  # "i'm", "he's"; "[name], DOB ..."; "[name] and June"
    if (
        not cased
        and word[0].isupper()
        and bare not in _common() - english_words()
        and not _RELATION.fullmatch(bare)
    ):
        return True  # "r Bev n Col": a capital a lower-case writer chose, next to a name
    if _INITIALS.fullmatch(bare) and bare not in STOP and bare not in _SHORT_WORDS:
        return True  # "me, jj, kez": two letters that are no word
    named = bare in first_names() or bare in ambiguous_names()
    made = made_from_english(bare) and not between_names
    if not named and (bare in _common() or _RELATION.fullmatch(bare) or made):
        return False
    if cased and not word[0].isupper() and bare not in first_names():
        return False  # a writer who uses capitals gives a name one
    if bare in first_names() or bare in ambiguous_names():
        return word[0].isupper() or bare not in english_words()  # "hope", not "will" in lower case
    return bare.isalpha() and len(bare) >= 3


def _between(text: str, m: re.Match[str], results: list[RecognizerResult]) -> bool:
    """Whether found names stand on both sides of the item, each one join away."""
    starts, ends = set(), set()
    for r in results:
        if r.entity_type != "PERSON":
            continue
        if after := _AFTER.match(text, r.end):
            starts.add(after.start("v"))
        if before := _BEFORE.search(text, max(0, r.start - 40), r.start):
            ends.add(before.end("v"))
    return m.start("v") in starts and m.end("v") in ends


def _same_case(item: str, partner: str) -> bool:
    """A lower-case item joins only a lower-case name ("fraser n callum"), or is a listed name:
    not "the care leaver bursary and Ms Kowalczyk"."""
    bare = re.sub(r"^(?:lil|big|little)\s+", "", item.lower())
    return item[:1].isupper() or partner[:1].islower() or bare in first_names()


def _word_name(word: str) -> bool:
    return word.islower() and word in ambiguous_names()


def listed_names(text: str, results: list[RecognizerResult], cased: bool) -> list[RecognizerResult]:
    """Names in the same list as a found name, and nicknames in brackets after one."""
    covered = [(r.start, r.end) for r in results]
    names = [r for r in results if r.entity_type == "PERSON"]
    found: list[RecognizerResult] = []
    while names:
        r = names.pop()
        candidates = [
            _AFTER.match(text, r.end),
            _BEFORE.search(text, max(0, r.start - 40), r.start),
        ]
        bracket = _BRACKETED.match(text, r.end)
        if bracket and not bracket.group("v").isupper():
            candidates.append(bracket)
        for m in candidates:
            if m is None or any(s < m.end("v") and m.start("v") < e for s, e in covered):
                continue
            if m is bracket:
                ok = bracket.group("v").lower() not in _common() or bracket.group("v")[0].isupper()
                ok = ok and _is_item(m.group("v"), cased=False)
            else:
                ok = (
                    _is_item(m.group("v"), cased, _between(text, m, results + found))
                    and _same_case(m.group("v"), text[r.start : r.end])
                    and not (m.group("v").islower() and _CLAUSE_AFTER.match(text, m.end("v")))
                    and not _TITLE_AFTER.match(text, m.end("v"))  # "Jane, Supervising Social"
                )
                # two words that are both names and words are no list of names ("grace and
                # patience", "holly and ivy") unless one has a capital
                ok = ok and not (_word_name(m.group("v")) and _word_name(text[r.start : r.end]))
            if not ok:
                continue
            new = RecognizerResult("PERSON", m.start("v"), m.end("v"), 0.55)
            covered.append((new.start, new.end))
            found.append(new)
            names.append(new)
    return found


def _after_a_determiner(text: str, start: int) -> bool:
    before = re.findall(r"[\w']+", text[max(0, start - 20) : start].lower())
    return bool(before) and before[-1] in NOT_BEFORE_A_NAME


def repeated_word_names(text: str, results: list[RecognizerResult]) -> list[RecognizerResult]:
    """Other places a found name that is also a word comes again ("Pearl", "amber")."""
    words = {
        text[r.start : r.end].lower()
        for r in results
        if r.entity_type == "PERSON" and re.fullmatch(r"[A-Za-z]{3,}", text[r.start : r.end])
    }
    words = {
        w
        for w in words
        if (w in ambiguous_names() or w in dictionary_words())
        and w not in english_words()
        and w not in keep_words()
        and w not in place_words()
        and w not in STOP
    } | {w for w in words if w in ambiguous_names() and w in english_words()}
    # a word named a person by a sure cue ("Favour is my name"): again wherever it has a capital
    words |= {
        text[r.start : r.end].lower()
        for r in results
        if r.entity_type == "PERSON"
        and r.score >= SURE
        and re.fullmatch(r"[A-Z][a-z]{2,}", text[r.start : r.end])
        and text[r.start : r.end].lower() not in STOP | place_words() | keep_words()
    }  # a town named as a person ("my PA Devon") stays a town elsewhere ("is from Devon")
    if not words:
        return []
    covered = [(r.start, r.end) for r in results]
    rx = re.compile(r"(?<![\w'])(" + "|".join(map(re.escape, sorted(words))) + r")(?![\w'])", re.I)
    return [
        RecognizerResult("PERSON", m.start(), m.end(), 0.55)
        for m in rx.finditer(text)
        if not any(s <= m.start() < e for s, e in covered)
        and (
            m.group()[0].isupper()
            or (
                m.group().lower() not in _EVERYDAY
                and AFTER_A_NAME.match(text, m.end())
                and not _after_a_determiner(text, m.start())
            )
        )  # "amber is the reason", not "jack it in" or "he was our buddy."
    ]
