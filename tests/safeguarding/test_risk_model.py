"""The committed risk model: rebuilt from its recipe (to float rounding), with a record of its data;
``speakup risk`` and ``speakup risk train`` keep their command-line shape."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from commands import risktrain
from safeguarding.model import MODEL_FILE

ROOT = Path(__file__).resolve().parents[2]


def speakup(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "commands.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=ROOT,
    )


def _same(built: object, committed: object, path: str = "") -> None:
    """Equal, numbers to within float rounding: BLAS sums in a different order on another CPU
    (seen on 2026-12-01: the last of six decimals moved by one on a machine without AVX-512),
    so the same recipe gives the same model, not always the same bytes."""
    if isinstance(built, float) or isinstance(committed, float):
        assert isinstance(committed, int | float) and isinstance(built, int | float), path
        assert math.isclose(built, committed, abs_tol=1e-5), f"{path}: {built} != {committed}"
    elif isinstance(built, dict):
        assert isinstance(committed, dict) and built.keys() == committed.keys(), path
        for key in built:
            _same(built[key], committed[key], f"{path}/{key}")
    elif isinstance(built, list):
        assert isinstance(committed, list) and len(built) == len(committed), path
        for i, (b, c) in enumerate(zip(built, committed, strict=True)):
            _same(b, c, f"{path}[{i}]")
    else:
        assert built == committed, path


def test_rebuilding_the_model_reproduces_the_committed_file() -> None:
    data, record = risktrain.build(risktrain.default_files())
    committed = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    _same(json.loads(risktrain.dumps(data)), committed)  # else: run `speakup risk train`
    on_disk = json.loads(MODEL_FILE.with_suffix(".record.json").read_text(encoding="utf-8"))
    _same(json.loads(json.dumps(record)), on_disk)


def test_the_record_names_every_file_it_was_built_from() -> None:
    record = json.loads(MODEL_FILE.with_suffix(".record.json").read_text(encoding="utf-8"))
    names = [s["file"] for s in record["sources"]]
    assert names == [f.name for f in risktrain.default_files()]
    for source in record["sources"]:
        assert len(source["sha256"]) == 64 and source["rows"] > 0
    assert set(record["thresholds"]) == {"urgent", "check", "support", "peak"}
    assert {"numpy", "scikit-learn", "python"} <= set(record["versions"])


def test_risk_prints_one_object_per_line_with_the_five_fields() -> None:
    lines = [
        {"text": "I want to k1ll mys3lf tonight"},
        {"text": "more money for kinship carers please"},
        {"text": ""},
    ]
    res = speakup(["risk"], "".join(json.dumps(x) + "\n" for x in lines) + "not json\n")
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(out) == 4 and res.returncode == 1  # the bad line gets an error line, in order
    for row in out[:3]:
        assert set(row) == {"level", "who", "kinds", "reasons", "score"}
        assert row["level"] in {"urgent", "check", "support", "none"}
    assert out[0]["level"] == "urgent" and isinstance(out[0]["score"], float)
    assert out[1]["level"] == "none" and out[1]["reasons"] == []
    assert out[2] == {"level": "none", "who": None, "kinds": [], "reasons": [], "score": None}
    assert "error" in out[3]


@pytest.fixture
def small_training_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Forty lines of each writer: the same build, a few seconds instead of a minute."""
    files = []
    for source in risktrain.default_files():
        lines = source.read_text(encoding="utf-8").splitlines()
        small = tmp_path / source.name
        small.write_text("\n".join(lines[::8][:40]) + "\n", encoding="utf-8")
        files.append(small)
    monkeypatch.setattr(risktrain, "default_files", lambda: files)
    return files


def test_risk_train_writes_the_model_and_a_record_including_corrections(
    small_training_set: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from commands.cli import main

    corrections = tmp_path / "corrections.tsv"
    corrections.write_text("urgent\tthe [name] keeps coming round at night\nnone\tfine\n")
    output = tmp_path / "out" / "model.json"
    assert main(["risk", "train", "--corrections", str(corrections), "--output", str(output)]) == 0
    assert "wrote" in capsys.readouterr().out
    model = json.loads(output.read_text(encoding="utf-8"))
    assert {"vocabulary", "intercept", "thresholds", "examples", "record"} <= set(model)
    record = json.loads(output.with_suffix(".record.json").read_text(encoding="utf-8"))
    assert record["sources"][-1]["file"] == "corrections.tsv"
    assert record["sources"][-1]["rows"] == 2
    # corrections are redacted real messages: trained on, never shown to staff as an example
    assert ["urgent", "the [name] keeps coming round at night"] not in model["examples"]
    lines = sum(len(f.read_text(encoding="utf-8").splitlines()) for f in small_training_set)
    assert len(model["examples"]) == lines


def test_risk_train_refuses_a_corrections_file_with_a_bad_level(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tsv"
    bad.write_text("maybe\tsomething\n")
    with pytest.raises(ValueError, match=r"bad\.tsv line 1"):
        risktrain.read_labelled(bad)
