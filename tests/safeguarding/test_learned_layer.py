"""The learned layer beside the rules: the sentences from issue 15, never lowering a rule hit,
uncertainty as "check", reasons staff can read without the message quoted."""

from __future__ import annotations

import re

import pytest

from safeguarding import load_detector
from safeguarding.detector import Detector, load_rules
from safeguarding.model import RiskModel, Scored

# Every sentence quoted under "Why" in issue 15.
WHY = [
    "my stepdad hits me when mum is at work",
    "my mum hits me",
    "my stepdad beats me",
    "my stepdad hit me yesterday",
    "I am being abused at home",
    "i dont feel safe at home",
    "he touches me and I do not like it",
    "I want to k1ll mys3lf tonight",
    "mums bf hit me wiv his belt tonite n says if i tell my sw he'll do my little bro next",
    "no food in since sat, mum aint been home and my sisters only 4 wat do i do",
    "kicked out. sat at the bus station its freezing got nowhere to go tonite",
    "hes 17 n im 13 he keeps asking 4 pics n says if i dont hell tell every1",
    "nan's got a woman coming to the house saturday to cut my sister",
]


@pytest.mark.parametrize("text", WHY)
def test_every_sentence_from_the_issue_is_urgent_or_check(text: str) -> None:
    result = load_detector().assess(text)
    assert result.level in {"urgent", "check"}, result.reasons
    assert result.score is not None
    rule_ids = {r.id for r in load_detector().rules}
    for reason in result.reasons:  # rule ids, the model's score, a training example; never the text
        assert (
            reason in rule_ids
            or re.fullmatch(r"model: (urgent|check|support|none) [01]\.\d\d", reason)
            or reason.startswith(("like (urgent): ", "like (support): ", "like (none): "))
        )


@pytest.mark.parametrize(
    "text",
    ["more money for kinship carers please", "my social worker is great", "the forms are too long"],
)
def test_plain_views_stay_none(text: str) -> None:
    assert load_detector().assess(text).level == "none"


class _Fixed(RiskModel):
    """A stand-in model that always gives the same probabilities."""

    def __init__(self, urgent: float, support: float) -> None:
        super().__init__(
            {
                "vocabulary": {},
                "intercept": [0.0, 0.0, 0.0],
                "thresholds": {"urgent": 0.6, "check": 0.3, "support": 0.5},
            }
        )
        self.fixed = Scored(urgent, support, 1 - urgent - support)

    def score(self, norm: str) -> Scored:
        return self.fixed

    def familiar(self, norm: str) -> float | None:
        return None  # it has no vocabulary: every message would look foreign


URGENT_BY_RULE = "ngl gonna kms tonight"


def test_a_rule_hit_is_never_lowered_by_the_model() -> None:
    rules_only = Detector(load_rules()).assess(URGENT_BY_RULE)
    assert rules_only.level == "urgent"
    result = Detector(load_rules(), _Fixed(0.01, 0.01)).assess(URGENT_BY_RULE)
    assert result.level == "urgent"
    assert result.kinds == rules_only.kinds and result.who == rules_only.who
    assert set(rules_only.reasons) <= set(result.reasons)
    assert "model: none 0.01" in result.reasons


def test_the_model_may_raise_a_level_and_says_why() -> None:
    text = "the weather is grey"
    assert Detector(load_rules()).assess(text).level == "none"
    raised = Detector(load_rules(), _Fixed(0.7, 0.1)).assess(text)
    assert raised.level == "urgent" and raised.reasons == ("model: urgent 0.70",)
    assert raised.who == "self" and raised.score == 0.7


def test_the_uncertain_band_is_check_never_none() -> None:
    result = Detector(load_rules(), _Fixed(0.35, 0.0)).assess("the weather is grey")
    assert result.level == "check"
    assert Detector(load_rules(), _Fixed(0.1, 0.5)).assess("the sky is grey").level == "support"


def test_three_words_or_fewer_and_an_unsure_model_speak_one_level_lower() -> None:
    assert Detector(load_rules(), _Fixed(0.9, 0.0)).assess("she isnt breathing").level == "urgent"
    assert Detector(load_rules(), _Fixed(0.9, 0.0)).assess("hes back").level == "check"
    assert Detector(load_rules(), _Fixed(0.35, 0.0)).assess("yeah im ok").level == "support"
    assert Detector(load_rules(), _Fixed(0.1, 0.5)).assess("grey").level == "none"
    assert Detector(load_rules(), _Fixed(0.0, 0.0)).assess("kms").level == "urgent"  # a rule
    assert Detector(load_rules(), _Fixed(0.1, 0.1)).assess("grey").level == "none"


def test_a_model_flag_names_the_nearest_training_example() -> None:
    result = load_detector().assess("my stepdad beats me")
    like = [r for r in result.reasons if r.startswith("like (")]
    assert like and like[0].split(")")[0][6:] in {"urgent", "support", "none"}
    assert result.as_dict()["score"] == result.score


def test_a_child_reported_by_an_adult_is_who_child() -> None:
    result = Detector(load_rules(), _Fixed(0.9, 0.0)).assess(
        "im a neighbour and the kids next door are on their own again"
    )
    assert result.level == "urgent" and result.who == "child"


def test_a_word_or_two_is_too_little_for_the_model_alone_to_hand_off() -> None:
    detector = Detector(load_rules(), _Fixed(0.9, 0.0))
    assert detector.assess("tonight").level == "check"
    assert detector.assess("the weather is grey").level == "urgent"
    assert Detector(load_rules(), _Fixed(0.01, 0.0)).assess("kms").level == "urgent"  # a rule


@pytest.mark.parametrize(
    "text", ["hi", "no", "not sure", "my mum", "i said no", "Something I said."]
)
def test_short_everyday_answers_are_not_handed_off(text: str) -> None:
    assert load_detector().assess(text).level in {"none", "support"}


# A broad rule (rules.yml `broad: true`) alone asks; with the model's agreement it hands off.
BROAD_ONLY = "Leaving care at 18 is like being told to end it, no support at all"


def test_a_broad_rule_alone_asks_and_never_gives_less_than_check() -> None:
    rules_only = Detector(load_rules()).assess(BROAD_ONLY)
    assert rules_only.level == "urgent"  # without a model the rules stand as written
    detector = Detector(load_rules())
    assert all(r in detector._broad for r in rules_only.reasons)
    asked = Detector(load_rules(), _Fixed(0.01, 0.0)).assess(BROAD_ONLY)
    assert asked.level == "check" and "broad rule: asks" in asked.reasons
    assert set(rules_only.reasons) <= set(asked.reasons)


def test_a_broad_rule_hands_off_when_the_model_also_sees_risk() -> None:
    agreed = Detector(load_rules(), _Fixed(0.35, 0.0)).assess(BROAD_ONLY)  # at the check band
    assert agreed.level == "urgent" and "broad rule: asks" not in agreed.reasons


@pytest.mark.parametrize(
    "text", ["kms", "i want to die", "going to kill myself tonight", "I want to k1ll mys3lf"]
)
def test_plain_first_person_words_need_no_model(text: str) -> None:
    assert Detector(load_rules(), _Fixed(0.0, 0.0)).assess(text).level == "urgent"


def test_only_some_rules_are_broad() -> None:
    broad = {r.id for r in load_rules().rules if r.broad}
    assert broad and "abuse_ongoing" not in broad and "suicide_explicit" not in broad
    assert len(broad) <= 6  # broadness is the exception: each one is named in docs/safeguarding.md


# A broad rule is not cancelled by "lol": young people often add it to a real disclosure.
@pytest.mark.parametrize(
    "text", ["wont be around for the review results lol", "not gonna be here for christmas lol"]
)
def test_lol_does_not_cancel_a_broad_suicide_rule(text: str) -> None:
    assert Detector(load_rules()).assess(text).level == "urgent"
    assert Detector(load_rules(), _Fixed(0.01, 0.0)).assess(text).level == "check"


def test_grooming_markers_alone_ask_rather_than_hand_off() -> None:
    text = "more youth clubs. when they shut ours the olders moved in within a month"
    assert "exploitation_contact" in Detector(load_rules()).assess(text).reasons
    assert Detector(load_rules(), _Fixed(0.01, 0.0)).assess(text).level == "check"


@pytest.mark.parametrize(
    "text",
    [
        "Sunt singur acasa si mi-e frica de el",
        "Jestem sama w domu i boje sie, nikt nie przyszedl",
        "Ana khayfa, abi yadribni kul yom",
        "أنا خائف من أبي، يضربني كل ليلة",
        "أنا وحيد وخائف",  # "I am alone and scared": three words (an independent tester's)
    ],
)
def test_a_message_mostly_in_words_it_cannot_read_is_asked(text: str) -> None:
    result = load_detector().assess(text)
    assert result.level in {"check", "urgent"}
    if result.level == "check":
        assert "mostly words it cannot read: asks" in result.reasons


@pytest.mark.parametrize(
    "text", ["dziękuję for asking. more social workers who speak Polish", "مرحبا العالم"]
)
def test_a_few_words_of_another_language_are_read_as_usual(text: str) -> None:
    assert load_detector().assess(text).level == "none"  # mostly known words, or under three


class _OneSentence(RiskModel):
    """A stand-in that finds risk only in one short stretch of text."""

    def __init__(self) -> None:
        super().__init__(
            {
                "vocabulary": {},
                "intercept": [0.0, 0.0, 0.0],
                "thresholds": {"urgent": 0.6, "check": 0.3, "support": 0.5, "peak": 0.4},
            }
        )

    def score(self, norm: str) -> Scored:
        worrying = "arrangements" in norm and len(norm) < 120
        return Scored(0.5, 0.1, 0.4) if worrying else Scored(0.05, 0.05, 0.9)

    def familiar(self, norm: str) -> float | None:
        return None


BURIED = (
    "The best thing was one foster carer who kept in touch. The worst was being moved nine "
    "times. I have made arrangements for this weekend. I would like the review to listen to "
    "care leavers. Thank you for reading this."
)


def test_a_disclosure_buried_in_a_long_answer_is_at_least_asked() -> None:
    model = _OneSentence()
    judged = model.judge(BURIED)
    assert judged.urgent == 0.05 and judged.peak == 0.5  # the whole dilutes it; a window does not
    result = Detector(load_rules(), model).assess(BURIED)
    assert result.level == "check"  # two sentences may ask, never hand off on their own
    assert model.judge("I have made arrangements for this weekend.").peak == 0.0  # no windows
