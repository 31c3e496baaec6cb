"""The rule groups' compiled form matches exactly what one boundary per fragment would match."""

from __future__ import annotations

import re

from commands import risktrain
from safeguarding.detector import _compile, load_rules
from safeguarding.normalise import normalise


def _one_boundary_per_fragment(fragments: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for frag in fragments:
        left = r"(?<![a-z0-9])" if re.match(r"[a-z0-9\\(\[]", frag) else ""
        right = r"(?![a-z0-9])" if re.search(r"[a-z0-9)\]?*+]$", frag) else ""
        parts.append(f"{left}(?:{frag}){right}")
    return re.compile("|".join(parts))


def test_shared_boundary_finds_the_same_groups_on_every_labelled_message() -> None:
    texts = [normalise(t) for f in risktrain.default_files() for _, t in risktrain.read_labelled(f)]
    texts += ["", "kms", "🔪 tonight", "k1ll mys3lf", "word" * 500]
    for name, fragments in load_rules().groups.items():
        fast, plain = _compile(fragments), _one_boundary_per_fragment(fragments)
        differ = [t[:60] for t in texts if (fast.search(t) is None) != (plain.search(t) is None)]
        assert not differ, f"group {name} differs on {differ[:3]}"
