"""Schools, colleges, nurseries and pupil referral units, named in any way people write them."""

from __future__ import annotations

import re

from privacy.recognizers.base import SpanPatternRecognizer, UKPatternRecognizer


class SchoolAfterVerbRecognizer(SpanPatternRecognizer):
    """A school or college written in lower case after "go", "at" or "starts": "i go leeds city
    college", "at tameside college now", "im at st bede's"."""

    ENTITY = "SCHOOL"
    PATTERNS = (
        (
            "college after a verb",
            r"\b(?:at|go|goes|going to|go to|went to|attend|attends|started|starts|start)\s+"
            r"(?P<v>(?:(?!(?:the|a|my|this|that|uni|university|sixth|form|college)\b)[a-z][a-z'-]+\s+)"
            r"{1,3}(?:sixth form\s+)?college)\b",
            0.55,
        ),
        (
            "saint's school",
            r"\b(?:at|go|goes|go to|went to|attend|attends|started|starts|to|from|of)\s+"
            r"(?P<v>(?:st\.?|saint)\s+[a-z]+'s)(?!\s+(?:church|hospital|hostel|ward|house))\b",
            0.55,
        ),
        # "my school was St Cuthbert's", "the college is Haddon College", "a school called Oak Tree"
        (
            "school named",
            r"\b(?:school|college|academy|pru)\s+(?:was|is|were|called|named|as)\s+"
            r"(?P<v>(?:(?:st\.?|saint)\s+)?(?-i:[A-Z][\w'\u2019\-]+)(?:\s+(?-i:[A-Z][\w'\u2019\-]+)){0,3})",
            0.55,
        ),
        # "My grandson's school, St Columb's, have been great": a saint's name set off after it
        (
            "school, then its saint",
            r"\b(?:school|college|academy)\s*,\s*(?P<v>(?:st\.?|saint)\s+[a-z]+(?:['\u2019]s)?)\s*,",
            0.55,
        ),
        # "got me into bradford college": a college named by its town, after where one goes
        (
            "town college",
            r"\b(?:to|at|into|from|attend|attends|attended|left|started)\s+"
            r"(?P<v>[a-z]+(?:\s+city)?\s+college)\b",
            0.55,
        ),
        # "miss my old school Brookfield", "the school is oakmeadow": a school named after the word
        (
            "school then its name",
            r"\b(?:(?:my|his|her|their|our|old|new)\s+)+school\s+(?P<v>(?-i:[A-Z][a-z'\-]{3,}))"
            r"(?![\w'])",
            0.55,
        ),
        (
            "school is a rare word",
            r"\bschool\s+(?:is|was|called|named)\s+(?P<v>[a-z]{5,})(?![\w'])",
            0.55,
        ),
        # Irish-medium schools: "coláiste feirste", "Gaelscoil na bhFál", "Scoil Mhuire"
        (
            "Irish school",
            r"(?<![a-z])(?P<v>(?:col[a\u00e1]iste|gaelscoil|gaelcholáiste|bunscoil|me[a\u00e1]nscoil|scoil)"
            r"\s+(?:(?:na|an|naomh)\s+)?[a-z\u00e1\u00e9\u00ed\u00f3\u00fa][\w'\-]+)",
            0.6,
        ),
        # Welsh schools: "Ysgol Gynradd Pen-y-Dre", "ysgol uwchradd caergybi", "Ysgol Glan Clwyd"
        (
            "Welsh school",
            r"(?<![a-z])(?P<v>ysgol\s+(?:(?:gynradd|uwchradd|gyfun|feithrin|arbennig|y|yr)\s+)?"
            r"(?!(?:is|was|and|in|at)\b)[a-z][\w'\-]+"
            r"(?:\s+(?!(?:and|in|at|is|was|n|with|for|but|so|to)\b)[a-z][\w'\-]+)?)",
            0.6,
        ),
        # "st barnabas c of e", "St Mary's RC": a church school named by its church
        (
            "church school",
            r"(?<![a-z])(?P<v>(?:st\.?|saint)\s+[a-z]+(?:'s)?\s+(?:c\s*of\s*e|ce|rc)(?:\s+(?:primary|junior|infant|school|academy|high|secondary|college))*)(?![a-z])",
            0.6,
        ),
        # "Hes at Holy Cross now", "settled at Sacred Heart", "new school Our Lady's": a church
        # school named by its dedication alone, where a school goes
        (
            "a church school's dedication",
            r"\b(?:at|go|goes|go to|goes to|went to|attend|attends|attended|started|starts|left|"
            r"from|to|school|school is|school was|school:)\s+"
            r"(?P<v>(?:holy\s+(?:cross|trinity|family|name|rood|spirit|ghost)|sacred\s+heart|"
            r"our\s+lady(?:['\u2019]s|\s+of\s+[a-z]+(?:\s+[a-z]+)?)?|corpus\s+christi|"
            r"christ\s+the\s+king|english\s+martyrs|blessed\s+[a-z]+(?:\s+[a-z]+)?|notre\s+dame|"
            r"st\.?\s+[a-z]+\s+and\s+st\.?\s+[a-z]+))(?![\w'\u2019])"
            r"(?!\s+(?:church|hospital|hostel|ward|house|parish|cathedral))",
            0.55,
        ),
        # "left st benedicts in yr 10": the apostrophe dropped, and "left" or "from" before it
        (
            "saint's school without an apostrophe",
            r"\b(?:at|go|goes|go to|went to|attend|attends|started|starts|left|from|of|to)\s+"
            r"(?P<v>(?:st\.?|saint)\s+[a-z]+s)\b(?!['\u2019])"
            r"(?!\s+(?:church|hospital|hostel|ward|house))",
            0.55,
        ),
    )

    def validate_value(self, value: str) -> bool:
        """A name of its own before "college", not "go to college" or "at sixth form college"."""
        from privacy.recognizers.wordlists import (
            STOP,
            dictionary_words,
            english_words,
            place_words,
            towns,
            vicary_stop_words,
        )

        if value.lower() in place_words():
            return False  # "went to St Helens": a town
        if value.islower() and " " not in value and not _rare(value):
            return False  # "the school is oakmeadow", not "the school is closed"
        town = re.fullmatch(r"(?i)([a-z]+)(?:\s+city)?\s+college", value)
        if town and town.group(1).lower() in towns():
            return True  # "bradford college", "leeds city college"
        if town and town.group(1).lower() in dictionary_words():
            return False  # "art college", "a sixth form college"
        if not re.search(r"(?i)college$", value):  # "school was St Cuthbert's", not "was Great"
            words = re.findall(r"[a-z]+", value.lower())
            return (
                value[:3].lower() in ("st ", "st.", "sai")
                or any(w not in english_words() and w not in place_words() for w in words)
                or len(words) > 1
            )
        words = re.findall(r"[a-z']+", value.lower())[:-1]
        extra = {"further", "local", "community", "tech"}
        return any(w not in STOP and w not in vicary_stop_words() and w not in extra for w in words)


_SCHOOL_TALK = re.compile(
    r"\b(?:isolation|detention|excluded|exclusion|teachers?|lessons?|classes|head ?teacher|"
    r"senco|gcses?|year \d{1,2}|yr \d{1,2}|y\d{1,2}|uniform|homework|pupils?|form tutor)\b",
    re.IGNORECASE,
)


class SchoolByContextRecognizer(SpanPatternRecognizer):
    """A school named by one word in no dictionary, in a message about school: "i go to
    parkside and they put me in isolation", "got excluded from hillcrest in year 9"."""

    ENTITY = "SCHOOL"
    PATTERNS = (
        (
            "one word where a school goes",
            r"\b(?:go to|goes to|went to|going to|go|goes|started at|moved to|excluded from|kicked out of|"
            r"expelled from|left|at)\s+(?P<v>[a-z]{4,}(?:'s)?)(?![\w'])",
            0.5,
        ),
    )

    def analyze(self, text, entities, nlp_artifacts=None):  # type: ignore[no-untyped-def]
        """Only in a message that talks about school."""
        if not _SCHOOL_TALK.search(text):
            return []
        return super().analyze(text, entities, nlp_artifacts)

    def validate_value(self, value: str) -> bool:
        """No dictionary word, town, name or service ("parkside", not "school" or "leeds")."""
        from privacy.recognizers.wordlists import (
            dictionary_words,
            first_names,
            ordinary_words,
            place_words,
        )

        low = value.lower().removesuffix("'s")
        known = dictionary_words() | ordinary_words() | place_words() | first_names()
        return low not in known and not low.endswith(("ing", "ed", "ly"))


def _rare(word: str) -> bool:
    """A word in no dictionary, list or place: "eastbury", "kingsmead"."""
    from privacy.recognizers.wordlists import (
        dictionary_words,
        english_words,
        made_from_english,
        towns,
    )

    return (
        word.isalpha()
        and len(word) >= 4
        and not made_from_english(word)
        and word not in english_words()
        and word not in dictionary_words()
        and word not in towns()
        and word not in ("community", "school", "schools")
    )


class SchoolRecognizer(UKPatternRecognizer):
    """Schools and named children's homes: Oakwood Academy, thornhill high, St Mary's Primary.

    Source: Department for Education "Get Information about Schools" naming (Primary, Academy,
    High, College, Infant, Junior...).
    """

    ENTITY = "SCHOOL"
    _NAME = r"(?:(?:st\.?|saint)\s+[a-z]+(?:'s)?\s+)?(?:(?!(?:the|my|a|his|her|our|their|virtual|new|old|local|special|that|this|same|school|and|or|at|to|in|from|go|goes|went|attends|attend|fave|favourite|best|worst|was|is|every|whole|for|paying|pay|about|than|with|by|starts|started|start|now|still|into|then|also|later|both|after|before|when|but|if|so|because|through|via|did|do)\s)[a-z][a-z'-]+\s+){1,3}"
    PATTERNS = (
        (
            "named school",
            r"(?<![a-z])"
            + _NAME
            + r"(?:(?:c\s*of\s*e|ce|rc|catholic|special)\s+)?(?:sixth form\s+)?"
            r"(?:primary|academy|high|secondary|college|grammar|infants?|"
            r"juniors?(?!\s+(?:isa|doctors?|staff|football|team|section|minister|members?))|"
            r"comprehensive|"
            r"community school|school|nursery|pru|learning cent(?:re|er)|pupil referral unit|"
            r"alternative provision|sixth form)"
            r"(?:\s+school)?(?![a-z])",
            0.55,
        ),
        ("bishop or cardinal", r"(?<![a-z])(?:bishop|cardinal)\s+[a-z]+(?![a-z])", 0.55),
    )
    CONTEXT = ("school", "go", "went", "excluded", "teacher", "home", "gcses")

    def validate_result(self, pattern_text: str) -> bool:
        """Reject generic phrases ('primary school', 'high school', 'the virtual school')."""
        words = re.findall(r"[a-z']+", pattern_text.lower())
        distinctive = {
            "nursery",
            "pru",
            "primary",
            "academy",
            "high",
            "grammar",
            "infant",
            "infants",
            "junior",
            "juniors",
        }
        if (
            not distinctive & set(words)
            and not pattern_text[:1].isupper()
            and not any(_rare(w) for w in words[:-1])
        ):
            # "i hated secondary school": a named school is capitalised, or named by a word in no
            # dictionary ("at eastbury community school", not "at the local school")
            return False
        generic = {
            "primary",
            "secondary",
            "high",
            "school",
            "college",
            "academy",
            "infant",
            "infants",
            "junior",
            "juniors",
            "grammar",
            "comprehensive",
            "community",
            "at",
            "to",
            "in",
            "go",
            "went",
            "from",
            "and",
            "of",
            "for",
            "moved",
            "schools",
            "whole",
            "got",
            "the",
            "me",
            "him",
            "her",
            "every",
            "all",
            "sixth",
            "form",
            "day",
            "boarding",
            "free",
            "faith",
            "leaving",
            "left",
            "after",
            "before",
            "start",
            "started",
            "into",
            "changed",
            "changing",
            "fave",
            "favourite",
            "best",
            "worst",
            "current",
            "nearest",
            "last",
            "next",
            "first",
            "learning",
            "centre",
            "center",
            "pupil",
            "referral",
            "unit",
            "alternative",
            "provision",
        }
        if re.search(r"\shigh$", pattern_text, re.IGNORECASE) and not self._named_high(
            pattern_text
        ):
            return False
        from privacy.recognizers.wordlists import STOP

        return any(w not in generic and w not in STOP for w in words)  # not "there was no school"

    @staticmethod
    def _named_high(pattern_text: str) -> bool:
        """ "thornhill high", "Castle Hill High", not "thresholds are too high" or "unacceptably
        high": the word before "high" is capitalised or no English word."""
        from privacy.recognizers.wordlists import made_from_english

        before = pattern_text.split()[-2]
        return before[:1].isupper() or not made_from_english(before.lower())
