"""Names the statistical model misses: lower-case, hyphenated and non-English first names. Three
signals, each cited to the pattern it captures in the consultation's answers:
- a first-name list (``privacy/data/first_names.txt``, compiled by hand, Apache-2.0);
- names that are also ordinary words ("Grace", "Will", "May") only with context: a relation or
  role word before them ("my sister grace", "my sw Helen"), a self-introduction ("my names
  Precious"), "X from <team>", or "X and <name>";
- titles ("Mrs Patel", "Dr Williams") and a capitalised surname after a first name.
"""

from __future__ import annotations

import re

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from privacy.recognizers.base import result_for
from privacy.recognizers.name_cues import (
    _ABBREVIATED,
    _AND_I,
    _ARTICLE,
    _CAME_TO,
    _CLAUSE_END,
    _DAY_BEFORE,
    _HERE,
    _MONTHS,
    _NICK_LETTER,
    _NICKNAME,
    _NICKNAME_CUE,
    _NOT_AN_INTRO,
    _OUR,
    _PLACE_BEFORE,
    _RELATION_BEFORE,
    _RELATION_WORD,
    _RENAMED,
    _STREET_WORDS,
    _STRONG_CUE,
    _WORD_TITLES,
    CUE_AFTER,
    CUE_BEFORE,
    IMPERATIVES,
    INTRO,
    KIN_TITLE,
    MY_NAME_AFTER,
    NOT_NAMED,
    PLACE_NOUN_AFTER,
    RELATION_AFTER,
    RELATIONS,
    RIGHT_AFTER_RELATION,
    THING_AFTER,
    TITLES,
    ends_sentence,
    in_a_list_of_things,
    is_cased,
    relation_word,
    surname_of_household,
    where_towns_go,
)
from privacy.recognizers.wordlists import (
    STOP,
    ambiguous_names,
    dictionary_words,
    english_words,
    first_names,
    keep_words,
    made_from_english,
    misspelt,
    ordinary_words,
    place_words,
    towns,
)

_LABELS = frozenset("dob nhs ni ref tel mob aka age id no dr".split())  # noqa: SIM905
SURE = 0.75  # a name by its cue, kept even when the word is a town (the redactor checks)
_LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_NEXT_WORD = re.compile(rf"\s([{_LETTER}][{_LETTER}'\-]*)")
_WORD = re.compile(rf"[{_LETTER}][{_LETTER}'\u2019]*(?:-[{_LETTER}]+)*")


class FirstNameRecognizer(EntityRecognizer):
    """Person names from a name list and context; see the module docstring for the rules."""

    ENTITY = "PERSON"

    def __init__(self) -> None:
        self._names = first_names()
        self._ambiguous = ambiguous_names()
        self._keep = keep_words()
        self._relation = re.compile(
            rf"\b(?:{RELATIONS})\b,?(?:\s+(?:called|named|is|was|were|are|r|of|to))?\s+$",
            re.IGNORECASE,
        )
        # "Mrs Patel", "Mr and Mrs Okafor" (the pair of titles is one title)
        self._title = re.compile(
            rf"\b((?:(?:mr|mrs|ms|dr)\.?\s*(?:and|&)\s*)?(?:(?:{_ABBREVIATED})\.?|{TITLES}))\s+$",
            re.IGNORECASE,
        )
        self._ordinary = ordinary_words() - self._ambiguous
        # Cues that a word that is also a name is a name here: "tell hope", "me n chidi",
        # "faith is my worker", "hope said", "summer my foster sister", "amber and me".
        self._cue_before = CUE_BEFORE
        # "known to staff as Tee", "she goes by Mo", "nicknamed Tiny": any word after is a name
        self._named_as = re.compile(
            r"(?:\bknown(?:\s+to\s+[a-z]+)?\s+as|\bknows?\s+me\s+as|\b(?:go|goes|went|going)\s+by|"
            r"\bnicknamed|\bcalls?\s+"
            r"(?:him|her|them)sel(?:f|ves))\s+$",
            re.IGNORECASE,
        )
        self._cue_after = CUE_AFTER
        self._dictionary = dictionary_words()
        # "gethin n dafydd", "steph n [name]": two rare words joined are two names.
        self._pair = re.compile(r"\s+(?:n|and|&)\s+([a-z][a-z'-]*)", re.IGNORECASE)
        self._pair_before = re.compile(r"([a-z][a-z'-]*)\s+(?:n|and|&)\s+$", re.IGNORECASE)
        self._verb_after = re.compile(
            r"\s+(?:up|out|in|off|a|an|the|me|my|his|him|her|us|them|it|to|our|their)\b"
        )
        # After a word-name, a modal's words make it the verb: "my husband will not let me"
        self._modal_after = re.compile(r"\s+(?:not|never|always|be|have)\b")
        self._from = re.compile(
            r"\s+from\s+(?!(?:nothing|scratch|there|here|home|school|work|day|time|birth|the\s+(?:"
            r"ashes|dead|grave|bottom|top|start|beginning|ground|floor))\b)"
            r"(?:the\s+)?[a-z]",
            re.IGNORECASE,
        )
        self._intro = re.compile(rf"(?:^|[\s,.!?])(?:{INTRO})\s+$", re.IGNORECASE)
        super().__init__(
            supported_entities=[self.ENTITY], name="FirstNameRecognizer", supported_language="en"
        )

    def load(self) -> None:
        """Nothing to load: the lists are read once per process."""

    def _is_name_word(
        self, word: str, before: str, after: str, sentence_start: bool, cased: bool
    ) -> float:
        low = word.lower().replace("\u2019", "'")
        low = low[:-2] if low.endswith("'s") else low
        if (
            low in STOP
            or low in self._keep
            or relation_word(low)
            or (word.isupper() and low in _LABELS)
        ):
            return 0.0
        capitalised = word[0].isupper() and not word.isupper()
        title_before = self._title.search(before) if capitalised or not cased else None
        initials = word.isupper() and 2 <= len(word) <= 3 and low not in _LABELS | self._keep
        relation = (
            RIGHT_AFTER_RELATION.search(before) if capitalised or initials or not cased else None
        )
        if (
            relation
            and not (capitalised or initials)
            and not (
                low in towns()
                or low in self._names
                or not (made_from_english(low) or misspelt(low, english_words()))
            )
        ):
            relation = None  # in lower case or capitals, a name-like word: "MY SW CHESTER IS"
        if (
            relation
            and not sentence_start
            and low not in NOT_NAMED
            and not (
                low in place_words() and (relation.group("comma") or PLACE_NOUN_AFTER.match(after))
            )
        ):
            return SURE  # "my PA Devon", "my grandson Ty": even a town or a word
        if MY_NAME_AFTER.match(after) or (low in place_words() and RELATION_AFTER.match(after)):
            return SURE  # "preston is my brother", "Favour is my name"
        if len(low) >= 2 and low not in english_words() and KIN_TITLE.search(before):
            return 0.65  # "auntie mags", "nanna jean"
        if (
            title_before
            and (capitalised or not cased)
            and title_before.group(1).lower().rstrip(".") not in _WORD_TITLES
            and low not in self._keep
        ):
            return 0.8  # "Mr Kent", "Mrs Price": after a title, a capital names a person
        owner = word.endswith(("'s", "\u2019s"))  # "Amir's review" is Amir's
        if low in self._ordinary or (THING_AFTER.match(after) and not title_before and not owner):
            return 0.0  # "the Supporting Families programme"
        if low in self._ambiguous and in_a_list_of_things(before, after):
            return 0.0  # "Bronze n Silver n Gold", "Marks and Spencer"
        if low in _MONTHS and (_DAY_BEFORE.search(before) or re.match(r"\s+\d", after)):
            return 0.0  # "the 3rd of June", "June 3rd"
        parts = low.split("-")
        capitalised = word[0].isupper() and not word.isupper()
        listed = low in self._names or parts[0] in self._names
        if not listed and low.endswith("s") and low[:-1] in self._names and not word.isupper():
            listed = not made_from_english(low)  # "jordans phone", "its bevs phone"
        if cased and word.isupper() and len(low) >= 3 and listed:
            capitalised = True  # a name in capitals, as notes write surnames ("Res. OKAFOR")
        if cased and not capitalised:
            return 0.0  # a writer who uses capitals gives a name one
        ambiguous = low in self._ambiguous or parts[0] in self._ambiguous
        # A rare word (in no dictionary or list) right after a cue is most likely a name.
        rare = (
            low.isalpha()
            and len(low) >= 3
            and bool(self._dictionary)
            and low not in self._dictionary
            and low not in self._ambiguous
            and not made_from_english(low)  # "and laughed", "tell landlords", "n overcrowding"
            and not (len(low) >= 6 and misspelt(low, english_words()))  # "worker actualy listens"
        )
        title = self._title.search(before)
        if title and (
            capitalised or listed or rare or title.group(1).lower().rstrip(".") not in _WORD_TITLES
        ):
            return 0.8
        if low in towns() and capitalised and where_towns_go(before, after, towns()):
            return 0.0  # "we live in Hastings", "moved from Stanley", "Wigan and Leigh"
        if low in place_words() and not _RELATION_BEFORE.search(before):
            return 0.0  # "Youth worker, Ceredigion.", but "My brother Chester was in care"
        if self._named_as.search(before) and (capitalised or not cased) and len(low) >= 2:
            return 0.65
        if capitalised and _RENAMED.search(before):
            return 0.65  # "we changed it to Eve"
        # "im chidi", "my names Precious." but not "im gutted she left": after "im" a rare word
        # must look like a name or end the clause.
        intro = (
            self._intro.search(before)
            and not _NOT_AN_INTRO.search(before)  # "if im lucky", "cos im tired"
            and (capitalised or listed or ambiguous or _CLAUSE_END.match(after))
        )
        context = self._relation.search(before) or intro
        if intro and len(low) == 2 and low not in self._ordinary and _CLAUSE_END.match(after):
            return 0.6  # "im ty, 17", "im jo btw": two letters where a name is introduced
        if listed and not (word.islower() and _ARTICLE.search(before)):
            return 0.7  # not "its a blessing"
        if surname_of_household(low, capitalised, rare, before, after, cased):
            return 0.7
        if ambiguous and capitalised and self._before_surname(after):
            return 0.65  # "Victoria Climbié", "Grace Okafor"
        if (
            capitalised
            and _AND_I.match(after)
            and len(low) >= 2
            and low not in place_words()
            and not re.search(r"[A-Z][\w'\-]*\s+$", before)  # "Hull City and I"
        ):
            return 0.65  # "Geoff and I are at ...": who stands with "I" is a person
        if (
            ambiguous
            and capitalised
            and not cased
            and not sentence_start
            and low not in _MONTHS
            and not _PLACE_BEFORE.search(before)  # "the coach from Victoria"
            and not re.search(r"\b(?:the|a|an)\s+$", before, re.IGNORECASE)  # "the Duke of"
        ):
            return 0.65  # "the last one Precious was amazing": capitals a lower-case writer chose
        if capitalised and _OUR.search(before) and rare:
            return 0.65  # "Our Bex (my daughter's eldest)": "our" and a word in no dictionary
        if ambiguous and capitalised and not sentence_start and _OUR.search(before):
            return 0.65  # "Our Jack's lad"
        if ambiguous and _NICKNAME_CUE.search(before):
            return 0.65  # "big mo and lil T", "big mo's cellmate"; not "a big mark"
        cue = self._cue_before.search(before) or self._cue_after.match(after)
        if low in _MONTHS and not context:  # "its august": a month, unless a relation says not
            cue = None
        owns = word.lower().replace("\u2019", "'").endswith("'s") and re.match(r"\s+[a-z]", after)
        if ambiguous and capitalised and owns and low not in _MONTHS:
            return 0.65  # "Will's allowance", "Grace's mum": a word-name that owns something
        if ambiguous and (
            (context and not self._verbal(after) and not self._modal_after.match(after))
            or (cue and not sentence_start)
            or self._cue_after.match(after)
            or (self._from.match(after) and sentence_start)
            or (capitalised and not sentence_start and re.match(r"\s+and\s+[A-Z]", after))
        ):
            return 0.65
        if (
            sentence_start
            and (rare or ambiguous or listed or (capitalised and low not in IMPERATIVES))
            and _HERE.match(after)
            and len(low) >= 2
            and not _RELATION_WORD.fullmatch(low)  # "gran here."
        ):
            return 0.6  # "Tee here. need a bed": who is writing, as they sign a message
        if (capitalised or ambiguous or listed) and _CAME_TO.match(after):
            return 0.6  # "Hope came to us as a newborn"; not "the nursery came to us"
        if capitalised and not sentence_start and _STRONG_CUE.search(before):
            return 0.6  # "ask for Shell", "tell Bill"; not "and Christmas"
        if context and (capitalised or (rare and not self._verb_after.match(after))):
            return 0.6
        if rare and (cue or self._paired(after, before)):
            return 0.6
        if context and "-" in low and all(p in self._names or p in self._ambiguous for p in parts):
            return 0.6
        return 0.0

    def _verbal(self, after: str) -> bool:
        """A particle or object after the word makes it a verb ("drew up"), but not a town
        ("nanna jean in rotherham")."""
        town = re.match(r"\s+(?:in|from|at)\s+([a-z][a-z'\-]+)", after, re.IGNORECASE)
        if town and town.group(1).lower() in towns():
            return False
        return bool(self._verb_after.match(after))

    def _before_surname(self, after: str) -> bool:
        """Followed by a capitalised word in no dictionary or list: a surname."""
        m = _NEXT_WORD.match(after)
        if not m:
            return False
        nxt = m.group(1)
        low = nxt.lower()
        return (
            len(low) >= 3
            and nxt[0].isupper()
            and nxt[1:2].islower()
            and bool(self._dictionary)
            and low not in self._dictionary
            and low not in self._ordinary
            and low not in self._ambiguous
            and low not in STOP
            and low not in self._keep
            and low not in place_words()
        )

    def _paired(self, after: str, before: str) -> bool:
        """Joined by "n" or "and" to another rare word or a listed name: "gethin n dafydd"."""
        for m in (self._pair.match(after), self._pair_before.search(before)):
            if m:
                other = m.group(1).lower()
                if other in self._names or (
                    other not in self._dictionary
                    and other not in self._ordinary
                    and other not in STOP
                    and len(other) >= 3
                ):
                    return True
        return False

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None
    ) -> list[RecognizerResult]:
        """Find names by list and context, extending each to a capitalised surname after it."""
        results: list[RecognizerResult] = []
        words = list(_WORD.finditer(text))
        cased = is_cased(text)
        found: list[tuple[int, int, float]] = []
        for i, m in enumerate(words):
            before = text[max(0, m.start() - 40) : m.start()]
            after = text[m.end() : m.end() + 45]
            sentence_start = i == 0 or ends_sentence(text, m.start())
            score = self._is_name_word(m.group(), before, after, sentence_start, cased)
            if not score:
                continue
            start, end = m.span()
            title = self._title.search(before)
            if title:
                start = m.start() - len(before) + title.start()
            if i + 1 < len(words):
                nxt = words[i + 1]
                gap = text[m.end() : nxt.start()]
                word = nxt.group()
                if (
                    gap == " "
                    and word[0].isupper()
                    and word.lower() not in STOP
                    and word.lower() not in self._keep
                    and word.lower() not in _STREET_WORDS
                ):
                    end = nxt.end()  # "Sarah Jones", not "Marlow Street" (an address)
            nick = _NICKNAME.search(text[:start])
            if nick:
                start = nick.start()  # "big dev", "lil kay": the nickname is the name
            found.append((start, end, score))
        # "lil j", "big t": a letter after a nickname word is a name.
        found += [(m.start(), m.end(), 0.6) for m in _NICK_LETTER.finditer(text)]
        # A listed name next to an ambiguous one ("Mark and Julie"): the pair is two names.
        for i, m in enumerate(words[:-2]):
            if words[i + 1].group().lower() == "and" and m.group()[0].isupper():
                partner = words[i + 2]
                if (
                    any(s <= partner.start() < e for s, e, _ in found)
                    and m.group().lower() in self._ambiguous
                ):
                    found.append((m.start(), m.end(), 0.6))
        best: dict[tuple[int, int], float] = {}
        for start, end, score in found:
            best[(start, end)] = max(score, best.get((start, end), 0.0))
        for (start, end), score in best.items():
            if any(s <= start and end <= e and (s, e) != (start, end) for s, e in best):
                continue  # "Jones" inside "Sarah Jones"
            results.append(result_for(self, self.ENTITY, start, end, score))
        return results
