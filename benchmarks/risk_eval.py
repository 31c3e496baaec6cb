"""Measure the risk detector (rules + learned model) on writers it never saw.

Run from the project root:
  .venv/bin/python benchmarks/risk_eval.py --cross-writer
      for each of the eight writers in safeguarding/data/, build a model (thresholds included) from
      the other seven alone, then score the one left out with rules + model. Thresholds come from
      nested leave-one-writer-out predictions inside those seven writers: never from data the model
      was fitted to, never from the writer left out.
  .venv/bin/python benchmarks/risk_eval.py --unseen tests/safeguarding/data/unseen_*.tsv
      score the committed model on fresh files no model was trained or tuned on.
  .venv/bin/python benchmarks/risk_eval.py
      the committed model on every labelled file (fit, not quality: it was trained on them).

Targets for every left-out writer: urgent missed <= 1%, urgent->urgent >= 0.95, none->urgent
<= 3%, none->check <= 10%, support caught (anything but none) >= 0.95; detection <= 3 ms p95 a
message on one core; load well inside the service's 3 s start-up.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commands import risktrain  # noqa: E402
from safeguarding.detector import Detector, load_detector, load_rules  # noqa: E402
from safeguarding.model import MODEL_FILE, load_model  # noqa: E402

LEVELS = ("urgent", "check", "support", "none")
TARGETS = {"uu": 0.95, "missed": 0.01, "nu": 0.03, "nc": 0.10, "sc": 0.95}


MISSES: list[str] = []


def score(
    detector: Detector, rows: list[tuple[str, str]]
) -> tuple[Counter[tuple[str, str]], list[float]]:
    matrix: Counter[tuple[str, str]] = Counter()
    times = []
    for gold, text in rows:
        started = time.thread_time()  # CPU time on this thread: one core, whatever else runs
        result = detector.assess(text)
        times.append((time.thread_time() - started) * 1000)
        got = result.level
        matrix[(gold, got)] += 1
        if (gold == "urgent" and got in ("support", "none")) or (gold, got) == ("none", "urgent"):
            MISSES.append(f"  {gold} judged {got} {list(result.reasons)[:3]}: {text[:150]}")
    return matrix, times


def figures(matrix: Counter[tuple[str, str]]) -> dict[str, float]:
    n = Counter[str]()
    for (gold, _), count in matrix.items():
        n[gold] += count
    urgent, none, support = max(n["urgent"], 1), max(n["none"], 1), max(n["support"], 1)
    return {
        "uu": matrix[("urgent", "urgent")] / urgent,
        "uc": matrix[("urgent", "check")] / urgent,
        "missed": (matrix[("urgent", "support")] + matrix[("urgent", "none")]) / urgent,
        "nu": matrix[("none", "urgent")] / none,
        "nc": matrix[("none", "check")] / none,
        "ns": matrix[("none", "support")] / none,
        "sc": 1 - matrix[("support", "none")] / support,
    }


HEADER = (
    f"  {'file':18}{'n':>5}{'u->u':>8}{'u->chk':>8}{'u miss':>8}{'n->u':>8}{'n->chk':>8}"
    f"{'n->sup':>8}{'sup caught':>11}"
)


def row(name: str, count: int, f: dict[str, float]) -> str:
    marks = {k: "" if _met(k, f[k]) else "*" for k in TARGETS}
    return (
        f"  {name:18}{count:5}{f['uu']:7.3f}{marks['uu']:1}{f['uc']:8.3f}"
        f"{f['missed']:7.3f}{marks['missed']:1}{f['nu']:7.3f}{marks['nu']:1}"
        f"{f['nc']:7.3f}{marks['nc']:1}{f['ns']:8.3f}{f['sc']:10.3f}{marks['sc']:1}"
    )


def _met(key: str, value: float) -> bool:
    return value >= TARGETS[key] if key in ("uu", "sc") else value <= TARGETS[key]


def speed(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[max(int(len(ordered) * 0.95) - 1, 0)]
    return (
        f"detection per message (CPU time on one core) p50 {statistics.median(ordered):.2f} ms, "
        f"p95 {p95:.2f} ms"
    )


def cross_writer() -> int:
    files = risktrain.default_files()
    writers = {
        f.stem: risktrain.prepare(risktrain.read_labelled(f))
        for f in files
        if f.stem in risktrain.WRITERS
    }
    always = risktrain.extras(files)
    rules = load_rules()
    print(
        "== leave one writer out: rules + a model built (thresholds included) without that writer"
    )
    print(HEADER)
    total: Counter[tuple[str, str]] = Counter()
    times: list[float] = []
    builds = []
    for name, rows in writers.items():
        started = time.thread_time()
        inner = {k: v for k, v in writers.items() if k != name}
        thresholds = risktrain.choose_thresholds(risktrain.cross_writer(inner, always))
        model = risktrain.fit([p for ps in inner.values() for p in ps] + always, thresholds)
        builds.append(time.thread_time() - started)
        matrix, took = score(Detector(rules, model), [(p.level, p.text) for p in rows])
        total += matrix
        times += took
        print(row(name, len(rows), figures(matrix)) + f"   thresholds {thresholds}", flush=True)
    print(row("all writers, pooled", sum(total.values()), figures(total)))
    print(
        "  (* = target missed; targets u->u >= 0.95, u miss <= 0.01, n->u <= 0.03, n->chk <= 0.10,"
    )
    print("   sup caught >= 0.95; u->chk and n->sup have no target)")
    print(
        f"  {speed(times)}; build with nested thresholds {statistics.mean(builds):.1f} s per writer"
    )
    load_figures()
    return 0


def load_figures() -> None:
    started, cpu = time.perf_counter(), time.thread_time()
    load_model(MODEL_FILE)
    took, took_cpu = time.perf_counter() - started, time.thread_time() - cpu
    tracemalloc.start()
    model = load_model(MODEL_FILE)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size = MODEL_FILE.stat().st_size / 1024
    print(
        f"  committed model: {size:.0f} KB file, load {took_cpu * 1000:.0f} ms CPU "
        f"({took * 1000:.0f} ms wall), "
        f"{len(model.examples)} examples indexed; peak Python memory while loading "
        f"{peak / 2**20:.0f} MB; process max RSS {rss:.0f} MB"
    )


def committed(paths: list[Path], title: str) -> int:
    detector = load_detector()
    print(f"== {title}")
    print(HEADER)
    times: list[float] = []
    total: Counter[tuple[str, str]] = Counter()
    for path in paths:
        rows = risktrain.read_labelled(path)
        matrix, took = score(detector, rows)
        total += matrix
        times += took
        print(row(path.stem, len(rows), figures(matrix)))
    if len(paths) > 1:
        print(row("pooled", sum(total.values()), figures(total)))
    print(f"  {speed(times)}")
    load_figures()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cross-writer", action="store_true", help="leave one writer out")
    parser.add_argument("--unseen", nargs="+", type=Path, help="labelled files never trained on")
    parser.add_argument("-v", action="store_true", help="list urgent missed and none judged urgent")
    args = parser.parse_args()
    if args.cross_writer:
        code = cross_writer()
    elif args.unseen:
        code = committed(args.unseen, "committed model on fresh files it never saw")
    else:
        title = "committed model on its own training files (fit, not quality)"
        code = committed(risktrain.default_files(), title)
    if args.v:
        print("\n".join(MISSES) or "  no urgent missed, no none judged urgent")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
