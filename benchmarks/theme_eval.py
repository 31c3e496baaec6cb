"""Theme suggestions on the dev set: per-answer F1 and per-theme precision and recall.

For k = 0 (descriptions only), 5, 20 and 50 confirmed examples per theme, drawn with fixed seeds
(for each theme in codebook order, answers carrying it are taken in a seeded random order until
the theme has k examples; an answer brings all its themes), the suggester is fitted on those
examples and scores every other answer. Its decision rule is chosen by cross-validation on the
examples alone. Then one timing: suggestions for N answers (default 10,000), one thread.

    .venv/bin/python benchmarks/theme_eval.py [--seeds 3] [--timing 10000]
    .venv/bin/python benchmarks/theme_eval.py --pages 100000   (findings queries, SQLite)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from themes.codebook import load_yaml  # noqa: E402
from themes.encoder import Encoder  # noqa: E402
from themes.model import Example, Suggester, answer_f1  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


class CachedEncoder:
    """Embeds each distinct text once (the experiments refit many times on the same texts);
    with ``path``, the embeddings are also kept in an .npz file between runs."""

    def __init__(self, encoder: Encoder | None = None, path: str = "") -> None:
        self.encoder = encoder
        self.path = path
        self.cache: dict[str, np.ndarray] = {}
        if path and Path(path).exists():
            with np.load(path) as saved:
                self.cache = dict(zip(saved["texts"].tolist(), saved["vecs"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            if self.encoder is None:
                self.encoder = Encoder()
            for text, vec in zip(missing, self.encoder.encode(missing), strict=True):
                self.cache[text] = vec
            if self.path:
                keys = list(self.cache)
                vecs = np.array([self.cache[t] for t in keys])
                np.savez(self.path, texts=np.array(keys), vecs=vecs)
        return np.array([self.cache[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def draw(rows: list[dict], ids: list[str], k: int, seed: int) -> list[int]:
    """Indices of the confirmed examples: k per theme, seeded."""
    if k == 0:
        return []
    order = np.random.default_rng(seed).permutation(len(rows))
    chosen: list[int] = []
    counts = dict.fromkeys(ids, 0)
    for theme in ids:
        for i in order:
            if counts[theme] >= k:
                break
            if theme in rows[i]["themes"] and i not in chosen:
                chosen.append(int(i))
                for t in rows[i]["themes"]:
                    counts[t] += 1
    return chosen


def evaluate(rows, book, encoder, k: int, seeds: int, model_class=Suggester) -> dict:
    ids = book.ids()
    f1s, ceilings, n_scored, tp, fp, fn = [], [], [], {}, {}, {}
    for t in ids:
        tp[t] = fp[t] = fn[t] = 0
    for seed in range(seeds):
        chosen = draw(rows, ids, k, seed)
        taken = set(chosen)
        examples = [Example(rows[i]["text"], tuple(rows[i]["themes"])) for i in chosen]
        scored = [r for i, r in enumerate(rows) if i not in taken]
        model = model_class(book, examples, encoder)
        out = model.suggest([r["text"] for r in scored])
        combined, _ = model.scores([r["text"] for r in scored])
        got = [set(s.themes) for s in out]
        want = [set(r["themes"]) for r in scored]
        f1s.append(answer_f1(got, want))
        ceilings.append(ceiling(combined, [{ids.index(t) for t in w} for w in want]))
        n_scored.append(len(scored))
        for g, w in zip(got, want, strict=True):
            for t in ids:
                tp[t] += t in g and t in w
                fp[t] += t in g and t not in w
                fn[t] += t not in g and t in w
    per_theme = {t: (tp[t] / max(tp[t] + fp[t], 1), tp[t] / max(tp[t] + fn[t], 1)) for t in ids}
    return {
        "f1": float(np.mean(f1s)),
        "f1_seeds": f1s,
        "ceiling": float(np.mean(ceilings)),
        "scored": n_scored,
        "themes": per_theme,
    }


def ceiling(scores: np.ndarray, truth: list[set[int]]) -> float:
    """Per-answer F1 if each answer's true number of themes were known and its best-scored
    themes taken (no theme: nothing): what the ranking allows, whatever the decision rule."""
    total = 0.0
    for row, want in zip(scores, truth, strict=True):
        got = set(np.argsort(-row, kind="stable")[: len(want)].tolist())
        total += len(got & want) / len(want) if want else 1.0
    return total / max(len(truth), 1)


def timing(book, rows, n: int) -> tuple[float, float]:
    """Seconds to load the model and fit on 5 examples per theme; seconds to score n answers."""
    start = time.perf_counter()
    encoder = Encoder()
    chosen = draw(rows, book.ids(), 5, 0)
    model = Suggester(
        book, [Example(rows[i]["text"], tuple(rows[i]["themes"])) for i in chosen], encoder
    )
    loaded = time.perf_counter() - start
    # distinct texts (no cache can help): each dev answer with a varying closing word
    texts = [f"{rows[i % len(rows)]['text']} ({i // len(rows)})" for i in range(n)]
    start = time.perf_counter()
    for at in range(0, n, 1000):
        model.suggest(texts[at : at + 1000])
    return loaded, time.perf_counter() - start


def pages(n: int) -> None:
    """Time the findings and next-answer queries on n synthetic stored answers (SQLite)."""
    import random
    import tempfile
    import uuid
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from review.themes_staff.queries import findings, findings_live, next_answer
    from storage import Database
    from storage.models import (
        Answer,
        Conversation,
        ThemeCodedAnswer,
        ThemeCoding,
        ThemeSuggestion,
    )
    from storage.theme_summary import rebuild

    folder = tempfile.mkdtemp(prefix="theme-pages-")
    db = Database(f"sqlite:///{folder}/p.db")
    db.migrate()
    now, rnd = datetime.now(UTC), random.Random(0)
    themes, questions = [f"t{i}" for i in range(16)], [f"q{i}" for i in range(8)]
    people = n // 4
    with db.session() as s:
        s.execute(
            insert(Conversation),
            [
                {
                    "id": str(uuid.UUID(int=i)),
                    "dialogue_id": "d",
                    "channel": rnd.choice(["sms", "web", "telegram"]),
                    "consented": True,
                    "groups": [rnd.choice(["care_leaver", "parent", "in_care"])],
                    "age_band": rnd.choice(["13-15", "16-17", "18-25"]),
                    "state": {},
                    "started_at": now,
                    "updated_at": now,
                }
                for i in range(people)
            ],
        )
        s.execute(
            insert(Answer),
            [
                {
                    "id": i + 1,
                    "conversation_id": str(uuid.UUID(int=i % people)),
                    "question_id": rnd.choice(questions),
                    "text": "x",
                    "created_at": now,
                }
                for i in range(n)
            ],
        )
        s.execute(
            insert(ThemeSuggestion),
            [
                {
                    "answer_id": i + 1,
                    "theme_id": theme,
                    "score": (score := rnd.random()),
                    "doubt": abs(score - 0.5),
                    "rank": rank,
                    "chosen": rank < 2,
                    "model_version": "v",
                    "created_at": now,
                }
                for i in range(n)
                for rank, theme in enumerate(rnd.sample(themes, 3))
            ],
        )
        coded = n // 20
        s.execute(
            insert(ThemeCodedAnswer),
            [{"answer_id": i + 1, "coded_by": "a", "coded_at": now} for i in range(coded)],
        )
        s.execute(
            insert(ThemeCoding),
            [
                {
                    "answer_id": i + 1,
                    "theme_id": rnd.choice(themes),
                    "suggested": True,
                    "confirmed_by": "a",
                    "confirmed_at": now,
                }
                for i in range(coded)
            ],
        )
    start = time.perf_counter()
    with db.session() as s:
        rows = rebuild(s, now)
    print(f"summary rebuilt: {rows} rows in {time.perf_counter() - start:.1f} s")
    cases = [(None, "group"), (None, "channel"), ("q1", "group"), ("q3", "age_band")]
    for question, by in cases:
        for name, read in (("summary", findings), ("counted", findings_live)):
            times = []
            for _ in range(10):
                start = time.perf_counter()
                with db.session() as s:
                    read(s, question, by)
                times.append(1000 * (time.perf_counter() - start))
            times.sort()
            print(
                f"findings ({name}) question={question or 'all'} by={by}: "
                f"median {times[4]:.0f} ms, max {times[-1]:.0f} ms"
            )
    times = []
    for _ in range(10):
        start = time.perf_counter()
        with db.session() as s:
            next_answer(s, 1)
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    print(f"next answer to code: median {times[4]:.0f} ms, max {times[-1]:.0f} ms ({n} answers)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(DATA / "themes_dev.jsonl"))
    parser.add_argument("--codebook", default=str(DATA / "themes_codebook.yml"))
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--ks", default="0,5,20,50")
    parser.add_argument("--timing", type=int, default=10000, help="answers to time (0: skip)")
    parser.add_argument("--cache", default="", help="keep embeddings in this .npz between runs")
    parser.add_argument(
        "--pages", type=int, default=0, help="time the findings queries on N stored answers only"
    )
    args = parser.parse_args()
    if args.pages:
        pages(args.pages)
        return
    rows = [json.loads(line) for line in Path(args.data).read_text().splitlines() if line]
    book = load_yaml(Path(args.codebook).read_text())
    encoder = CachedEncoder(path=args.cache)
    results = {}
    for k in [int(x) for x in args.ks.split(",")]:
        results[k] = evaluate(rows, book, encoder, k, args.seeds)
        r = results[k]
        seeds = ", ".join(f"{x:.3f}" for x in r["f1_seeds"])
        print(
            f"k={k:>2}: per-answer F1 {r['f1']:.3f} (seeds {seeds}; scored {r['scored']}); "
            f"with the true number of themes {r['ceiling']:.3f}"
        )
    print("\nper theme, precision / recall:")
    print("| theme | " + " | ".join(f"k={k}" for k in results) + " |")
    print("|---|" + "---|" * len(results))
    for t in book.ids():
        cells = [
            f"{results[k]['themes'][t][0]:.2f} / {results[k]['themes'][t][1]:.2f}" for k in results
        ]
        print(f"| {t} | " + " | ".join(cells) + " |")
    if args.timing:
        loaded, took = timing(book, rows, args.timing)
        print(
            f"\nload + fit (5 per theme): {loaded:.1f} s; {args.timing} answers: {took:.1f} s "
            f"({1000 * took / args.timing:.1f} ms an answer, one thread)"
        )


if __name__ == "__main__":
    main()
