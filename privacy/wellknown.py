"""Well-known names that are no one here: a name found inside one is kept.

"Bob's your uncle", "Tracy Beaker", "Tommy Hilfiger", "Alton Towers", "Sarah's Law", "St
George's Day": sayings, programmes, brands, places to go, charities and laws that people name in
answers and that identify no one. The phrases are in ``privacy/data/well_known.txt``; laws and
saints' days are patterns. Only names, places, schools and addresses found wholly inside such a
phrase are kept; a number or a handle beside one is still removed.
"""

from __future__ import annotations

import re
from functools import cache

from privacy.recognizers.wordlists import DATA

# Laws named after a person and days named after a saint or a relation.
_PATTERNS = (
    r"[a-z]+['\u2019]?s\s+law",  # Sarah's Law, Clare's Law
    r"(?:st\.?|saint)\s+[a-z]+['\u2019]?s\s+day",  # St George's Day, Saint Patrick's Day
    r"(?:valentine|mother|father|boxing)['\u2019]?s?\s+day",
)


@cache
def _phrases() -> re.Pattern[str]:
    lines = (DATA / "well_known.txt").read_text(encoding="utf-8").splitlines()
    phrases = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    forms = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        form = re.escape(phrase)
        form = form.replace("'", "['\u2019]?").replace(r"\ ", r"\s+").replace(",", ",?")
        forms.append(form)
    return re.compile(
        r"(?<![\w'])(?:" + "|".join([*forms, *_PATTERNS]) + r")(?![\w'])", re.IGNORECASE
    )


def well_known(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that are well-known names (see the module's docstring)."""
    return [m.span() for m in _phrases().finditer(text)]
