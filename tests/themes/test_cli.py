"""The ``speakup themes suggest`` contract: one JSON line per input line, in order, offline."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from commands.cli import main

CODEBOOK = """
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
  - id: money
    name: Money and allowances
    description: "Pocket money, allowances, grants, benefits, debt and poverty."
"""
EXAMPLES = [
    ("my social worker changed four times this year", ["social_worker"]),
    ("she never calls back and I have to explain everything again", ["social_worker"]),
    ("the council put me in a hostel with drug users", ["housing"]),
    ("I couldn't pay the deposit for a flat", ["housing", "money"]),
    ("I was moved school three times and fell behind", ["school"]),
    ("nobody helped with my college application", ["school"]),
    ("my allowance is not enough to buy food", ["money"]),
    ("the leaving care grant ran out in a month", ["money"]),
    ("they kept excluding me from school", ["school"]),
    ("a good social worker who stayed for years made all the difference", ["social_worker"]),
    ("sofa surfing at 18 because there was no flat for me", ["housing"]),
    ("I'd like to say thank you", []),
]
INPUTS = [
    {"id": "a1", "text": "I had five different social workers in a year"},
    {"id": 2, "text": "I was homeless and they put me in a B&B"},
    {"id": "a3", "text": ""},
    {"id": "a4", "text": "🙂🙂🙂"},
    {"id": "a5", "text": "we need tutoring and help with exams " * 40},
]


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    book = tmp_path / "codebook.yml"
    book.write_text(CODEBOOK)
    examples = tmp_path / "examples.jsonl"
    examples.write_text(
        "\n".join(json.dumps({"text": t, "themes": th}) for t, th in EXAMPLES) + "\n"
    )
    return book, examples


def run(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    lines: list[str],
) -> tuple[int, list[dict], str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    code = main(["themes", "suggest", *args])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err


def test_one_line_per_input_in_order_with_scores_for_every_theme(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book, examples = files
    args = ["--codebook", str(book), "--examples", str(examples)]
    code, out, _ = run(monkeypatch, capsys, args, [json.dumps(x) for x in INPUTS])
    assert code == 0
    assert [o["id"] for o in out] == [x["id"] for x in INPUTS]
    ids = {"social_worker", "housing", "school", "money"}
    for line in out:
        assert set(line) == {"id", "themes", "scores"}
        assert set(line["scores"]) == ids
        assert all(0.0 <= v <= 1.0 for v in line["scores"].values())
        assert len(line["themes"]) <= 3 and set(line["themes"]) <= ids
        ranked = [line["scores"][t] for t in line["themes"]]
        assert ranked == sorted(ranked, reverse=True)  # best first
    assert out[0]["themes"][0] == "social_worker"
    assert out[1]["themes"][0] == "housing"
    assert "school" in out[4]["themes"]
    # Deterministic: the same input gives the same output, byte for byte.
    again = run(monkeypatch, capsys, args, [json.dumps(x) for x in INPUTS])[1]
    assert again == out


def test_descriptions_alone_and_top_one(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book, _ = files
    code, out, _ = run(
        monkeypatch, capsys, ["--codebook", str(book), "--top", "1"], [json.dumps(INPUTS[0])]
    )
    assert code == 0
    assert out[0]["themes"] == ["social_worker"]


def test_bad_lines_get_an_error_line_and_the_rest_are_answered(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book, examples = files
    lines = ['{"id": "x"}', "not json", json.dumps(INPUTS[1]), '{"id": "n", "text": 5}', ""]
    args = ["--codebook", str(book), "--examples", str(examples)]
    code, out, _ = run(monkeypatch, capsys, args, lines)
    assert code == 1
    assert [o.get("id") for o in out] == ["x", None, 2, "n"]
    assert "error" in out[0] and "error" in out[1] and "error" in out[3]
    assert out[2]["themes"]


def test_explain_adds_reasons_a_person_can_check(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book, examples = files
    args = ["--codebook", str(book), "--examples", str(examples), "--explain"]
    _, out, _ = run(monkeypatch, capsys, args, [json.dumps(INPUTS[0])])
    why = out[0]["reasons"]["social_worker"]
    assert why["examples"][0]["text"] in {t for t, _ in EXAMPLES}
    assert isinstance(why["words"], list) and why["item"]


def test_refusals_say_what_is_wrong(
    files: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book, examples = files
    bad = tmp_path / "bad.yml"
    bad.write_text("themes: 3")
    code, out, err = run(monkeypatch, capsys, ["--codebook", str(bad)], ["{}"])
    assert code == 2 and not out and "themes" in err
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "x", "themes": "housing"}\n')
    code, _, err = run(
        monkeypatch, capsys, ["--codebook", str(book), "--examples", str(broken)], ["{}"]
    )
    assert code == 2 and "broken.jsonl:1" in err
    odd = tmp_path / "odd.jsonl"
    odd.write_text(examples.read_text() + '{"text": "y", "themes": ["nope"]}\n')
    code, out, err = run(
        monkeypatch,
        capsys,
        ["--codebook", str(book), "--examples", str(odd)],
        [json.dumps(INPUTS[0])],
    )
    assert code == 0 and "nope" in err and out[0]["themes"]


def test_discover_groups_answers_no_theme_fits(
    files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    book, examples = files
    dentist = [
        "I waited two years to see a dentist in care",
        "nobody took me to the dentist and my teeth hurt",
        "foster children can't get a dentist appointment",
        "the dentist said my teeth were neglected",
    ]
    lines = [json.dumps({"id": f"d{i}", "text": t}) for i, t in enumerate(dentist)]
    lines.append(json.dumps({"id": "h", "text": "the council put me in a hostel"}))
    skips = ["skip", "n/a", "dunno", "skip", "no comment", "skip this", "pass", "n/a", "idk"]
    lines += [json.dumps({"id": f"s{i}", "text": t}) for i, t in enumerate(skips)]
    monkeypatch.setattr("sys.stdin", io.StringIO("\n".join(lines) + "\n"))
    args = ["themes", "discover", "--codebook", str(book), "--examples", str(examples)]
    assert main(args) == 0
    found = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert found and found[0]["size"] >= 3
    assert set(found[0]["ids"]) <= {"d0", "d1", "d2", "d3"}
    assert "dentist" in found[0]["words"] and found[0]["typical"][0] in dentist
    assert not any(i.startswith("s") for f in found for i in f["ids"])  # non-answers: no theme


def test_a_few_examples_count_before_there_are_enough_to_learn_from(
    files: tuple[Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    book, _ = files
    few = tmp_path / "few.jsonl"
    few.write_text(json.dumps({"text": "my teeth hurt and no dentist", "themes": ["money"]}) + "\n")
    line = json.dumps({"id": 1, "text": "I could not find a dentist for my teeth"})
    without = run(monkeypatch, capsys, ["--codebook", str(book)], [line])[1][0]
    with_one = run(monkeypatch, capsys, ["--codebook", str(book), "--examples", str(few)], [line])
    assert with_one[1][0]["scores"]["money"] > without["scores"]["money"]
    assert with_one[1][0]["themes"][0] == "money"
