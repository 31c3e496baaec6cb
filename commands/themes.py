"""``speakup themes``: suggest themes for JSON Lines, and move the codebook in and out of storage.

    speakup themes suggest --codebook FILE.yml [--examples FILE.jsonl] [--top 3] [--explain]
        stdin:  {"id": ..., "text": ...} per line
        stdout: {"id": ..., "themes": [ids, best first], "scores": {theme_id: confidence}} per line
    speakup themes import FILE.yml [--by WHO]   the codebook into the database (audited)
    speakup themes export [--include-retired]   the database's codebook as YAML

``suggest`` is offline, deterministic and one process: the model loads once, learns from the
examples, and scores the input in batches, writing one line per input line in order.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

BATCH = 1000


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Register ``speakup themes ...`` on the main parser."""
    themes = sub.add_parser("themes", help="theme suggestions and the codebook")
    inner = themes.add_subparsers(dest="themes_command", required=True)
    s = inner.add_parser("suggest", help="suggest themes for JSON Lines {id, text} on stdin")
    s.add_argument("--codebook", required=True, metavar="FILE.yml", help="codebook YAML")
    s.add_argument(
        "--examples", metavar="FILE.jsonl", help='confirmed examples: {"text", "themes": [ids]}'
    )
    s.add_argument("--top", type=int, default=3, help="at most this many themes (default 3)")
    s.add_argument(
        "--explain", action="store_true", help="add the reasons (nearest examples, words)"
    )
    d = inner.add_parser(
        "discover", help="group answers (JSON Lines on stdin) that no theme fits into candidates"
    )
    d.add_argument("--codebook", required=True, metavar="FILE.yml")
    d.add_argument("--examples", metavar="FILE.jsonl")
    d.add_argument("--min-size", type=int, default=3, help="smallest group shown (default 3)")
    i = inner.add_parser("import", help="load a codebook YAML into the database")
    i.add_argument("file", metavar="FILE.yml")
    i.add_argument("--by", default="cli", help="who is importing (recorded in the audit log)")
    inner.add_parser(
        "refresh", help="refit on the stored codebook and codings; re-score every stored answer"
    )
    e = inner.add_parser("export", help="print the database's codebook as YAML")
    e.add_argument("--include-retired", action="store_true")


def run(args: argparse.Namespace) -> int:
    """Run one ``speakup themes`` command."""
    if args.themes_command in ("suggest", "discover"):
        return suggest(args)
    from commands.cli import _settings

    settings = _settings()
    if args.themes_command == "import":
        return import_codebook(settings.database_url, Path(args.file), args.by)
    if args.themes_command == "refresh":
        return refresh(settings.database_url)
    return export_codebook(settings.database_url, include_retired=args.include_retired)


def import_codebook(database_url: str, path: Path, actor: str) -> int:
    """Load a codebook YAML into the database: new themes added, known ones updated, audited.

    Themes stored before but missing from the file are retired, never deleted.
    """
    from datetime import UTC, datetime

    from review.themes_staff.store import load_codebook, save_codebook
    from storage import Database
    from themes.codebook import Codebook, CodebookError, load_yaml

    try:
        incoming = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, CodebookError) as exc:
        return _fail(str(exc))
    db = Database(database_url)
    with db.session() as session:
        stored = load_codebook(session)
        new_ids = {t.id for t in incoming.themes}
        kept = tuple(t for t in stored.themes if t.id not in new_ids)
        book = Codebook(incoming.themes + kept)
        for theme in kept:
            if not theme.retired:
                book = book.retire(theme.id)
        save_codebook(
            session,
            book,
            actor=actor,
            action="themes_import",
            detail=f"themes={len(incoming.active)} retired={len(book.themes) - len(book.active)}",
            now=datetime.now(UTC),
        )
    print(
        f"codebook stored: {len(book.active)} active themes, {len(book.themes) - len(book.active)} retired"
    )
    return 0


def refresh(database_url: str) -> int:
    """Re-score every stored answer with a model fitted on the stored codings (batch or cron)."""
    import time

    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    from review.themes_staff.engine import ThemeEngine
    from storage import Database

    start = time.perf_counter()
    done = ThemeEngine(Database(database_url)).refresh()
    print(f"suggestions refreshed for {done} answers in {time.perf_counter() - start:.1f} s")
    return 0


def export_codebook(database_url: str, *, include_retired: bool) -> int:
    """Print the stored codebook as YAML."""
    from review.themes_staff.store import load_codebook
    from storage import Database
    from themes.codebook import dump_yaml

    with Database(database_url).session() as session:
        book = load_codebook(session)
    sys.stdout.write(dump_yaml(book, include_retired=include_retired))
    return 0


def _fail(message: str) -> int:
    print(f"speakup themes: {message}", file=sys.stderr)
    return 2


def _read_examples(path: Path, known: set[str]) -> list[Any]:
    from themes.model import Example

    examples = []
    unknown: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            text, labels = data["text"], data.get("themes", [])
            if not isinstance(text, str) or not isinstance(labels, list):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            raise ValueError(
                f'{path}:{number}: each line must be {{"text": "...", "themes": [ids]}}'
            ) from None
        unknown.update(str(t) for t in labels if t not in known)
        examples.append(Example(text, tuple(str(t) for t in labels)))
    if unknown:
        print(
            f"speakup themes: examples name themes not in the codebook, ignored: "
            f"{', '.join(sorted(unknown))}",
            file=sys.stderr,
        )
    return examples


def _inputs() -> Iterator[tuple[Any, str | None]]:
    """(id, text) per non-blank stdin line; text None when the line is not usable."""
    for line in sys.stdin:
        if not line.strip():
            continue
        data: Any = None
        try:
            data = json.loads(line)
            text = data["text"]
            if not isinstance(text, str):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            yield (data.get("id") if isinstance(data, dict) else None), None
            continue
        yield data.get("id"), text


def suggest(args: argparse.Namespace) -> int:
    """Suggest themes for each stdin line."""
    # One BLAS thread: under contention more threads were several times slower (models.md).
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    from themes.codebook import CodebookError, load_yaml
    from themes.encoder import Encoder, EncoderError
    from themes.explain import explained
    from themes.model import Suggester

    if getattr(args, "top", 3) < 1:
        return _fail("--top must be at least 1")
    try:
        book = load_yaml(Path(args.codebook).read_text(encoding="utf-8"))
        if not book.active:
            return _fail("the codebook has no active themes")
        examples = (
            _read_examples(Path(args.examples), {t.id for t in book.themes})
            if args.examples
            else []
        )
        model = Suggester(book, examples, Encoder())
    except (OSError, CodebookError, ValueError, EncoderError) as exc:
        return _fail(str(exc))
    if args.themes_command == "discover":
        return _discover(model, args.min_size)
    failed = False
    pending: list[tuple[Any, str | None]] = []

    def flush() -> None:
        texts = [text for _, text in pending if text is not None]
        if args.explain:
            pairs = explained(model, texts, top=args.top)
            results = iter([s for s, _ in pairs])
            reasons = iter([r for _, r in pairs])
        else:
            results = iter(model.suggest(texts, top=args.top))
        for ident, text in pending:
            if text is None:
                print(
                    json.dumps(
                        {
                            "id": ident,
                            "error": "each line must be a JSON object with a string 'text'",
                        }
                    )
                )
                continue
            result = next(results)
            line: dict[str, Any] = {"id": ident, "themes": result.themes, "scores": result.scores}
            if args.explain:
                line["reasons"] = next(reasons)
            print(json.dumps(line, ensure_ascii=False))
        sys.stdout.flush()
        pending.clear()

    for item in _inputs():
        failed = failed or item[1] is None
        pending.append(item)
        if len(pending) >= BATCH:
            flush()
    flush()
    return 1 if failed else 0


def _discover(model: Any, min_size: int) -> int:
    """One JSON line per candidate theme among the answers the model suggests nothing for."""
    from themes.discover import UNFITTED, candidates

    items = [(ident, text) for ident, text in _inputs() if text is not None]
    texts = [text for _, text in items]
    if not texts:
        return 0
    combined, vecs = model.scores(texts)
    # No theme fits: nothing suggested, or no theme with a confidence of at least one half.
    decided = [model.decide(row, 3) for row in combined]
    declined = model.non_answers(vecs)  # "skip", "n/a": no theme fits, and no new theme either
    unfitted = [
        i
        for i, d in enumerate(decided)
        if not declined[i] and (not d.themes or max(d.scores.values()) < UNFITTED)
    ]
    found = candidates([texts[i] for i in unfitted], vecs[unfitted], min_size=min_size)
    for candidate in found:
        line = {
            "size": candidate.size,
            "ids": [items[unfitted[m]][0] for m in candidate.members],
            "typical": candidate.typical,
            "words": candidate.words,
        }
        print(json.dumps(line, ensure_ascii=False))
    return 0
