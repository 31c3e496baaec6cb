"""Candidate themes from answers no theme fits: groups of similar answers, each with its most
typical answers and its distinctive words, for staff to name, merge into the codebook, or dismiss.

Answers are grouped by their MiniLM embeddings (agglomerative clustering, average linkage on
cosine distance, cut at a fixed distance so the number of groups follows the data). Groups
smaller than ``min_size`` are left out: a candidate theme is something several people said.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DISTANCE = 0.75  # average cosine distance at which groups stop merging
TYPICAL = 3
WORDS = 6


@dataclass(frozen=True)
class Candidate:
    """A group of answers that might be a new theme."""

    size: int
    members: list[int]  # indices into the answers given, most typical first
    typical: list[str]
    words: list[str]


def candidates(
    texts: list[str], vecs: NDArray[np.float32], *, min_size: int = 3
) -> list[Candidate]:
    """Candidate themes among ``texts`` (already chosen as fitting no theme), largest first."""
    if len(texts) < max(min_size, 2):
        return []
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=DISTANCE
    ).fit_predict(vecs)
    try:
        tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english")
        words = tfidf.fit_transform(texts)
        vocabulary = tfidf.get_feature_names_out()
    except ValueError:  # nothing but stop words
        words, vocabulary = None, np.array([])
    out = []
    for label in sorted(set(labels.tolist())):
        members = np.flatnonzero(labels == label)
        if len(members) < min_size:
            continue
        centre = vecs[members].mean(axis=0)
        order = members[np.argsort(-(vecs[members] @ centre), kind="stable")]
        distinctive: list[str] = []
        if words is not None:
            outside = np.setdiff1d(np.arange(len(texts)), members)
            lift = np.asarray(words[members].mean(axis=0)).ravel()
            if len(outside):  # words common in the group and rarer outside it
                lift = lift - np.asarray(words[outside].mean(axis=0)).ravel()
            distinctive = [str(vocabulary[i]) for i in np.argsort(-lift)[:WORDS] if lift[i] > 0]
        out.append(
            Candidate(
                size=len(members),
                members=[int(i) for i in order],
                typical=[texts[i] for i in order[:TYPICAL]],
                words=distinctive,
            )
        )
    return sorted(out, key=lambda c: (-c.size, c.members[0]))
