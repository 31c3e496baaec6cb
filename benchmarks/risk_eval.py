"""Measure the risk detector: confusion matrix, urgent recall and precision, every miss, speed.

Run: .venv/bin/python benchmarks/risk_eval.py [--dev PATH]
Reads ../shared/data/risk_dev.tsv (never copied into the project) and our own cases in
benchmarks/data/risk_extra.tsv. Targets on the dev set: urgent recall >= 0.98, none judged
urgent <= 5%, support-or-urgent on support >= 0.90, median <= 2 ms per message.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from safeguarding import load_detector  # noqa: E402

LEVELS = ("urgent", "support", "none")


def read_tsv(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            level, text = line.split("\t", 1)
            rows.append((level, text))
    return rows


def evaluate(name: str, rows: list[tuple[str, str]]) -> list[float]:
    detector = load_detector()
    matrix: Counter[tuple[str, str]] = Counter()
    misses, times = [], []
    for gold, text in rows:
        started = time.perf_counter()
        got = detector.assess(text)
        times.append((time.perf_counter() - started) * 1000)
        matrix[(gold, got.level)] += 1
        if got.level != gold:
            misses.append(f"  {gold} judged {got.level} {list(got.reasons)}: {text[:140]}")
    n = Counter(g for g, _ in rows)
    print(f"\n== {name}: {len(rows)} messages")
    print("  gold \\ got   " + "".join(f"{lvl:>9}" for lvl in LEVELS))
    for gold in LEVELS:
        print(f"  {gold:12}" + "".join(f"{matrix[(gold, got)]:9}" for got in LEVELS))
    judged_urgent = sum(matrix[(g, "urgent")] for g in LEVELS)
    recall = matrix[("urgent", "urgent")] / max(n["urgent"], 1)
    precision = matrix[("urgent", "urgent")] / max(judged_urgent, 1)
    print(f"  urgent recall {recall:.3f} [target >= 0.98]; urgent precision {precision:.3f}")
    print(
        f"  none judged urgent {matrix[('none', 'urgent')] / max(n['none'], 1):.1%} [target <= 5%]"
    )
    caught = matrix[("support", "support")] + matrix[("support", "urgent")]
    print(
        f"  support caught (support or urgent) {caught / max(n['support'], 1):.1%} [target >= 90%]"
    )
    print("\n".join(misses) if misses else "  no misses")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--dev", type=Path, default=ROOT.parent / "shared" / "data" / "risk_dev.tsv"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    load_detector()
    load = time.perf_counter() - started
    times: list[float] = []
    if args.dev.exists():
        times += evaluate("shared dev set", read_tsv(args.dev))
    data = ROOT / "benchmarks" / "data"
    # Each set was measured once before any rule was changed for it; those first figures are the
    # honest estimate for unseen messages and are kept in README ("Measured").
    times += evaluate(
        "our own cases, set 1 (used while writing rules)", read_tsv(data / "risk_extra.tsv")
    )
    times += evaluate(
        "our own cases, set 2 (used while writing rules)", read_tsv(data / "risk_extra2.tsv")
    )
    times += evaluate(
        "our own cases, set 3 (used while writing rules)", read_tsv(data / "risk_extra3.tsv")
    )
    ordered = sorted(times)
    print("\n== speed")
    print(
        f"  rules load {load * 1000:.0f} ms; median {statistics.median(ordered):.2f} ms [target <= 2 ms]; "
        f"p95 {ordered[int(len(ordered) * 0.95) - 1]:.2f} ms per message"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
