"""The dependency graph is one-way, as ARCHITECTURE.md draws it.

- ``bot/`` is the conversation alone: pure, no I/O library.
- ``channels/`` import only the message types (and their own SDKs).
- ``privacy/`` and ``safeguarding/`` are leaf libraries.
- ``storage/`` imports no web framework; the server, the staff app and the command line depend on
  storage, never the reverse.
- No module past about 400 lines, no package past about 15 modules without sub-packages.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Which of the project's packages each package may import (besides itself). This table is the
# graph in ARCHITECTURE.md; a new edge is a design decision, made here and there together.
ALLOWED: dict[str, set[str]] = {
    "privacy": set(),
    "safeguarding": set(),
    "dialogues": set(),
    "themes": set(),
    "bot": {"dialogues", "privacy", "safeguarding"},
    "channels": {"bot"},  # and only bot.messages: see the channel test below
    "config": {"dialogues", "privacy", "safeguarding"},
    "storage": {"bot", "config", "privacy"},
    "actions": {"bot", "dialogues", "privacy", "storage"},
    "review": {"config", "dialogues", "privacy", "storage", "themes"},
    "server": {
        "actions",
        "bot",
        "channels",
        "config",
        "dialogues",
        "privacy",
        "review",
        "safeguarding",
        "storage",
    },
}
# The command line runs the server and the data tasks; it needs no action of its own.
ALLOWED["commands"] = (ALLOWED["server"] - {"actions"}) | {"server", "themes"}
PROJECT = set(ALLOWED)
IO_LIBRARIES = {
    "sqlalchemy",
    "alembic",
    "httpx",
    "requests",
    "socket",
    "redis",
    "starlette",
    "uvicorn",
    "jinja2",
    "logging",
    "os",
    "pathlib",
    "io",
    "subprocess",
    "threading",
    "asyncio",
    "twilio",
    "telegram",
    "limits",
    "prometheus_client",
}
WEB_FRAMEWORKS = {"starlette", "uvicorn", "jinja2", "httpx", "multipart"}
MAX_LINES = 400
MAX_MODULES = 15


def imports(path: Path) -> set[str]:
    """Every absolute module name a file imports, at the top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(package: str) -> Iterator[Path]:
    yield from sorted((ROOT / package).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".")[0]


def test_every_project_package_is_in_the_table() -> None:
    on_disk = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests", "benchmarks"}
    assert on_disk == PROJECT


def test_the_table_has_no_cycles() -> None:
    done: set[str] = set()

    def visit(package: str, path: tuple[str, ...]) -> None:
        assert package not in path, f"import cycle: {' -> '.join((*path, package))}"
        if package in done:
            return
        for dep in ALLOWED[package]:
            visit(dep, (*path, package))
        done.add(package)

    for package in ALLOWED:
        visit(package, ())


@pytest.mark.parametrize("package", sorted(PROJECT))
def test_each_package_imports_only_what_the_table_allows(package: str) -> None:
    for path in modules(package):
        for name in imports(path):
            if top(name) in PROJECT and top(name) != package:
                assert top(name) in ALLOWED[package], (
                    f"{path.relative_to(ROOT)} imports {name}: {package} may import only "
                    f"{sorted(ALLOWED[package])}"
                )


def test_channels_import_only_message_types() -> None:
    for path in modules("channels"):
        outside = {n for n in imports(path) if top(n) in PROJECT and top(n) != "channels"}
        assert outside <= {"bot.messages"}, f"{path.relative_to(ROOT)} imports {outside}"


def test_the_conversation_does_no_io() -> None:
    for path in modules("bot"):
        used = {top(n) for n in imports(path)} & IO_LIBRARIES
        assert not used, f"{path.relative_to(ROOT)} imports {used}"


def test_storage_imports_no_web_framework() -> None:
    for path in modules("storage"):
        used = {top(n) for n in imports(path)} & WEB_FRAMEWORKS
        assert not used, f"{path.relative_to(ROOT)} imports {used}"


@pytest.mark.parametrize("package", sorted(PROJECT))
def test_no_module_is_a_dumping_ground_or_too_long(package: str) -> None:
    for path in modules(package):
        assert path.name not in {"utils.py", "helpers.py", "misc.py", "common.py"}, path
        lines = path.read_text(encoding="utf-8").count("\n")
        assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_no_package_is_too_wide() -> None:
    for folder in [ROOT / p for p in PROJECT] + [ROOT / "tests"]:
        for sub in [folder, *(d for d in folder.rglob("*") if d.is_dir())]:
            count = len(list(sub.glob("*.py")))
            assert count <= MAX_MODULES, f"{sub.relative_to(ROOT)} has {count} modules"


def test_nothing_runs_at_import_beyond_definitions() -> None:
    """Import-time side effects: a module body holds only imports, definitions and constants."""
    allowed = (
        ast.Import,
        ast.ImportFrom,
        ast.FunctionDef,
        ast.AsyncFunctionDef,
        ast.ClassDef,
        ast.Assign,
        ast.AnnAssign,
        ast.Expr,  # docstrings
        ast.If,  # TYPE_CHECKING blocks
        ast.Try,  # optional imports
    )
    for package in PROJECT:
        for path in modules(package):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                assert isinstance(node, allowed), (
                    f"{path.relative_to(ROOT)}:{node.lineno} runs {type(node).__name__} at import"
                )
                if isinstance(node, ast.Expr):
                    assert isinstance(node.value, ast.Constant), (
                        f"{path.relative_to(ROOT)}:{node.lineno} calls something at import"
                    )


README_SECTIONS = (
    "Quick start",
    "Commands",
    "Channels",
    "Staff review app",
    "Themes",
    "Production",
    "Configuration",
    "How a message is handled",
    "Privacy model",
    "Redaction",
    "Security",
    "Operations",
    "Measured",
    "Risk detection on writers it never saw",
    "Development",
    "Licence",
)


def test_the_readme_keeps_every_section_and_notice_every_licence() -> None:
    """An edit script once cut half the README and every test still passed: the sections, and
    the credit each model and data set requires, are checked here."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = [line[3:].strip() for line in readme.splitlines() if line.startswith("## ")]
    assert headings == list(README_SECTIONS)
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    for credit in ("Rampart", "CC BY 4.0", "vicary", "GeoNames", "en-core-web-sm"):
        assert credit in notice and (credit in readme or credit == "en-core-web-sm"), credit
