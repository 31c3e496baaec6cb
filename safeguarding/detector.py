"""The risk detector: transparent rules, and a learned model beside them.

Rules and word groups live in ``rules.yml`` (readable and extendable by staff). Each rule names
the groups that must all match, the groups of which at least one must match, and the groups that
cancel it, and says why it exists. The learned model (``model.py``, built by ``speakup risk
train``) scores the same normalised text; it may raise the level a rule gave, never lower it, and
its uncertain band is ``check`` ("are you safe right now?"), never ``none``. ``reasons`` name the
rules, the model's score and the nearest labelled (synthetic) training example; they never quote
the message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from safeguarding.model import MODEL_FILE, RiskModel, load_model, windows, words
from safeguarding.normalise import normalise

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
_LIKE_CHARS = 160  # a nearest example longer than this is cut, so the queue stays readable
_FEW_WORDS = 3  # below this many words the model alone may ask ("check"), not say urgent
_QUIETER: dict[str, Level] = {"check": "support", "support": "none"}
# Below this share of words the model knows, a message is most likely in another language: the
# service cannot read it, so it asks "are you safe right now?" rather than guess "none".
_UNFAMILIAR = 0.5
UNREADABLE = "mostly words it cannot read: asks"  # the reason given when it asks for that alone


@dataclass(frozen=True)
class RiskAssessment:
    """The detector's verdict on one message."""

    level: Level = "none"
    who: Who | None = None
    kinds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = field(default=())
    score: float | None = None  # the model's probability that the message is urgent

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
    # A broad rule matches strong words that people also use about the system ("leaving care is
    # like being pushed off a cliff"): alone it asks "are you safe right now?" (check); it hands
    # off (urgent) when the learned model also sees risk. It never gives less than check.
    broad: bool = False
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


def _compile(fragments: tuple[str, ...]) -> re.Pattern[str]:
    # Word boundaries are added only where a fragment starts or ends with a word character, so
    # emoji fragments (no word characters) match anywhere. The left boundary is written once for
    # all the fragments that need it: the engine then skips positions inside a word at one check
    # instead of trying every fragment there (the same matches, several times faster).
    bounded: list[str] = []
    free: list[str] = []
    for frag in fragments:
        right = r"(?![a-z0-9])" if re.search(r"[a-z0-9)\]?*+]$", frag) else ""
        target = bounded if re.match(r"[a-z0-9\\(\[]", frag) else free
        target.append(f"(?:{frag}){right}")
    parts = [r"(?<![a-z0-9])(?:" + "|".join(bounded) + ")"] if bounded else []
    parts += free
    return re.compile("|".join(parts))


class Detector:
    """Evaluates every rule against a message and keeps the highest level that fires."""

    def __init__(self, rules: RuleFile, model: RiskModel | None = None) -> None:
        self.rules = rules.rules
        self._groups = {name: _compile(frags) for name, frags in rules.groups.items()}
        self._who = rules.who_groups
        self._broad = frozenset(r.id for r in rules.rules if r.broad)
        self.model = model

    def assess(self, text: str) -> RiskAssessment:
        """Assess one message. Never raises on odd input; empty text is no risk.

        Rules are evaluated on windows of two neighbouring sentences, so a disclosure buried in a
        long answer is not cancelled by policy talk or past tense elsewhere in the message.
        """
        norm = normalise(text)
        if not norm:
            return NO_RISK
        best = self._rules(norm)
        return best if self.model is None else self._with_model(norm, best, self.model)

    def _with_model(self, norm: str, ruled: RiskAssessment, model: RiskModel) -> RiskAssessment:
        """Let the model raise the rules' level (never lower it) and say why, without the text."""
        scored = model.judge(norm)
        level: Level = model.level(scored)  # type: ignore[assignment]
        count = len(words(norm))
        if level == "urgent" and count < _FEW_WORDS:
            level = "check"  # a word or two is too little for the model to hand off on: it asks
        elif level in ("check", "support") and count < _FEW_WORDS + 1:
            # Three words or fewer ("yeah im ok", "Something I said.") and an unsure model: one
            # level quieter. A confident model still hands off on "she isnt breathing".
            level = _QUIETER[level]
        score = round(scored.urgent, 3)
        familiar = model.familiar(norm)
        unsure = max(_RANK[level], _RANK[ruled.level]) < _RANK["check"]
        if unsure and familiar is not None and familiar < _UNFAMILIAR:
            level = "check"
            ruled = replace(ruled, reasons=(*ruled.reasons, UNREADABLE))
        if self._broad_alone(ruled) and _RANK[model.level(scored)] < _RANK["check"]:
            reasons = (*ruled.reasons, f"model: {level} {scored.urgent:.2f}", "broad rule: asks")
            return RiskAssessment("check", ruled.who, ruled.kinds, reasons, score)
        if _RANK[level] <= _RANK[ruled.level]:
            if ruled.level == "none":
                return RiskAssessment(score=score)
            reasons = (*ruled.reasons, f"model: {level} {scored.urgent:.2f}")
            return RiskAssessment(ruled.level, ruled.who, ruled.kinds, reasons, score)
        reasons = (*ruled.reasons, f"model: {level} {scored.urgent:.2f}")
        like = model.nearest(norm, "support" if level == "support" else "urgent")
        if like is not None:
            example = like[1] if len(like[1]) <= _LIKE_CHARS else like[1][: _LIKE_CHARS - 1] + "…"
            reasons = (*reasons, f"like ({like[0]}): {example}")
        return RiskAssessment(
            level, ruled.who or self._who_guess(norm), ruled.kinds, reasons, score
        )

    def _broad_alone(self, ruled: RiskAssessment) -> bool:
        """Whether every rule behind an urgent verdict is a broad one."""
        return ruled.level == "urgent" and all(r in self._broad for r in ruled.reasons)

    def _who_guess(self, norm: str) -> Who:
        """For a model-only flag: a child, when the message talks about one, else the writer."""
        child, adult, me = (self._who.get(k) for k in ("child", "other_adult", "self"))

        def has(group: str | None) -> bool:
            return bool(group) and self._groups[group].search(norm) is not None  # type: ignore[index]

        if has(child) and (has(adult) or not has(me)):
            return "child"
        return "self"

    def _rules(self, norm: str) -> RiskAssessment:
        """The highest level any rule gives on any window of the normalised text."""
        best: RiskAssessment = NO_RISK
        # A group that matches no window cannot match the whole text's windows either: rules
        # whose required groups miss the whole text are dropped before the windows are read.
        whole: dict[str, bool] = {}

        def anywhere(group: str) -> bool:
            if group not in whole:
                whole[group] = self._groups[group].search(norm) is not None
            return whole[group]

        candidates = [
            r
            for r in self.rules
            if all(anywhere(g) for g in r.all) and (not r.any or any(anywhere(g) for g in r.any))
        ]
        if not candidates:
            return NO_RISK
        for window in windows(norm):
            found = self._assess_window(window, candidates, whole if window == norm else {})
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

    def _assess_window(
        self, norm: str, candidates: list[Rule], hits: dict[str, bool]
    ) -> RiskAssessment:
        def has(group: str) -> bool:
            if group not in hits:
                hits[group] = self._groups[group].search(norm) is not None
            return hits[group]

        fired = [
            r
            for r in candidates
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


def load_rules(path: Path = RULES_FILE) -> RuleFile:
    """Load and validate the rules file."""
    # libyaml's safe loader where PyYAML has it: the same rules, parsed ten times faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    return RuleFile.model_validate(raw)


@cache
def load_detector(path: Path = RULES_FILE, model_path: Path | None = MODEL_FILE) -> Detector:
    """The rules and the learned model (once per process per path); ``model_path=None``: rules only.

    ``SPEAKUP_RISK_MODEL`` names a deployment's own model (one built with staff corrections, which
    stays out of the repository) in place of the committed one. A missing model file is an error,
    not a silent fall-back to the rules: the committed file comes with its recipe
    (docs/safeguarding.md), so its absence means a broken installation.
    """
    if model_path == MODEL_FILE and os.environ.get("SPEAKUP_RISK_MODEL"):
        model_path = Path(os.environ["SPEAKUP_RISK_MODEL"])
    model = None
    if model_path is not None:
        if not model_path.exists():
            raise FileNotFoundError(
                f"risk model {model_path} is missing: run `speakup risk train` (docs/safeguarding.md)"
            )
        model = load_model(model_path)
    return Detector(load_rules(path), model)
