"""The suggester's own rules: centring, non-answers, and suggestions that depend only on the
answer (never on the other answers scored with it), with the real MiniLM encoder."""

from __future__ import annotations

import numpy as np
import pytest

from themes import model as m
from themes.codebook import load_yaml
from themes.encoder import Encoder
from themes.explain import explained

BOOK = load_yaml(
    """
themes:
  - id: social_worker
    name: Relationships with social workers
    description: "Turnover of social workers, caseloads, reliability, trust, retelling your story."
  - id: housing
    name: Housing
    description: "Homes and accommodation: homelessness, hostels, tenancies, deposits. Not for foster placements."
  - id: school
    name: Education and school
    description: "School, college, exclusions, tutoring, bursaries and apprenticeships."
"""
)
EXAMPLES = [
    m.Example("my social worker changed four times this year", ("social_worker",)),
    m.Example("she never calls back and I have to explain everything again", ("social_worker",)),
    m.Example(
        "a good social worker who stayed for years made all the difference", ("social_worker",)
    ),
    m.Example("the council put me in a hostel with drug users", ("housing",)),
    m.Example("sofa surfing at 18 because there was no flat for me", ("housing",)),
    m.Example("I couldn't pay the deposit for a flat", ("housing",)),
    m.Example("I was moved school three times and fell behind", ("school",)),
    m.Example("nobody helped with my college application", ("school",)),
    m.Example("they kept excluding me from school", ("school",)),
]


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    return Encoder()


@pytest.fixture(scope="module")
def fitted(encoder: Encoder) -> m.Suggester:
    return m.Suggester(BOOK, EXAMPLES, encoder)


def test_centring_uses_the_codebook_and_examples_not_the_answers(
    fitted: m.Suggester, encoder: Encoder
) -> None:
    assert fitted.learning
    known = np.vstack([fitted.summary_vecs, fitted.item_vecs, fitted.example_vecs])
    assert np.allclose(fitted.centre, known.mean(axis=0), atol=1e-6)
    # Description only: plain cosines, so the rule fixed in advance still means what it says.
    zero = m.Suggester(BOOK, [], encoder)
    assert not zero.centre.any()
    text = "I had five different social workers in a year"
    vec = encoder.encode([text])
    assert np.allclose(zero.scores([text])[0], zero.description_scores(vec))


def test_an_answer_gets_the_same_suggestions_whatever_it_is_scored_with(
    fitted: m.Suggester,
) -> None:
    answer = "the hostel they put me in was not safe"
    alone = fitted.suggest([answer])[0]
    among = fitted.suggest(["I loved my tutor", answer, "my social worker left", "skip"])[1]
    assert alone == among
    assert alone.themes[0] == "housing"


@pytest.mark.parametrize("text", ["skip", "n/a", "dunno", "Nothing to add.", "no comment"])
def test_non_answers_get_no_theme(fitted: m.Suggester, encoder: Encoder, text: str) -> None:
    for model in (fitted, m.Suggester(BOOK, [], encoder)):
        suggestion = model.suggest([text])[0]
        assert suggestion.themes == []
        assert set(suggestion.scores) == {"social_worker", "housing", "school"}
    assert explained(fitted, [text])[0][1] == {}


@pytest.mark.parametrize(
    "text",
    [
        "no one listened to me at school",
        "nothing was done about the damp in my flat",
        "I don't know who my social worker is",
    ],
)
def test_answers_that_start_like_a_refusal_still_get_themes(fitted: m.Suggester, text: str) -> None:
    assert fitted.suggest([text])[0].themes


def test_reasons_show_plain_cosines_to_the_examples(fitted: m.Suggester, encoder: Encoder) -> None:
    text = "my social worker keeps changing"
    suggestion, reasons = explained(fitted, [text])[0]
    assert suggestion.themes[0] == "social_worker"
    nearest = reasons["social_worker"]["examples"][0]
    vecs = encoder.encode([text, nearest["text"]])
    assert nearest["similarity"] == pytest.approx(float(vecs[0] @ vecs[1]), abs=1e-3)


def test_the_rule_is_chosen_on_the_examples_and_ties_go_to_more_suggestions() -> None:
    # Three examples, each with one theme scored far above the rest: every floor up to the
    # lowest best score, and every spread, gets all three right.
    scores = np.array([[5.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 3.0]])
    labels = np.eye(3, dtype=bool)
    rule = m.choose_rule(scores, labels)
    assert rule.floor == pytest.approx(3.0) and rule.spread == max(m.SPREADS)
    # A second theme close behind the best, and examples that carry only the best: the spread
    # must shut it out.
    close = np.array([[5.0, 4.9, 0.0], [0.0, 4.0, 3.9], [3.9, 0.0, 4.0]])
    rule = m.choose_rule(close, labels)
    assert rule.spread < 0.1
    assert [rule.choose(row, 3) for row in close] == [[0], [1], [2]]
