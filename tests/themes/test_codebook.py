"""The codebook: the analysts' YAML in and out, and merge, split, retire."""

from __future__ import annotations

from pathlib import Path

import pytest

from themes.codebook import Codebook, CodebookError, Theme, dump_yaml, load_yaml, map_labels
from themes.describe import covers, items, summary

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "themes_codebook.yml"
SMALL = """
themes:
  - id: housing
    name: Housing
    description: "Homes: hostels, tenancies and deposits. Not for foster placements (placement_stability)."
  - id: money
    name: Money
    description: Allowances and grants
"""


def test_the_shared_codebook_loads_and_round_trips() -> None:
    if not SHARED.exists():
        pytest.skip("the shared dev codebook is not beside the worktree")
    book = load_yaml(SHARED.read_text())
    assert len(book.ids()) == 16
    again = load_yaml(dump_yaml(book))
    assert again == book


def test_yaml_round_trip_keeps_retired_themes_only_when_asked() -> None:
    book = load_yaml(SMALL).retire("money")
    assert "money" not in load_yaml(dump_yaml(book)).ids()
    full = load_yaml(dump_yaml(book, include_retired=True))
    assert full.get("money").retired
    assert full == book


@pytest.mark.parametrize(
    "text",
    [
        "themes: 3",
        "- id: a",
        "themes:\n  - id: Bad Id\n    name: x",
        "themes:\n  - id: a\n    name: A\n  - id: a\n    name: B",
        "themes:\n  - id: a\n    name: ''",
        "themes: [",
    ],
)
def test_invalid_codebooks_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(CodebookError):
        load_yaml(text)


def test_merge_points_old_codings_at_the_target() -> None:
    book = load_yaml(SMALL).merge(["money"], into="housing")
    assert book.ids() == ["housing"]
    assert book.get("money").merged_into == "housing"
    assert map_labels(book, ["money", "housing", "gone"]) == ["housing"]
    with pytest.raises(CodebookError):
        book.merge(["housing"], into="money")  # retired target


def test_split_retires_the_theme_and_adds_its_parts() -> None:
    parts = [Theme("tenancies", "Tenancies"), Theme("homelessness", "Homelessness")]
    book = load_yaml(SMALL).split("housing", parts)
    assert book.ids() == ["money", "tenancies", "homelessness"]
    assert map_labels(book, ["housing"]) == []  # a person re-codes these
    with pytest.raises(CodebookError):
        load_yaml(SMALL).split("housing", parts[:1])


def test_edit_and_retire_return_new_codebooks() -> None:
    book = load_yaml(SMALL)
    edited = book.edit("money", name="Money and poverty")
    assert book.get("money").name == "Money"
    assert edited.get("money").name == "Money and poverty"
    with pytest.raises(CodebookError):
        book.retire("money").retire("money")
    assert isinstance(book.add(Theme("school", "School")), Codebook)


def test_descriptions_drop_their_exclusions() -> None:
    housing = load_yaml(SMALL).get("housing")
    assert covers(housing) == "Homes: hostels, tenancies and deposits"
    assert summary(housing).startswith("Housing: Homes")
    assert items(housing) == ["Housing: hostels", "Housing: tenancies", "Housing: deposits"]
    assert not any("foster" in text for text in items(housing))
