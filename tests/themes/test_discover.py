"""Candidate themes from answers no theme fits."""

from __future__ import annotations

import numpy as np

from themes.discover import candidates


def test_too_few_answers_give_no_candidates() -> None:
    vecs = np.eye(2, 384, dtype=np.float32)
    assert candidates(["a b", "c d"], vecs) == []


def test_groups_come_largest_first_with_typical_answers_and_words() -> None:
    rng = np.random.default_rng(0)
    base = rng.normal(size=(2, 384)).astype(np.float32)
    vecs = np.vstack(
        [base[0] + 0.05 * rng.normal(size=384) for _ in range(4)]
        + [base[1] + 0.05 * rng.normal(size=384) for _ in range(3)]
    ).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    texts = ["dentist wait"] * 4 + ["the of and", "the of", "and the"]  # last group: stop words
    found = candidates(texts, vecs)
    assert [c.size for c in found] == [4, 3]
    assert found[0].words == ["dentist", "wait"] and found[0].typical[0] == "dentist wait"
    assert found[1].words == [] and sorted(found[1].members) == [4, 5, 6]


def test_past_the_sample_every_answer_is_placed_in_its_group() -> None:
    rng = np.random.default_rng(1)
    base = rng.normal(size=(3, 384)).astype(np.float32)
    sizes = (60, 40, 5)
    vecs = np.vstack(
        [base[g] + 0.05 * rng.normal(size=384) for g, n in enumerate(sizes) for _ in range(n)]
    ).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    texts = [w for g, n in enumerate(sizes) for w in [f"{('dentist', 'bus', 'rain')[g]} x"] * n]
    whole = candidates(texts, vecs)
    sampled = candidates(texts, vecs, sample=30, min_size=3)
    assert [c.size for c in whole] == [60, 40, 5]
    # The sample holds about 30 of 105: the small group may fall below three in it and go, but
    # the groups that stay have every member, most typical first, as without sampling.
    assert [c.size for c in sampled][:2] == [60, 40]
    assert sorted(sampled[0].members) == list(range(60))
    assert sampled[0].words == ["dentist"] and sampled[1].typical[0] == "bus x"
