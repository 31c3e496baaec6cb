"""The cues the name rules read around a word: what comes before and after a name, and what
makes a word no name ("the loving family", "the 3rd of June", "Hull City and I")."""

from __future__ import annotations

import functools
import re

from privacy.recognizers.wordlists import (
    ambiguous_names,
    english_words,
    first_names,
    made_from_english,
    place_words,
)

# "The Okonkwo family", "the Begum siblings", "the Mahmood children's guardian": a word before a
# household word is a surname unless it says what kind of family it is.
_HOUSEHOLD = re.compile(
    r"\s+(?:(family|families|family's|siblings|twins|household)|children|children's|kids|boys|"
    r"girls|brothers|sisters)\b",
    re.IGNORECASE,
)

_THE_BEFORE = re.compile(r"(?:^|\s)(?:the|of the)\s+$", re.IGNORECASE)

_KINDS_OF_FAMILY = frozenset(
    """
    birth foster adoptive adopted kinship host extended nuclear whole entire same new old other
    royal real biological blended big large single-parent local wider immediate step working
    british english scottish welsh irish polish romanian roma romany gypsy traveller travellers
    asian black white mixed muslim christian jewish catholic sikh hindu african caribbean
    nigerian ghanaian somali eritrean afghan syrian iraqi iranian kurdish albanian vietnamese
    chinese indian pakistani bangladeshi turkish european lithuanian latvian portuguese spanish
    italian french german ukrainian russian american
    """.split()  # noqa: SIM905
)

_IN_A_TOWN = re.compile(
    r"\b(?:live|lives|living|lived|moved|based|born|grew up)\s+(?:in|to|from|near)\s+$|\b(?:in|near|from)\s+$",
    re.IGNORECASE,
)

_NOT_AN_INTRO = re.compile(
    r"\b(?:if|when|cos|coz|because|so|but|unless|till|until|that|as)\s+(?:im|i'm|i am)\s+$",
    re.IGNORECASE,
)

_CAME_TO = re.compile(r"\s+came to (?:us|me|live)\b", re.IGNORECASE)

_HERE = re.compile(r"\s+here\s*[.,!:\-]", re.IGNORECASE)
# Verbs that go before "here" as an order, not a name signing a message ("Sign here,").
IMPERATIVES = frozenset("sign click look come start stop read write put sit wait stay tap".split())  # noqa: SIM905
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)([A-Za-z])")


def is_cased(text: str) -> bool:
    """Whether the writer uses capitals: most sentences start with one, and "I" is upper case."""
    starts = [m.group(1) for m in _SENTENCE_START.finditer(text)]
    if not starts or re.search(r"(?<![\w'])i(?![\w])", text):
        return False
    return bool(sum(c.isupper() for c in starts) / len(starts) >= 0.6)


_STRONG_CUE = re.compile(
    r"\b(?:tell|ask for|asked for|thanks|thank you|love you|calls me|call me|called me|"
    r"belongs to)\s+(?:(?:big|lil|little)\s+)?$",
    re.IGNORECASE,
)

_PLACE_BEFORE = re.compile(r"\b(?:from|to|at|in|into|near|via|on)\s+$", re.IGNORECASE)

_AND_I = re.compile(r"\s+(?:and|&)\s+I\b(?!')")

_MONTHS = frozenset("april may june july august".split())  # noqa: SIM905

_DAY_BEFORE = re.compile(r"\d(?:st|nd|rd|th)?\s+(?:of\s+)?$", re.IGNORECASE)

_OUR = re.compile(r"(?:^|\s)our\s+$", re.IGNORECASE)

# Words that make the word before them a street or building, not a surname.
_STREET_WORDS = frozenset(
    """
    road rd street st avenue ave lane close way drive court crescent place grove gardens terrace
    walk view hill row square mews parade park rise green house lodge estate
    """.split()  # noqa: SIM905
)

# After "im": the word ends the clause ("im chidi, 15", "im mahad 17"), unlike "im gutted she".
_CLAUSE_END = re.compile(
    r"(?:\s*[,!?;:)]|\s+(?:here|from|and|n|btw|x|lol|aged?|i|im|i'm|on|using|writing|texting)\b"
    r"|\s+\d)",
    re.IGNORECASE,
)

RELATIONS = (
    "social worker|sw|sws|pa|iro|keyworker|key worker|support worker|worker|carers?|foster carers?|"
    "foster (?:mum|dad|mom|son|daughter|brother|sister)|mum|mam|mom|dad|nan|nana|nanna|gran|granny|"
    "grandad|grandma|grandpa|brother|bro|sister|sis|son|daughter|boy|girl|lad|grandson|"
    "granddaughter|grandkids?|nephew|niece|cousin|aunt|aunty|auntie|uncle|husband|wife|partner|ex|"
    "boyfriend|girlfriend|bf|gf|mate|friend|bestie|baby|teacher|manager|advocate|stepdad|stepmum|"
    "step dad|step mum|therapist|counsellor|mentor|guardian|solicitor|officer|nurse|"
    "grandaughter|granddaughters|grandsons|youngest|eldest|oldest|middle one|little one|"
    "foster (?:sister|brother)s?|keyworkers|carer's|nanny|grandmother|grandfather|"
    "half (?:brother|sister)|step (?:brother|sister)|stepbrother|stepsister|mother|father|"
    "mama|papa|mummy|daddy|mamma|older one|younger one|oldest one|youngest one|eldest one|"
    "other one|fella|fellow|hubby|missus|fiance|fiancee|bairn|wean|personal adviser|adviser|"
    "advisor|cellmate|cellie|pad mate|padmate|midwife|health visitor|neighbour"
)
_RELATION_BEFORE = re.compile(rf"\b(?:{RELATIONS})\s+$", re.IGNORECASE)
_RELATION_WORD = re.compile(RELATIONS, re.IGNORECASE)
TITLES = (
    r"mr|mrs|ms|miss|mx|dr|prof|sir|dame|judge|hhj|district judge|pc|dc|ds|di|dci|sgt|sergeant|"
    r"inspector|cllr|councillor|rev|revd|reverend|fr|nurse|father|pastor|imam|rabbi|chaplain"
)
INTRO = (
    r"my names|my name is|my names is|my name's|my name|im|i'm|i am|this is|call me|its me|"
    r"it's me|(?:his|her|their|your) name(?:'s|s)?(?: is| was)?|name is|name was|names is"
)
# Titles written short may end in a full stop ("Dr. Patel"); a word title may not ("a nurse. Juggling").
_ABBREVIATED = r"mr|mrs|ms|mx|dr|prof|hhj|pc|dc|ds|di|dci|sgt|cllr|rev|revd|fr|insp"
_NICKNAME = re.compile(r"(?<![\w'])(?:big|lil|lil'|little|wee)\s+$", re.IGNORECASE)
_NICKNAME_CUE = re.compile(
    r"(?:^|[^\w\s']|(?<![\w'])(?!(?:a|an|the|my|no|some|any|his|her|their|our|your|such|so|too)\s)"
    r"[\w']+)\s*(?<![\w'])(?:big|lil|lil'|wee)\s+$",
    re.IGNORECASE,
)
_NICK_LETTER = re.compile(r"(?<![\w'])(?:big|lil|lil')\s+[a-z](?![\w'])", re.IGNORECASE)
# Titles that are also words ("miss", "the pc", "a nurse"): a name after them must look like one.
_WORD_TITLES = frozenset(
    "miss judge sir dame prof pc dc ds di sgt sergeant inspector fr rev nurse father".split()  # noqa: SIM905
)

# A name given right after who the person is: "my PA Devon", "my grandson Ty". A capital there
# names the person even when the word is also a town ("Youth worker, Ceredigion." is not one).
RIGHT_AFTER_RELATION = re.compile(
    rf"\b(?:my|our|his|her|their|your)\s+(?:[a-z]+\s+)?(?:{RELATIONS})(?P<comma>,?)\s+$",
    re.IGNORECASE,
)
# "preston is my brother": who the person is, said after the word
RELATION_AFTER = re.compile(
    rf"\s+(?:is|was|r|are)\s+(?:my|our)\s+(?:[a-z]+\s+)?(?:{RELATIONS})\b", re.IGNORECASE
)
# "Favour is my name in real life", "Tee's my nickname": the word is a name whatever it means
# "its ace (thats my nickname)", "save it as pickle lol thats what my mates call me"
MY_NAME_AFTER = re.compile(
    r"\s+(?:is|was|'s|\u2019s)\s+(?:my|his|her|their)\s+(?:real\s+|actual\s+|birth\s+|nick\s*)?name\b"
    r"|\s*[(,\-]?\s*(?:lol\s+)?(?:that's|thats|that\u2019s|which is)\s+(?:my\s+(?:nick\s?name|"
    r"street\s+name|name)\b|what\s+(?:my\s+[a-z]+|people|everyone|they|we)\s+call)",
    re.IGNORECASE,
)
# Kin words that go before a name as a title does: "auntie mags", "nanna jean", "uncle dev"
KIN = (
    r"auntie|aunty|aunt|uncle|nana|nanna|nan|nanny|gran|granny|grandma|grandad|granddad|grandpa|"
    r"mama|papa|mamma"
)
KIN_TITLE = re.compile(rf"(?<![\w'])(?:{KIN}|cousin)\s+$", re.IGNORECASE)
# Capitalised words that are no one after a relation: "I see my mum Saturday"
NOT_NAMED = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march september
    october november december christmas easter eid diwali xmas tonight today tomorrow yesterday
    """.split()  # noqa: SIM905
)
# "my social worker Leeds office": a town that says which team, not who
PLACE_NOUN_AFTER = re.compile(
    r"\s+(?:office|team|council|city|area|branch|hub|services?|based|side|uni|college|station|"
    r"hospital|court|way|road)\b",
    re.IGNORECASE,
)
# "we changed it to Eve", "renamed her Hope": a new name given
_RENAMED = re.compile(
    r"\b(?:(?:changed|change)\s+(?:it|(?:her|his|my|their|your)\s+name)\s+to|renamed"
    r"(?:\s+(?:her|him|them|it))?)\s+$",
    re.IGNORECASE,
)
# "the Supporting Families programme", "Frontline intakes": a name of a thing, not a person
THING_AFTER = re.compile(
    r"(?:\s+[A-Z][a-z]+){0,2}\s+(?i:programmes?|schemes?|intakes?|initiatives?|pilots?|awards?|"
    r"funds?|fortnight|framework|approach|campaign|charter|pathway|standards|act|"
    r"bursary|model|method|trust|foundation|partnership|network|scholarship|apprenticeships?|"
    r"protocol|policy|guidance|review|inquiry|report|pledge|promise|covenant|principles|fans?|"
    r"supporters?)\b"
)
_PREVIOUS_ITEM = re.compile(r"([A-Z][a-z]+)(?:\s*,\s*|\s+(?:and|n|&|or)\s+)$")
_NEXT_ITEM = re.compile(r"(?:\s*,\s*|\s+(?:and|n|&|or)\s+)([A-Z][a-z]+)")


def in_a_list_of_things(before: str, after: str) -> bool:
    """A capitalised word next to things in a list: "Easter, May Half Term, Summer, October",
    "Bronze n Silver n Gold", "Marks and Spencer"; not "Mum and Grace" or "Sarah and Hope"."""
    for m in (_PREVIOUS_ITEM.search(before), _NEXT_ITEM.match(after)):
        if m is None:
            continue
        low = m.group(1).lower()
        if _RELATION_WORD.fullmatch(low) or low in first_names() or low in ambiguous_names():
            continue  # "Mum and Grace", "Bill and June"
        if low in NOT_NAMED or low in english_words() or low in place_words():
            return True
    return False


# "its a blessing", "such a treasure": a word after an article is a thing
_ARTICLE = re.compile(r"\b(?:a|an|the|such|what a|this|that)\s+$", re.IGNORECASE)


def surname_of_household(
    low: str, capitalised: bool, rare: bool, before: str, after: str, cased: bool
) -> bool:
    """ "The Okonkwo family", "the Begum siblings", "the Mahmood children's guardian".

    Always after "the"; in lower case only a word in no dictionary, not made from one ("the
    naughty kids", "the loving family"), before a word only a family has ("family", not "kids").
    """
    household = _HOUSEHOLD.match(after)
    if not household or low in _KINDS_OF_FAMILY or low in ambiguous_names():
        return False
    if not _THE_BEFORE.search(before):
        return False
    if capitalised:
        return True
    return not cased and rare and bool(household.group(1)) and not made_from_english(low)


@functools.lru_cache(maxsize=8192)
def relation_word(low: str) -> bool:
    """Whether a word is itself a relation or role ("nanny", "bro"): never a name."""
    return bool(_RELATION_WORD.fullmatch(low))


def ends_sentence(text: str, at: int) -> bool:
    """Whether ``text[:at]`` ends a sentence: ``[.!?\\n]\\s*$``, read backwards from ``at``.

    The regular expression searched the whole text before every word (quadratic in a long
    answer); this looks back only over the spaces before ``at``.
    """
    i = at - 1
    while i >= 0 and text[i].isspace():
        if text[i] == "\n":
            return True
        i -= 1
    return i >= 0 and text[i] in ".!?"


_TOWN_BEFORE = re.compile(r"([A-Za-z][\w'-]*)\s*(?:,|and|&|or|n)\s+$")
_TOWN_AFTER = re.compile(r"\s*(?:,|and|&|or|n)\s+([A-Za-z][\w'-]*)")


def where_towns_go(before: str, after: str, towns: frozenset[str]) -> bool:
    """A town's name where a town goes: after "live in", "from" or "near", or joined by "and"
    or a comma to another town ("In Wigan and Leigh", "Leigh, Wigan"). Not a person there."""
    if _IN_A_TOWN.search(before):
        return True
    joined = _TOWN_BEFORE.search(before) or _TOWN_AFTER.match(after)
    return bool(joined and joined.group(1).lower() in towns)


# Cues that a word that is also a name is a name here: "tell hope", "me n chidi".
CUE_BEFORE = re.compile(
    r"(?:^|\s)(?:tell|ask|ask for|asked for|with|me and|me n|and|n|thanks|thank you|"
    r"love you|miss|called|named|its|it's|calls me|call me|called me|belongs to|"
    r"lend of|borrowed off|borrowed from|took|taken|adopted|fostered|visit|visited|"
    r"visiting|text|texted|message|messaged|ring|rang|phoned|pass on to|pass this on to|"
    r"addressed to|save it as|save me as|thats me|that's me|its me|it's me)\s+"
    r"(?:(?:big|lil|little)\s+)?$",
    re.IGNORECASE,
)

# After a name: "faith is my worker", "hope said", "Sue, our social worker".
CUE_AFTER = re.compile(
    rf",\s*(?:my|our)\s+(?:[a-z]+\s+){{0,2}}(?:{RELATIONS})\s*,|"  # "Sue, our supervising social worker,"
    rf"\s+(?:my|our)\s+(?:[a-z]+\s+){{0,2}}(?:{RELATIONS})\b|"
    rf"\s+(?:(?:is|was|r|are)\s+(?:my|our|me)\b(?!\s+[a-z]+'s\b)|said\b|says\b|told\b|"
    rf"and me\b|n me\b|for short\b|on (?:nights|days|lates|earlies|reception|the desk)\b|"
    rf"who (?:ran|runs|run|helped|helps|works|worked|looked|said|told|was|is)\b|"
    rf"(?:has been|has lived|is living|lives|has stayed) with (?:us|me|her|him|them)\b|"
    rf",?\s+(?:that's|thats|which is) what (?:we|i|they|everyone) calls? (?:her|him|them)\b|"
    rf"(?:is|was|turned|turns)\s+\d{{1,2}}(?:\s*[,.!]|\s+(?:now|today|and|in|next|this|"
    rf"years?\b|yrs?\b|yo\b)|$)|"
    rf"(?:and|&|n)\s+[a-z][\w'-]*\s+(?:are|were|r)\s+(?:my|our)\s+(?:[a-z]+\s+)?(?:{RELATIONS})|"
    rf"(?:at|from)\s+the\s+(?:[a-z]+\s+){{0,2}}(?:team|service|council|unit|hostel|office)\b)",
    re.IGNORECASE,
)
