"""Leave one writer out: ``benchmarks/privacy_eval.py --cross-writer`` (see that module's docstring).

For each writer's file (A, F, G in ../shared/data; P, Q copied to benchmarks/data), the tunable
parts of the redactor (the name tagger's threshold, or the tagger off; and the score at which the
tagger's word-names such as "drew" or "joy" are believed) are chosen on the other writers, and the
writer left out is scored with them.
Honest caveat, printed with the table: the hand-written rules and word lists were written while
reading all five files, so the figures for the rules are fit, not an estimate for new writers.
"""

from __future__ import annotations

import functools
import itertools
import statistics
import time
from pathlib import Path

from benchmarks.privacy_eval import Row, load, score
from privacy import RedactionResult, Redactor

OURS = (
    Path(__file__).resolve().parent / "data"
)  # copies of writers P to W, J to O and PA to PS (data/README.md)
WRITERS = {
    "A": ("pii_dev.jsonl", "short messages, mixed personas"),
    "F": ("train/pii_texts.jsonl", "short lower-case texts"),
    "G": ("train/pii_letters.jsonl", "formal letters"),
    "P": (str(OURS / "pii_p.jsonl"), "borrowed phones, prison, English as a second language"),
    "Q": (str(OURS / "pii_q.jsonl"), "professionals' long answers"),
    "R": (str(OURS / "pii_r.jsonl"), "young people and lent phones, hard cases"),
    "S": (str(OURS / "pii_s.jsonl"), "parents, carers and professionals"),
    "T": (str(OURS / "pii_t.jsonl"), "prison, homeless, English as a second language, voice"),
    "U": (str(OURS / "pii_u.jsonl"), "a held-out set, every kind of writer"),
    "V": (str(OURS / "pii_v.jsonl"), "Welsh, Scottish, Irish and regional voices, directions"),
    "W": (str(OURS / "pii_w.jsonl"), "teenagers online, gamers, care leavers' paperwork"),
    "J": (str(OURS / "pii_j.jsonl"), "every kind of writer, every way of writing"),
    "K": (str(OURS / "pii_k.jsonl"), "every kind of writer, the hardest cases"),
    "L": (str(OURS / "pii_l.jsonl"), "every kind of writer, what a pattern would miss"),
    "M": (str(OURS / "pii_m.jsonl"), "every kind of writer, capitalised words that are no one"),
    "N": (str(OURS / "pii_n.jsonl"), "every kind of writer, 3 to 120 words"),
    "O": (str(OURS / "pii_o.jsonl"), "every kind of writer, names where people name people"),
    "PA": (str(OURS / "pii_pa.jsonl"), "every kind of writer, names above all"),
    "PB": (str(OURS / "pii_pb.jsonl"), "every kind of writer, every type alike"),
    "PC": (str(OURS / "pii_pc.jsonl"), "every kind of writer"),
    "PD": (str(OURS / "pii_pd.jsonl"), "every kind of writer, names as texts write them"),
    "PE": (str(OURS / "pii_pe.jsonl"), "every kind of writer, the least obvious forms"),
    "PF": (str(OURS / "pii_pf.jsonl"), "regional and cultural voices across the UK"),
    "PG": (str(OURS / "pii_pg.jsonl"), "long professional answers and short texts, third parties"),
    "PH": (str(OURS / "pii_ph.jsonl"), "phones and shared tablets, city slang, second languages"),
    "PI": (
        str(OURS / "pii_pi.jsonl"),
        "careful adults: full names, titles, references, formal places",
    ),
    "PJ": (
        str(OURS / "pii_pj.jsonl"),
        "what gives people away without meaning to; the hardest traps",
    ),
    "PK": (
        str(OURS / "pii_pk.jsonl"),
        "as a consultation receives it: forms, voice typing, line breaks",
    ),
    "PL": (str(OURS / "pii_pl.jsonl"), "the everyday answer, names in passing"),
    "PM": (str(OURS / "pii_pm.jsonl"), "where people live, stay, were placed and go to school"),
    "PN": (str(OURS / "pii_pn.jsonl"), "young people's texts: nicknames, word-names, handles"),
    "PO": (str(OURS / "pii_po.jsonl"), "adults' long answers and letters, references, agencies"),
    "PP": (str(OURS / "pii_pp.jsonl"), "prison, probation, hostels, rough sleeping, directions"),
    "PQ": (str(OURS / "pii_pq.jsonl"), "every type alike, each in its least obvious form"),
    "PR": (
        str(OURS / "pii_pr.jsonl"),
        "names above all, from every community, as people write them",
    ),
    "PS": (str(OURS / "pii_ps.jsonl"), "schools, homes, birthdays, handles and references"),
}
GRID = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: the tagger off
WORD_GRID = (0.8, 0.85, 0.9, 0.95, 1.01)  # 1.01: word-names never taken from the tagger
RUNS = 3  # time each message this often and keep its fastest run (other jobs share the machine)


def objective(rows: list[Row], outs: list[str]) -> float:
    """What tuning maximises: identifiers removed, a lost clean word costing five found ones."""
    found, total, lost, clean = score(rows, outs)
    return sum(found.values()) / max(sum(total.values()), 1) - 5 * lost / max(clean, 1)


def in_place(rows: list[Row], results: list[RedactionResult]) -> int:
    """Identifiers whose every letter and digit, where it stands, lies inside a removed span.

    Unlike the yardstick, this does not count "my tiktok [link]" as a leak because "tiktok" is
    still written before the link, nor "Cedar Ward ... the ward" because "ward" comes again.
    """
    removed = 0
    for row, result in zip(rows, results, strict=True):
        text = str(row["text"])
        spans = row["remove"]
        assert isinstance(spans, list)
        for span in spans:
            chars = [i for i in range(span["start"], span["end"]) if text[i].isalnum()]
            removed += all(any(e.start <= i < e.end for e in result.entities) for i in chars)
    return removed


def _timed(redactor: Redactor, rows: list[Row]) -> tuple[list[float], list[float]]:
    """CPU ms per message: one run, and each message's fastest of ``RUNS`` runs."""
    single, best = [], []
    for r in rows:
        runs = []
        for _ in range(RUNS):
            started = time.process_time()
            redactor.redact(str(r["text"]))
            runs.append((time.process_time() - started) * 1000)
        single.append(runs[0])
        best.append(min(runs))
    return sorted(single), sorted(best)


def _p95(values: list[float]) -> float:
    return values[int(len(values) * 0.95) - 1]


def cross_writer(data: Path, redactor: Redactor) -> int:
    """Leave each writer out in turn; print the table; 1 if a target is missed."""
    tagger = redactor._tagger
    assert tagger is not None, "the name tagger is off in config.yml"
    uncached = tagger._model.names
    names = functools.lru_cache(maxsize=None)(uncached)  # tuning runs the model once a text
    tagger._model.names = names  # type: ignore[method-assign]
    sets = {w: load(data / f) for w, (f, _) in WRITERS.items() if (data / f).exists()}
    settings = list(itertools.product(GRID, WORD_GRID))
    outs: dict[tuple[str, tuple[float, float]], list[RedactionResult]] = {}
    for setting in settings:
        tagger._threshold, redactor._names._confident = setting
        for w, rows in sets.items():
            outs[(w, setting)] = [redactor.redact(str(r["text"])) for r in rows]

    def texts(w: str, setting: tuple[float, float]) -> list[str]:
        return [o.text for o in outs[(w, setting)]]

    print("\n== leave one writer out (tagger tuned on the others; rules seen on all five)")
    failed = False
    for out_writer, rows in sets.items():
        others = [w for w in sets if w != out_writer]
        best = max(
            settings,
            key=lambda s: (
                objective(
                    [r for w in others for r in sets[w]], [o for w in others for o in texts(w, s)]
                ),
                s,
            ),
        )
        tagger._threshold, redactor._names._confident = best
        tagger._model.names = uncached  # type: ignore[method-assign]
        single, fastest = _timed(redactor, rows)
        tagger._model.names = names  # type: ignore[method-assign]
        placed = in_place(rows, outs[(out_writer, best)])
        found, total, lost, clean = score(rows, texts(out_writer, best))
        all_found, all_total = sum(found.values()), sum(total.values())
        shared = sum(score(rows, texts(out_writer, best), shared=True)[0].values())
        worst = min(found[t] / total[t] for t in total)
        label = "off" if best[0] > 1 else f"{best[0]:.1f}"
        words = "never" if best[1] > 1 else f"{best[1]:.2f}"
        print(
            f"\n-- writer {out_writer} left out ({WRITERS[out_writer][1]}); tuned on "
            f"{'+'.join(others)}: tagger threshold {label}, word-names from the tagger {words}"
        )
        for kind in sorted(total):
            print(f"  {kind:16} {found[kind]:3}/{total[kind]:<3} ({found[kind] / total[kind]:.0%})")
        print(
            f"  identifiers removed: {all_found}/{all_total} ({all_found / all_total:.1%})"
            f" [>= 98%]; worst type {worst:.0%} [>= 95%]"
        )
        print(
            f"  removed in place:    {placed}/{all_total} ({placed / all_total:.1%}) (every"
            " character of the identifier, where it stands)"
        )
        print(
            f"  shared yardstick:    {shared}/{all_total} ({shared / all_total:.1%}) (also"
            " counts a word of the identifier written again elsewhere in the message, and"
            " '[school]' as the word 'School')"
        )
        print(f"  clean words lost:    {lost}/{clean} ({lost / max(clean, 1):.2%}) [<= 1%]")
        print(
            f"  CPU ms per message, one thread: p50 {statistics.median(single):.1f}, p95 "
            f"{_p95(single):.1f}; each message's fastest of {RUNS} runs p50 "
            f"{statistics.median(fastest):.1f}, p95 {_p95(fastest):.1f} [<= 15]"
        )
        failed |= all_found / all_total < 0.98 or worst < 0.95 or lost / max(clean, 1) > 0.01
    return 1 if failed else 0
