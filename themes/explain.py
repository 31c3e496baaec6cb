"""Reasons a person can check for each suggested theme.

- ``examples``: the confirmed examples of that theme nearest to the answer (cosine), so a coder
  sees what the model is comparing with;
- ``words``: the answer's words that weighed most for the theme in the words model (TF-IDF value
  times the theme's coefficient; only words pushing towards the theme);
- ``item``: the part of the theme's description the answer sits closest to.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from themes.model import Suggester, Suggestion

NEAREST = 2
WORDS = 3


def explain(model: Suggester, texts: list[str], *, top: int = 3) -> list[dict[str, dict[str, Any]]]:
    """For each text, {theme_id: reasons} for the themes it would suggest."""
    return [reasons for _, reasons in explained(model, texts, top=top)]


def explained(
    model: Suggester, texts: list[str], *, top: int = 3
) -> list[tuple[Suggestion, dict[str, dict[str, Any]]]]:
    """Suggestions and their reasons, computed from one pass of the model."""
    if not texts:
        return []
    combined, vecs = model.scores(texts)
    words = model.parts.vectorizer.transform(texts) if model.learning else None
    vocabulary = model.parts.vectorizer.get_feature_names_out() if model.learning else np.array([])
    example_sims = vecs @ model.example_vecs.T if len(model.example_texts) else None
    item_sims = vecs @ model.item_vecs.T if len(model.item_texts) else None
    declined = model.non_answers(vecs)
    out = []
    for row, scores in enumerate(combined):
        suggestion = model.decide(scores, top, bool(declined[row]))
        reasons: dict[str, dict[str, Any]] = {}
        for theme in suggestion.themes:
            j = model.ids.index(theme)
            why: dict[str, Any] = {"confidence": suggestion.scores[theme]}
            if example_sims is not None:
                members = np.flatnonzero(model.example_labels[:, j])
                near = members[np.argsort(-example_sims[row, members], kind="stable")][:NEAREST]
                why["examples"] = [
                    {
                        "text": model.example_texts[i],
                        "similarity": round(float(example_sims[row, i]), 3),
                    }
                    for i in near
                ]
            if words is not None:
                coef = model.parts.words[j].coef_[0]
                present = words[row].indices
                weight = words[row].data * coef[present]
                order = np.argsort(-weight, kind="stable")
                why["words"] = [str(vocabulary[present[i]]) for i in order[:WORDS] if weight[i] > 0]
            if item_sims is not None and (model.item_owner == j).any():
                members = np.flatnonzero(model.item_owner == j)
                best = members[int(np.argmax(item_sims[row, members]))]
                why["item"] = model.item_texts[best].split(": ", 1)[-1]
            reasons[theme] = why
        out.append((suggestion, reasons))
    return out
