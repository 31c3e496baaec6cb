"""The dependency graph is one-way: channels import only message types and their SDK; privacy and
safeguarding are leaf libraries; the engine does no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = {"bot", "dialogues", "actions", "channels", "privacy", "safeguarding", "review"}


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def project_imports(package: str) -> dict[str, set[str]]:
    return {
        str(p.relative_to(ROOT)): {m for m in imports(p) if m.split(".")[0] in PROJECT}
        for p in (ROOT / package).rglob("*.py")
    }


@pytest.mark.parametrize("package", ["privacy", "safeguarding"])
def test_leaf_libraries_import_nothing_from_the_project(package: str) -> None:
    for path, mods in project_imports(package).items():
        assert all(m.split(".")[0] == package for m in mods), f"{path} imports {mods}"


def test_channels_import_only_message_types_and_their_sdk() -> None:
    for path, mods in project_imports("channels").items():
        assert mods <= {
            "bot.messages",
            "channels.base",
            "channels.rest",
            "channels.web",
            "channels.twilio",
            "channels.telegram",
        }, f"{path} imports {mods}"


def test_the_engine_does_no_io() -> None:
    banned = {
        "sqlalchemy",
        "httpx",
        "requests",
        "socket",
        "redis",
        "starlette",
        "logging",
        "os",
        "pathlib",
    }
    for name in (
        "engine.py",
        "turn.py",
        "contact_flow.py",
        "choices.py",
        "keywords.py",
        "state.py",
        "effects.py",
    ):
        mods = {m.split(".")[0] for m in imports(ROOT / "bot" / name)}
        assert not mods & banned, f"bot/{name} imports {mods & banned}"
        assert not {
            m
            for m in imports(ROOT / "bot" / name)
            if m.startswith(("bot.storage", "actions", "channels"))
        }


def test_no_module_is_a_dumping_ground_or_too_long() -> None:
    for package in PROJECT:
        for path in (ROOT / package).rglob("*.py"):
            assert path.name not in {"utils.py", "helpers.py", "misc.py"}, path
            lines = path.read_text(encoding="utf-8").count("\n")
            assert lines <= 450, f"{path.relative_to(ROOT)} has {lines} lines"
