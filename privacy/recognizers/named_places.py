"""Named places that point to a person: a children's home, unit, hostel, ward, agency or club.

"Larkspur House", "bramble ward", "the greenhouse foyer", "the arches youth club", "Brightlings
Fostering office", "Ward 4B", "from the willows". Towns, counties and national organisations stay
(LOCATION and ORG are kept by the default policy); only a place with its own name goes.
Source: how the consultation's answers name places (Ofsted's register names children's homes
"<Name> House/Lodge/View", wards "<Tree/flower> Ward"), with generic phrases ("the children's
home", "a mental health ward", "the youth club") excluded.
"""

from __future__ import annotations

import re
from typing import ClassVar

from privacy.recognizers.base import SpanPatternRecognizer
from privacy.recognizers.wordlists import GENERIC, PLACE_ADJECTIVES

_KIND = r"house|lodge|view|grange|manor|hall|towers|gardens|cottage|farm|court|(?-i:Point|Heights)"
_SERVICE = (
    r"ward|unit|foyer|hostel|youth club|youth centre|youth center|fostering (?:office|agency)|"
    r"children'?s home|care home|mosque|church|chapel|gurdwara|family cent(?:re|er)|"
    r"children'?s cent(?:re|er)|contact cent(?:re|er)|family hub|refuge|night ?shelter|shelter|"
    r"hotel|b&b|bed and breakfast|supported lodgings|mother and baby unit|secure unit|"
    r"short breaks unit|recovery cent(?:re|er)|treatment cent(?:re|er)|resource cent(?:re|er)|"
    r"community hub|hub|hospital|infirmary|day cent(?:re|er)|drop[- ]in(?: cent(?:re|er))?|(?-i:Fostering)|(?-i:Foster Care)|(?-i:Adoption(?:\s+(?:Centre|Agency|Service|Services|Society|Team))?)|residential|mbu|"
    r"project|supported housing|supported accommodation|supported lodgings|wing|"
    r"cent(?:re|er)"
)
# Prisons and young offender institutions, as HM Prison & Probation Service names them.
_PRISON = r"hmp\s*(?:&|and|/)\s*yoi|hmp|hmyoi|hm\s+prison|hm\s+yoi|yoi|hmp/yoi"
# Where someone is living or placed: "staying at Meadowbank", "remains at Oakfield".
_STAYING = (
    r"placed|staying|stays|stayed|stay|living|lives|live|lived|remains|remained|remain|housed|"
    r"based|work|works|worked|working|volunteer|volunteers|volunteered"
)
_TREES = (
    r"willows|hollies|beeches|elms|oaks|limes|laurels|cedars|pines|firs|maples|poplars|birches|"
    r"larches|rowans|hawthorns|chestnuts|sycamores|grange|gables|meadows|orchards|arches|acorns|"
    r"lindens|briars|brambles|laburnums"
)
# The last word of a place's name ("Holly Bank", "Ash Grove"), after a capitalised first word.
_PLACE_ENDS = frozenset(
    """
    bank park hill court house lodge view grange fields field green mount rise end close side
    wood woods lea dene brook gate croft heath meadow meadows place grove gardens hall manor
    towers cottage farm vale dale leigh hurst crest oaks elms pines willows beeches birches firs
    limes hollies cedars trees acres gables
    """.split()  # noqa: SIM905
)
# "Mums arrive at Larchfield", "he was at Greystones", "came from Ashdene": being somewhere.
_ARRIVED = re.compile(
    r"\b(?:arrive|arrives|arrived|arriving|been|was|were|is|are|went|go|goes|came|come|comes|"
    r"moved|ran away|run away|back|stayed|returned|collected|picked up|dropped off|girl|boy|kid|"
    r"kids|child|children|lad|lass|staff|resident|residents|manager|worker|workers|"
    r"someone|anyone)\s+"
    r"(?:at|from)\s+$",
    re.IGNORECASE,
)
_STREET_KINDS = frozenset("lane road street avenue close drive grove crescent terrace".split())  # noqa: SIM905
# Services named in capitals that are no place of their own ("from the Police").
_SERVICES = frozenset(
    "police council court school college hospital home nhs gp jobcentre army navy".split()  # noqa: SIM905
)
_WORD = r"[a-z][a-z'\-]+"
_NAME = r"(?:(?:st\.?|saint)\s+)?(?:" + _WORD + r"\s+){0,2}" + _WORD
_DETERMINERS = frozenset("a an the our my their his her this that your its whole own same".split())  # noqa: SIM905


class NamedPlaceRecognizer(SpanPatternRecognizer):
    """A home, unit, ward, hostel, agency or club with a name of its own (see module docstring)."""

    ENTITY = "NAMED_PLACE"
    PATTERNS = (
        # "Larkspur House", "oak lodge", "maple view", "Hawthorn Lodge in Lincolnshire"
        (
            "named building",
            r"(?<![\w'])(?P<v>" + _NAME + r"\s+(?:" + _KIND + r"))(?![\w'])"
            r"(?!\s+(?:school|academy|college|primary|high|infants?|juniors?)\b)",  # a school's name
            0.75,
        ),
        # "bramble ward", "the greenhouse foyer", "st vincent's hostel", "the arches youth club",
        # "Brightlings Fostering office", "Holmleigh children's home"
        (
            "named service",
            r"(?<![\w'])(?P<v>" + _NAME + r"\s+(?:" + _SERVICE + r"))(?=(?:'s)?(?![\w']))",
            0.75,
        ),
        # Welsh: "tŷ coch" (a house named "red house"), "moved from ty enfys"
        (
            "Welsh house name",
            r"(?<![\w'])(?P<v>t\u0177\s+[a-z\u00e2\u00ea\u00ee\u00f4\u00fb\u0175\u0177]{3,})(?![\w'])",
            0.55,
        ),
        (
            "Welsh house name, no accent",
            r"\b(?:at|from|in|to)\s+(?P<v>ty\s+(?!(?:for|so|x|xx|lol)\b)[a-z]{4,})(?![\w'])",
            0.55,
        ),
        # "Ward 4B", "unit 3"
        (
            "numbered ward",
            r"(?<![\w'])(?P<v>(?:ward|unit)\s+\d+[a-z]?)(?![\w'])(?!\s+(?:months?|weeks?|days?|yrs|years?|miles?|mins?|minutes?|hours?|hrs))",
            0.5,
        ),
        # "from the willows", "a unit called The Hollies"
        (
            "the trees",
            r"(?<![\w'])(?:at|in|from|to|called|named|left|of|then|and|n|bout|about|is|was|like|"
            r"hate|love|miss)\s+"
            r"(?P<v>the\s+(?:" + _TREES + r"))"
            r"(?![\w'])",
            0.5,
        ),
        # "at Fernlea, a 4 bed home in Derbyshire"
        (
            "named then described",
            r"(?<![\w'])(?P<v>(?-i:[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)),\s+(?:a|an|the|our)\s+"
            r"(?:(?:\d+[- ]bed(?:ded)?|small|residential|children's|secure|care|emergency)\s+)*"
            r"(?:home|unit|hostel|house|foyer|placement)\b",
            0.6,
        ),
        # "HMP Styal", "hmyoi wetherby", "HMP & YOI Askham Grange"
        (
            "prison",
            r"(?<![\w'])(?P<v>(?:" + _PRISON + r")\s+[a-z][a-z'\-]+"
            r"(?:\s+(?:(?-i:[A-Z][a-z'\-]+)|" + _KIND + r"|[a-z]+(?=\s+(?:" + _KIND + r")\b)))?"
            r"(?:\s+(?:" + _KIND + r"))?)(?![\w'])",
            0.7,
        ),
        # (before the patterns below, which would take the same word by other rules)
        # "left at Larchwood", "moved to Hilltop", "hate it at rosewood": a word shaped like a
        # place's own name (-wood, -field, -view, -acres ...), in no dictionary and no town
        (
            "place-shaped word",
            r"\b(?:at|in|to|from|into|left|leave|leaving|like|hate|love|miss|called|then|about|"
            r"bout)\s+"
            r"(?P<v>[a-z]{3,}(?:wood|field|fields|bank|view|side|acres|top|gate|stones|mere|hill|lands|crest|"
            r"brook|croft|lea|dene|hurst|ridge|moor|meadow|meadows|grange|lodge|mount|ley|leigh|vale|"
            r"dale|wick|holme|garth|haven|well|way))(?![\w'])",
            0.5,
        ),
        # "staying at Meadowbank", "remains at Oakfield": one capitalised word in no dictionary
        (
            "staying at",
            r"\b(?:" + _STAYING + r")\s+(?:(?:now|still|currently|temporarily|here|there)\s+)?"
            r"(?:at|in)\s+(?P<v>(?-i:[A-Z][a-z]{2,}))(?![\w'])(?!\s+(?:"
            + _KIND
            + "|"
            + _SERVICE
            + "))",
            0.5,
        ),
        # "Pinewood is the best home ive been in": a capitalised word said to be a home
        (
            "said to be a home",
            r"(?<![\w'])(?P<v>(?-i:[A-Z][a-z]{3,}))\s+(?:is|was|were)\s+(?:the|a|my|our)\s+"
            r"(?:(?:best|worst|only|first|last|nicest|new|old|main)\s+)?"
            r"(?:home|unit|placement|hostel|foyer|children's home|care home)\b",
            0.5,
        ),
        # In a message written in lower case, capitals after "at" or "from" name a place: "ran
        # away from Oakhurst", "share a room at Holly Bank" (see analyze for which words).
        (
            "capitals in lower case",
            r"\b(?:at|from|about|bout|in|into|to|2)\s+"
            r"(?P<v>(?:the\s+)?(?-i:[A-Z][a-z]{2,})(?:\s+(?-i:[A-Z][a-z]{2,}))?)"
            r"(?![\w'])(?!\s+(?:" + _KIND + "|" + _SERVICE + "))",
            0.5,
        ),
        # "i been in fairview 2 year": a word in no dictionary where someone lived or was placed
        (
            "lower-case place",
            r"\b(?:been|stayed|staying|lived|living|live|lives|placed|moved|put|was|were)\s+"
            r"(?:in|at|to|into)"
            r"\s+(?P<v>[a-z]{5,})(?![\w'])",
            0.5,
        ),
        # "the foyer in town is called the Nest": "the" and a capital, after "called"
        (
            "called the",
            r"\bcalled\s+(?P<v>the\s+(?-i:[A-Z][a-z]{2,}))(?![\w'])"
            r"(?!\s+(?:(?-i:[A-Z])|team|service|group|lead|officer|worker|and|&))",  # "the Attachment Lead"
            0.5,
        ),
        # "my youth club is The Den", "the unit was called Oakridge": a name given to a kind
        (
            "kind then name",
            r"\b(?:" + _SERVICE + "|" + _KIND + r"|home|placement)\s+(?:is|was|called|named|"
            r"is called|was called)\s+(?P<v>(?-i:[Tt]he\s+[A-Z][a-z'\-]+|[A-Z][a-z'\-]+)"
            r"(?:\s+(?-i:[A-Z][a-z'\-]+)){0,2})(?![\w'])",
            0.55,
        ),
        # "the home i was in, Elmcroft, was where": the name set off after the kind of place
        (
            "kind, then its name",
            r"\b(?:home|unit|placement|hostel|foyer|ward|school|house)\b[^.,;!?\n]{0,25},\s+"
            r"(?P<v>(?-i:[A-Z][a-z'\-]{2,})(?:\s+(?-i:[A-Z][a-z'\-]+))?),",
            0.55,
        ),
        # "Masjid Al-Huda", "jamia masjid noor"
        (
            "mosque",
            r"(?<![\w'])(?P<v>(?:jamia\s+)?masjid\s+[a-z][\w'\-]+(?:\s+(?!in\b|on\b|at\b)[a-z]+)?)",
            0.5,
        ),
    )

    # What each pattern cannot match without (see SpanPatternRecognizer.GATES).
    GATES: ClassVar[dict[str, str]] = {
        "named building": r"\b(?:" + _KIND + r")\b",
        "named service": r"\b(?:" + _SERVICE + r")\b",
        "Welsh house name": "t\u0177",
        "Welsh house name, no accent": r"\bty\s",
        "numbered ward": r"\b(?:ward|unit)\s+\d",
        "the trees": r"\bthe\s+(?:" + _TREES + r")",
        "named then described": r",\s+(?:a|an|the|our)\s",
        "prison": r"(?:" + _PRISON + r")\s",
        "called the": r"\bcalled\s+the\s",
        "kind then name": r"\s(?:is|was|called|named)\s",
        "kind, then its name": r"\b(?:home|unit|placement|hostel|foyer|ward|school|house)\b",
        "mosque": r"masjid",
    }

    def __init__(self) -> None:
        super().__init__()
        from privacy.recognizers.wordlists import (
            STOP,
            dictionary_words,
            first_names,
            ordinary_words,
            place_words,
            towns,
            vicary_stop_words,
        )

        self._generic = GENERIC | PLACE_ADJECTIVES | ordinary_words()
        self._towns = place_words()
        self._break = STOP | vicary_stop_words() | _DETERMINERS
        self._stop = STOP | _DETERMINERS | {"in", "at", "on", "to", "from", "with", "for", "by"}
        # A word in no dictionary or list is a name of its own ("Meadowbank", not "Christmas").
        self._known = self._generic | towns() | dictionary_words() | first_names()
        self._known_but_villages = self._generic | self._towns | dictionary_words() | first_names()
        self._not_own_name = self._generic | self._towns | self._break | towns() | first_names()

    def _proper_place(self, text: str, span: str, start: int) -> bool:
        """Capitals the writer chose in an otherwise lower-case message: one word in no
        dictionary ("Oakhurst"), or a name then a place word ("Holly Bank"); never a town, a
        service or a word like "Christmas"."""
        from privacy.recognizers.name_cues import is_cased

        words = [w.lower() for w in span.split()]
        if is_cased(text):  # capitals say less: one unknown word after a verb of being there
            arrived = _ARRIVED.search(text, max(0, start - 30), start)
            return bool(arrived) and len(words) == 1 and words[0] not in self._known
        if words[0] == "the":  # "at the Bridge", "my caseworker at the Nest"
            return len(words) == 2 and words[1] not in self._generic | self._towns | _SERVICES
        if len(words) == 1:
            return words[0] not in self._known and words[0] not in self._break
        first, last = words
        return last in _PLACE_ENDS and first not in self._generic and first not in self._towns

    def analyze(self, text, entities, nlp_artifacts=None):  # type: ignore[no-untyped-def]
        """Each match, its leading generic words dropped, if a word of its own name is left."""
        from privacy.recognizers.name_cues import is_cased

        kept = []
        for r in super().analyze(text, entities, nlp_artifacts):
            span = text[r.start : r.end]
            pattern = r.analysis_explanation.pattern_name if r.analysis_explanation else None
            if pattern == "named then described":
                first = span.split()[0]
                if first.lower() in self._break and " " in span:
                    r.start += len(first) + 1  # "In Leeds" -> "Leeds"
                low = text[r.start : r.end].lower()
                if low not in self._towns and low not in self._break:
                    kept.append(r)
                continue
            if pattern == "kind, then its name":  # a village's name set off after "home," too
                if any(w.lower() not in self._known_but_villages for w in span.split()):
                    kept.append(r)  # "Elmcroft", not ", Leeds," or ", Sadly,"
                continue
            if pattern == "kind then name":
                words = [w.lower() for w in re.findall(r"[A-Za-z'\-]+", span)]
                the = span.startswith("The ") or (span.startswith("the ") and len(words) > 2)
                if the or any(w not in self._known for w in words):
                    kept.append(r)  # "The Den", "the Harbour Lights"; not "was Great", "is Leeds"
                continue
            if pattern == "capitals in lower case":
                if self._proper_place(text, span, r.start):
                    kept.append(r)
                continue
            if pattern == "lower-case place":
                low = span.lower()
                if low not in self._known and low not in self._break and not low.endswith("ing"):
                    kept.append(r)  # "fairview", not "hospital", "leeds" or "supported"
                continue
            if pattern == "place-shaped word":
                # "Larchwood", "Hilltop" (a capital inside a sentence), "rosewood" in a message
                # written in lower case; not "Stoke", "outside" or "the hillside"
                low, capital, cased = span.lower(), span[0].isupper(), is_cased(text)
                if low not in self._not_own_name and (
                    (capital and cased) or (not cased and low not in self._known)
                ):
                    kept.append(r)
                continue
            if pattern == "called the":
                if span.split()[1].lower() not in self._generic | self._towns:
                    kept.append(r)  # "is called the Nest"
                continue
            if pattern in ("staying at", "said to be a home"):
                if span.lower() not in self._known:
                    kept.append(r)
                continue
            if pattern == "prison":
                called = span.lower().split()[1:]
                named = len(called) > 1 and re.fullmatch(_KIND, called[-1]) is not None
                if named or (called[-1] not in self._break and called[-1] not in self._generic):
                    kept.append(r)  # "HMP Styal", not "visits at HMP were cancelled"
                continue
            if pattern in (
                "numbered ward",
                "the trees",
                "Welsh house name",
                "Welsh house name, no accent",
            ):
                kept.append(r)  # "Ward 4B", "the willows"
                continue
            kind = re.search(rf"\s(?:{_KIND}|{_SERVICE})$", span, re.IGNORECASE)
            if kind is None:  # the mosque pattern
                kept.append(r)
                continue
            words = list(re.finditer(r"[A-Za-z'\-]+", span[: kind.start()]))
            # The name is the run of words right before the kind of place, up to a break word.
            cut = 0
            for i, w in enumerate(words):
                low = w.group().lower()
                if low in ("st", "saint") or (w.group()[0].isupper() and low not in self._stop):
                    continue  # "Linton House Secure Unit", "Bluebell Short Breaks Unit"
                if low in self._break or (low.endswith("ed") and low in self._known):
                    cut = i + 1  # "Legal aid covered court": a verb ends what came before
            words = words[cut:]
            name = [w.group() for w in words]
            if not name or (name[-1].lower().endswith("'s") and len(name) == 1):
                continue  # "the house", "my nan's house"
            on_a_street = any(w.lower() in _STREET_KINDS for w in name[1:])  # "Harrow Lane hostel"
            if not on_a_street and all(
                w.lower() in self._generic or w.lower() in self._towns for w in name
            ):
                continue
            loose = re.fullmatch(
                r"\s(?:hotel|shelter|b&b|hub|hospital|infirmary)", kind.group(), re.IGNORECASE
            )
            if loose and all(w.islower() for w in name):
                continue  # "the animal shelter", "a cheap hotel": a hotel is named in capitals
            project = re.fullmatch(r"\s(?:project|cent(?:re|er))", kind.group(), re.IGNORECASE)
            owner = text[max(0, r.start + words[0].start() - 8) : r.start + words[0].start()]
            if (
                project
                and all(w.islower() for w in name)
                and (
                    any(w.endswith("ing") for w in name)
                    or re.search(r"\b(?:our|my|a|an)\s$", owner)
                )
            ):
                continue  # "our parenting project", "a counselling centre"; "the oasis centre" stays
            r.start += words[0].start()
            before = text[max(0, r.start - 12) : r.start].lower().split()
            building = re.search(rf"(?:{_KIND})$", span, re.IGNORECASE)
            lower = text[r.start : r.end] == text[r.start : r.end].lower()
            if building and lower and before and before[-1] in _DETERMINERS:
                continue  # "a quiet house"; "at oak lodge" and "Larkspur House" stay
            kept.append(r)
        kept = list({(r.start, r.end): r for r in kept}.values())  # one result per span
        return [  # "YOI Askham Grange" inside "HMP & YOI Askham Grange" is the same place
            r
            for r in kept
            if not any(
                o.start <= r.start and r.end <= o.end and (o.start, o.end) != (r.start, r.end)
                for o in kept
            )
        ]
