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
