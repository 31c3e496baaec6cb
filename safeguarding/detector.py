"""A transparent, rule-based risk detector.

Rules and word groups live in ``rules.yml`` (readable and extendable by staff). Each rule names
the groups that must all match, the groups of which at least one must match, and the groups that
cancel it, and says why it exists. ``reasons`` in the result name rules, never quote the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

Level = Literal["urgent", "check", "support", "none"]
Who = Literal["self", "child", "other_adult"]
KINDS = (
    "suicide",
    "self_harm",
    "abuse",
    "sexual_abuse",
    "exploitation",
    "neglect",
    "violence",
    "medical_emergency",
    "threat_to_others",
    "distress",
)
_RANK = {"none": 0, "support": 1, "check": 2, "urgent": 3}
RULES_FILE = Path(__file__).with_name("rules.yml")


@dataclass(frozen=True)
class RiskAssessment:
    """The detector's verdict on one message."""

    level: Level = "none"
    who: Who | None = None
    kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())
    score: float | None = None

    def as_dict(self) -> dict[str, object]:
        """Return the JSON shape used by ``speakup risk``."""
        return {
            "level": self.level,
            "who": self.who,
            "kinds": list(self.kinds),
            "reasons": list(self.reasons),
            "score": self.score,
        }


NO_RISK = RiskAssessment()


class Rule(BaseModel):
    """One rule: when it fires, what level and kinds it means, and why it exists."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    level: Level
    kinds: tuple[str, ...] = ()
    who: Who | None = None
    why: str
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _has_condition(self) -> Rule:
        if not (self.all or self.any):
            raise ValueError(f"rule {self.id} needs 'all' or 'any'")
        unknown = [k for k in self.kinds if k not in KINDS]
        if unknown:
            raise ValueError(f"rule {self.id}: unknown kinds {unknown}")
        return self


class RuleFile(BaseModel):
    """The whole rules file: word groups (regular-expression fragments) and rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    groups: dict[str, tuple[str, ...]]
    who_groups: dict[Who, str] = Field(default_factory=dict)
    rules: tuple[Rule, ...]

    @model_validator(mode="after")
    def _groups_exist(self) -> RuleFile:
        names = set(self.groups)
        for rule in self.rules:
            missing = [g for g in (*rule.all, *rule.any, *rule.none) if g not in names]
            if missing:
                raise ValueError(f"rule {rule.id} names unknown groups: {', '.join(missing)}")
        return self


_APOSTROPHES = str.maketrans({"'": "", "\u2019": "", "\u2018": "", "`": ""})


def normalise(text: str) -> str:
    """Lower-case, drop apostrophes and zero-width characters, fold runs of spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch for ch in text if unicodedata.category(ch) not in {"Cf", "Cc"} or ch in "\n\t"
    )
    text = text.lower().translate(_APOSTROPHES)
    return re.sub(r"\s+", " ", text).strip()


def _compile(fragments: tuple[str, ...]) -> re.Pattern[str]:
    # Word boundaries are added only where a fragment starts or ends with a word character, so
    # emoji fragments (no word characters) match anywhere.
    parts = []
    for frag in fragments:
        left = r"(?<![a-z0-9])" if re.match(r"[a-z0-9\\(\[]", frag) else ""
        right = r"(?![a-z0-9])" if re.search(r"[a-z0-9)\]?*+]$", frag) else ""
        parts.append(f"{left}(?:{frag}){right}")
    return re.compile("|".join(parts))


class Detector:
    """Evaluates every rule against a message and keeps the highest level that fires."""

    def __init__(self, rules: RuleFile) -> None:
        self.rules = rules.rules
        self._groups = {name: _compile(frags) for name, frags in rules.groups.items()}
        self._who = rules.who_groups

    def assess(self, text: str) -> RiskAssessment:
        """Assess one message. Never raises on odd input; empty text is no risk.

        Rules are evaluated on windows of two neighbouring sentences, so a disclosure buried in a
        long answer is not cancelled by policy talk or past tense elsewhere in the message.
        """
        norm = normalise(text)
        if not norm:
            return NO_RISK
        best: RiskAssessment = NO_RISK
        for window in _windows(norm):
            found = self._assess_window(window)
            if _RANK[found.level] > _RANK[best.level]:
                best = found
            elif found.level == best.level and found.level != "none":
                best = RiskAssessment(
                    level=best.level,
                    who=best.who or found.who,
                    kinds=tuple(dict.fromkeys((*best.kinds, *found.kinds))),
                    reasons=tuple(dict.fromkeys((*best.reasons, *found.reasons))),
                )
        return best

    def _assess_window(self, norm: str) -> RiskAssessment:
        hits: dict[str, bool] = {}

        def has(group: str) -> bool:
            if group not in hits:
                hits[group] = self._groups[group].search(norm) is not None
            return hits[group]

        fired = [
            r
            for r in self.rules
            if all(has(g) for g in r.all)
            and (not r.any or any(has(g) for g in r.any))
            and not any(has(g) for g in r.none)
        ]
        if not fired:
            return NO_RISK
        top = max(_RANK[r.level] for r in fired)
        chosen = [r for r in fired if _RANK[r.level] == top]
        kinds = tuple(dict.fromkeys(k for r in chosen for k in r.kinds))
        who = self._who_for(chosen, has)
        level: Level = chosen[0].level
        return RiskAssessment(
            level=level, who=who, kinds=kinds, reasons=tuple(r.id for r in chosen)
        )

    def _who_for(self, chosen: list[Rule], has: Callable[[str], bool]) -> Who | None:
        """Who is at risk: the writer, or a child they are reporting (from the who_groups)."""
        who = next((r.who for r in chosen if r.who is not None), None)
        if who != "self":
            return who
        child, adult, me = (self._who.get(k) for k in ("child", "other_adult", "self"))
        if child and has(child) and ((adult and has(adult)) or not (me and has(me))):
            return "child"
        return who


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _windows(norm: str) -> list[str]:
    """Each sentence with the one after it (a time often follows in the next sentence)."""
    sentences = [s for s in _SENTENCE_END.split(norm) if s.strip()]
    if len(sentences) <= 2:
        return [norm]
    return [" ".join(sentences[i : i + 2]) for i in range(len(sentences) - 1)]


@cache
def load_detector(path: Path = RULES_FILE) -> Detector:
    """Load and validate the rules file (once per process per path)."""
    # libyaml's safe loader where PyYAML has it: the same rules, parsed ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    return Detector(RuleFile.model_validate(raw))
