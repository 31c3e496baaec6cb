"""Candidate themes from answers no theme fits: groups of similar answers, each with its most
typical answers and its distinctive words, for staff to name, merge into the codebook, or dismiss.

Answers are grouped by their MiniLM embeddings (agglomerative clustering, average linkage on
cosine distance, cut at a fixed distance so the number of groups follows the data). Groups
smaller than ``min_size`` are left out: a candidate theme is something several people said.

Clustering costs the square of the answers it is given, so past ``sample`` answers it clusters a
fixed-seed sample of that many, then places every other answer in the group it is nearest to,
when its average cosine distance to that group's sampled members is within the same cut (else in
no group). Sizes and typical answers count every answer; the words come from the sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

DISTANCE = 0.75  # average cosine distance at which groups stop merging
TYPICAL = 3
WORDS = 6
UNFITTED = 0.5  # no theme fits: nothing suggested, or no theme with at least this confidence
SAMPLE = 2000  # answers clustered at most (about 0.4 s on one core); the rest are placed


@dataclass(frozen=True)
class Candidate:
    """A group of answers that might be a new theme."""

    size: int
    members: list[int]  # indices into the answers given, most typical first
    typical: list[str]
    words: list[str]


def _unit(vecs: NDArray[np.float32]) -> NDArray[np.float32]:
    norms = np.linalg.norm(vecs, axis=-1, keepdims=True)
    return np.asarray(vecs / np.where(norms == 0, 1, norms), dtype=np.float32)


def candidates(
    texts: list[str],
    vecs: NDArray[np.float32],
    *,
    min_size: int = 3,
    sample: int = SAMPLE,
    seed: int = 0,
) -> list[Candidate]:
    """Candidate themes among ``texts`` (already chosen as fitting no theme), largest first."""
    if len(texts) < max(min_size, 2):
        return []
    picked = np.arange(len(texts))
    if len(texts) > sample:
        rng = np.random.default_rng(seed)
        picked = np.sort(rng.choice(len(texts), size=sample, replace=False))
    groups = _groups([texts[i] for i in picked], vecs[picked], min_size)
    rest = np.setdiff1d(np.arange(len(texts)), picked)
    placed = _place(vecs, picked, rest, [m for m, _ in groups])
    out = []
    for (members, words), extra in zip(groups, placed, strict=True):
        everyone = np.concatenate([picked[members], extra]).astype(int)
        centre = vecs[picked[members]].mean(axis=0)
        order = everyone[np.argsort(-(vecs[everyone] @ centre), kind="stable")]
        out.append(
            Candidate(
                size=len(order),
                members=[int(i) for i in order],
                typical=[texts[i] for i in order[:TYPICAL]],
                words=words,
            )
        )
    return sorted(out, key=lambda c: (-c.size, c.members[0]))


def _groups(
    texts: list[str], vecs: NDArray[np.float32], min_size: int
) -> list[tuple[NDArray[np.int_], list[str]]]:
    """Clusters of at least ``min_size`` (positions in ``texts``) with their distinctive words."""
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
        distinctive: list[str] = []
        if words is not None:
            outside = np.setdiff1d(np.arange(len(texts)), members)
            lift = np.asarray(words[members].mean(axis=0)).ravel()
            if len(outside):  # words common in the group and rarer outside it
                lift = lift - np.asarray(words[outside].mean(axis=0)).ravel()
            distinctive = [str(vocabulary[i]) for i in np.argsort(-lift)[:WORDS] if lift[i] > 0]
        out.append((members, distinctive))
    return out


def _place(
    vecs: NDArray[np.float32],
    picked: NDArray[np.int_],
    rest: NDArray[np.int_],
    groups: list[NDArray[np.int_]],
) -> list[NDArray[np.int_]]:
    """For each group, the answers outside the sample that join it (indices into ``vecs``)."""
    if not len(rest) or not groups:
        return [np.zeros(0, dtype=int) for _ in groups]
    # An answer's average cosine distance to a group's members is 1 - (answer . their mean): the
    # measure average linkage merges by. It joins its nearest group if that is within DISTANCE.
    means = np.stack([_unit(vecs[picked[m]]).mean(axis=0) for m in groups])
    out: list[list[int]] = [[] for _ in groups]
    for at in range(0, len(rest), 10_000):  # bounded memory for 100,000 answers
        chunk = rest[at : at + 10_000]
        sims = _unit(vecs[chunk]) @ means.T
        best = sims.argmax(axis=1)
        joined = sims[np.arange(len(chunk)), best] >= 1 - DISTANCE
        for i, g in zip(chunk[joined].tolist(), best[joined].tolist(), strict=True):
            out[g].append(i)
    return [np.array(m, dtype=int) for m in out]
