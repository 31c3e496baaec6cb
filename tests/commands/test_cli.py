"""The speakup command line, run as a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_KEY

SPEAKUP = [sys.executable, "-m", "commands.cli"]


def run(
    args: list[str], stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "", **(env or {})}
    return subprocess.run(
        [*SPEAKUP, *args], input=stdin, capture_output=True, text=True, timeout=120, env=full_env
    )


def test_help_explains_each_command() -> None:
    out = run(["--help"]).stdout
    for command in ("serve", "chat", "migrate", "redact", "risk"):
        assert command in out
    assert "--port" in run(["serve", "--help"]).stdout


def test_redact_writes_one_line_per_input_line_in_order() -> None:
    lines = [
        {"text": "call me on 07912 345678"},
        {"text": "no personal data here"},
        "not json",
        {"text": 5},
    ]
    stdin = "\n".join(json.dumps(x) if isinstance(x, dict) else x for x in lines) + "\n"
    res = run(["redact"], stdin)
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(out) == 4
    assert out[0]["text"] == "call me on [phone number]"
    assert out[0]["entities"] == [{"type": "PHONE_NUMBER", "start": 11, "end": 23, "score": 1.0}]
    assert out[1] == {"text": "no personal data here", "entities": []}
    assert "error" in out[2] and "error" in out[3]
    assert res.returncode != 0


def test_risk_writes_the_documented_shape() -> None:
    res = run(
        ["risk"],
        json.dumps({"text": "ngl im gonna kms tonight"})
        + "\n"
        + json.dumps({"text": "more money please"})
        + "\n",
    )
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert out[0]["level"] == "urgent" and out[0]["who"] == "self" and "suicide" in out[0]["kinds"]
    assert out[1]["level"] == "none" and out[1]["reasons"] == [] and out[1]["kinds"] == []
    assert set(out[1]) == {"level", "who", "kinds", "reasons", "score"}
    assert res.returncode == 0


def test_chat_runs_a_conversation_in_the_terminal(tmp_path: Path) -> None:
    env = {
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": TEST_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
    }
    res = run(["chat"], "1\nmy answer\nBYE\n", env)
    assert "Is it OK to start?" in res.stdout
    assert "First question." in res.stdout
    assert "What works well now" in res.stdout
    assert "This chat has ended" in res.stdout


def test_migrate_then_serve_refuses_without_a_key(tmp_path: Path) -> None:
    env = {
        "SPEAKUP_ENV": "production",
        "SPEAKUP_SECRET_KEY": "",
        "DATABASE_URL": f"sqlite:///{tmp_path}/m.db",
    }
    res = run(["serve"], env=env)
    assert res.returncode != 0
    assert "SPEAKUP_SECRET_KEY" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("conversation:\n  idle_minutes: -5\n", "conversation.idle_minutes"),
        ("conversation: [\n", "not valid YAML"),
        ("nonsense_key: 1\n", "nonsense_key"),
    ],
)
def test_broken_config_fails_with_file_field_and_reason(
    tmp_path: Path, yaml_text: str, expected: str
) -> None:
    path = tmp_path / "config.yml"
    path.write_text(yaml_text)
    env = {
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": TEST_KEY,
        "SPEAKUP_CONFIG": str(path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
    }
    res = run(["serve", "--port", "0"], env=env)
    assert res.returncode != 0
    assert str(path) in res.stderr and expected in res.stderr
    assert "Traceback" not in res.stderr


def test_broken_dialogue_names_file_field_and_reason(tmp_path: Path) -> None:
    from dialogues.schema import Dialogue
    from dialogues.yamlfile import ConfigError, load_yaml_model

    path = tmp_path / "d.yml"
    path.write_text("id: x\ntitle: t\nmessages: {}\nsteps: []\n")
    with pytest.raises(ConfigError, match=r"d\.yml: messages\.welcome: Field required"):
        load_yaml_model(path, Dialogue)


def test_data_commands_run_against_a_database(tmp_path: Path) -> None:
    env = {
        "SPEAKUP_ENV": "development",
        "SPEAKUP_SECRET_KEY": TEST_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path}/d.db",
    }
    assert run(["migrate"], env=env).returncode == 0
    run(["chat"], "1\nring me on 07912 345678\nBYE\n", env)
    purge = run(["purge"], env=env)
    assert purge.returncode == 0 and "answers=0" in purge.stdout
    export = run(["export", "--format", "csv"], env=env)
    assert export.stdout.startswith("export_id,exported_by,conversation,question_id")
    assert "ring me on [phone number]" in export.stdout
    export_id = export.stdout.splitlines()[1].split(",")[0]
    listed = run(["withdrawals", "--since", export_id], env=env)
    assert listed.returncode == 0 and listed.stdout.startswith("# conversations withdrawn since")
    assert "v1: 0 open conversations (current)" in run(["keys"], env=env).stdout
    assert run(["reredact", "--answer", "1"], env=env).stdout.strip() in {
        "unchanged",
        "re-redacted",
    }
    assert run(["withdrawals", "--since", "not-a-date"], env=env).returncode == 2


def test_the_fast_yaml_loader_reads_every_shipped_file_as_the_pure_python_one_does() -> None:
    import yaml

    from dialogues.yamlfile import SAFE_LOADER

    root = Path(__file__).resolve().parents[2]
    files = [
        root / "config.yml",
        *root.glob("dialogues/**/*.yml"),
        *root.glob("safeguarding/*.yml"),
    ]
    assert len(files) >= 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text), path


def test_commands_that_never_redact_do_not_load_the_model_libraries() -> None:
    check = (
        "import sys, commands.cli; print(sorted({'presidio_analyzer', 'spacy'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
