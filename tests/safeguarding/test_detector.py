"""The risk detector: a table of cases by rule family, and the shape of its answers."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from safeguarding import load_detector
from safeguarding.detector import Detector, RuleFile

CASES = [
    # txt-speak and slang
    ("ngl gonna kms tonight", "urgent"),
    ("thinking of unaliving myself after my review tmrw", "urgent"),
    # emoji
    ("💊💊💊 tonight. bye", "urgent"),
    ("kms kms kms i cant do this anymore 😭😭😭", "urgent"),
    ("😢💊", "check"),  # emoji alone with a pill or a knife: asked (an independent tester's)
    ("🔪🔪", "check"),
    ("👍", "none"),
    ("the meds review 💊 for kids in care is rushed", "none"),
    # medication and method words
    ("been saving my quetiapine, theres enough now", "urgent"),
    ("ive set it up in the loft, the rope is ready", "urgent"),
    # negation
    ("some days i wish i didnt wake up but im not going to do anything", "support"),
    # tense
    ("i used to cut when i was 14, im ok now", "support"),
    ("my dad hit me when i was little, hes dead now", "support"),
    # third-party reports
    ("im a neighbour, the kids next door have been on their own since yesterday", "urgent"),
    (
        "as a foster carer: our 14 year old just got in a car with a man in his 30s, phone off",
        "urgent",
    ),
    # figurative and policy uses
    ("the paperwork is killing social workers", "none"),
    ("id kill for a social worker who stays", "none"),
    ("suicide prevention should include care leavers", "none"),
    ("knife crime workshop 🔪 was pointless", "none"),
    ("this survey is killing me lol", "none"),
    # past abuse by someone who still works with children
    ("i was abused by a teacher years ago and he still works at a school", "urgent"),
    # plain views
    ("more money for kinship carers please", "none"),
]


@pytest.mark.parametrize(("text", "level"), CASES)
def test_detector_levels(text: str, level: str) -> None:
    assert load_detector().assess(text).level == level


def test_reasons_name_rules_and_never_quote_the_text() -> None:
    detector = load_detector()
    rule_ids = {r.id for r in detector.rules}
    result = detector.assess("ngl im gonna kms tonight with my paracetamol")
    rules = [r for r in result.reasons if not r.startswith(("model: ", "like ("))]
    assert rules and set(rules) <= rule_ids
    assert "kms" not in " ".join(result.reasons)
    assert result.as_dict()["level"] == "urgent"


def test_who_is_the_child_for_a_third_party_report() -> None:
    result = load_detector().assess(
        "Im a neighbour. I can hear a man hitting a child next door right now"
    )
    assert result.level == "urgent" and result.who == "child"


def test_every_rule_says_why() -> None:
    assert all(len(rule.why) > 20 for rule in load_detector().rules)


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01", "😀" * 5000, "a" * 20000])
def test_odd_input_never_raises(text: str) -> None:
    assert load_detector().assess(text).level in {"urgent", "check", "support", "none"}


def test_a_rule_naming_an_unknown_group_is_rejected(tmp_path: Path) -> None:
    from pydantic import ValidationError

    raw = {
        "groups": {"a": ["x"]},
        "rules": [{"id": "r", "level": "urgent", "why": "because", "all": ["b"]}],
    }
    with pytest.raises(ValidationError, match="unknown groups"):
        RuleFile.model_validate(raw)
    path = tmp_path / "rules.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "groups": {"a": ["x"]},
                "rules": [{"id": "r", "level": "support", "why": "because", "any": ["a"]}],
            }
        )
    )
    assert (
        Detector(RuleFile.model_validate(yaml.safe_load(path.read_text()))).assess("x").level
        == "support"
    )
