"""Measure the redactor: recall per type, every leak, clean words lost, speed and memory.

Run: .venv/bin/python benchmarks/privacy_eval.py [--dev PATH]
     .venv/bin/python benchmarks/privacy_eval.py --cross-writer
Reads ../shared/data/pii_dev.jsonl (never copied into the project) and our own cases in
benchmarks/data/pii_extra.jsonl, and prints a report. Targets: >= 98% of identifiers removed,
>= 95% of every type, <= 1% of clean words lost, load <= 3 s, p95 <= 15 ms per message on one core.

--cross-writer: leave one writer out. For each of the five writers' files (pii_dev.jsonl = A,
train/pii_texts.jsonl = F, train/pii_letters.jsonl = G in ../shared/data; benchmarks/data/pii_p.jsonl
= P and pii_q.jsonl = Q, copies) the tunable part of the redactor (the Rampart name tagger's
threshold, or the tagger off, and the score for its word-names) is chosen on the other four, and
the writer left out is scored with it. Honest caveat, printed with the table: the hand-written
rules and word lists were written while reading all five files, so the figures for the rules are
fit, not an estimate for new writers; only the tuned thresholds are held out. The first look at
P and Q, before anyone read them, is the unseen-writer estimate (README.md).

The yardstick is the shared one (../shared/tools/devscore.py) with two corrections, both printed
beside it: a word of an identifier written again elsewhere in the message ("my tiktok [link]") is
not a leak, and the placeholders ("[school]") are not read as the identifier's words.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

from config.app import load_config  # noqa: E402
from privacy import PLACEHOLDERS, Redactor  # noqa: E402

# The shared yardstick's words that identify no one (../shared/tools/devscore.py), exactly.
STOP = {
    "the",
    "of",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "st",
    "road",
    "street",
    "lane",
    "flat",
    "house",
}


def survives(
    piece: str, out: str, text: str | None = None, spans: Sequence[Mapping[str, Any]] = ()
) -> bool:
    """The same test as the shared yardstick: do the digits, or any distinctive word, remain?

    With ``text`` (the message as written) and ``spans`` (its identifiers), a word counts as left
    only if the answer holds it more often than the message does outside every identifier: "my
    tiktok [link]" does not leak "tiktok" from the link, "Last summer" does not leak "Summer",
    "cos" does not leak the "co" of ".co.uk"; and the placeholders are not read, so "[school]"
    does not leak the "School" of "Kingsway Primary School". Without them, the shared yardstick.
    """
    digits = re.sub(r"\D", "", piece)
    if len(digits) >= 6:
        return digits in re.sub(r"\D", "", out)
    words = [
        w
        for w in re.findall(r"[a-z0-9][a-z0-9'\-]*", piece.lower())
        if len(w) >= 2 and w not in STOP
    ]
    low = out.lower()
    outside = ""
    if text is not None:
        outside = _outside(text, spans).lower()
        for placeholder in PLACEHOLDERS.values():  # "[school]" is not the school's name left
            low = low.replace(placeholder.lower(), " ")
    for w in words:
        rx = re.compile(rf"(?<![a-z0-9]){re.escape(w)}(?:'?s)?(?![a-z0-9])")
        if len(rx.findall(low)) > len(rx.findall(outside)):
            return True
    return False


def _outside(text: str, spans: Sequence[Mapping[str, Any]]) -> str:
    """``text`` with every identifier blanked out."""
    chars = list(text)
    for span in spans:
        start = span.get("start", text.find(span["text"]))  # our own cases give only the text
        end = span.get("end", start + len(span["text"]))
        if start >= 0:
            chars[start:end] = " " * (end - start)
    return "".join(chars)


Row = dict[str, object]


def score(
    rows: list[Row], outs: list[str], shared: bool = False
) -> tuple[Counter[str], Counter[str], int, int]:
    """Per type found and total, and clean words lost of clean words.

    ``shared``: count as the shared yardstick does, a word of an identifier written again
    elsewhere in the message counting as a leak.
    """
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    clean = lost = 0
    for row, out in zip(rows, outs, strict=True):
        remove = row["remove"]
        assert isinstance(remove, list)
        for span in remove:
            total[span["type"]] += 1
            text = None if shared else str(row["text"])
            found[span["type"]] += not survives(span["text"], out, text, remove)
        if not remove:
            kept = Counter(re.findall(r"[a-z']+", out.lower()))
            for w in re.findall(r"[a-z']+", str(row["text"]).lower()):
                clean += 1
                if kept[w] > 0:
                    kept[w] -= 1
                else:
                    lost += 1
    return found, total, lost, clean


def load(path: Path) -> list[Row]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def flood(seconds: float) -> int:
    """H2 against the real service: three clients post 1,990 random emoji (~24 KB as a form) to the web chat
    (a new conversation each time, so no rate limit stops them) while three people answer the
    consultation. Every honest answer must be saved, none slower than 3 s."""
    import random
    import secrets
    import tempfile
    import threading

    import httpx

    from benchmarks.serviceproc import NOT_SAVED, SCRIPT, Person, Service, new_database

    with tempfile.TemporaryDirectory() as folder, open(Path(folder) / "log", "w") as log:
        service = Service(new_database("sqlite", "flood", folder), None, workers=1, log=log)
        stop = time.monotonic() + seconds
        honest: list[tuple[float, bool, int]] = []
        floods: list[tuple[float, int]] = []

        def flooder(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(timeout=30) as client:
                while time.monotonic() < stop:
                    text = "".join(chr(rng.randint(0x1F300, 0x1FAFF)) for _ in range(1990))
                    form = {
                        "conversation": secrets.token_urlsafe(24),
                        "message": text,
                        "message_id": secrets.token_urlsafe(24),
                    }
                    started = time.perf_counter()
                    r = client.post(
                        service.base + "/chat", data=form, headers={"origin": service.base}
                    )
                    floods.append((time.perf_counter() - started, r.status_code))

        def person(index: int) -> None:
            with httpx.Client(timeout=30) as client:
                while time.monotonic() < stop:
                    who = Person(index, service.base)
                    for message in SCRIPT:
                        url, form, headers = who.new_delivery(message)
                        started = time.perf_counter()
                        r = client.post(url, data=form, headers=headers)
                        honest.append(
                            (time.perf_counter() - started, NOT_SAVED in r.text, r.status_code)
                        )
                    index += 6

        threads = [threading.Thread(target=flooder, args=(i,)) for i in range(3)]
        threads += [threading.Thread(target=person, args=(2 * i + 1,)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        service.stop()
    waits = sorted(w for w, _, _ in honest)
    lost = sum(1 for _, not_saved, code in honest if not_saved or code != 200)
    print(
        f"\n== H2 flood, {seconds:.0f} s: 3 clients posting 1,990 random emoji (~24 KB form), 3 people answering"
    )
    print(
        f"  emoji posts: {len(floods)}, status {sorted({c for _, c in floods})}, "
        f"slowest {max((w for w, _ in floods), default=0):.2f} s"
    )
    print(f"  honest messages: {len(honest)}, not saved or failed: {lost} [target 0]")
    print(
        f"  honest reply p50 {statistics.median(waits):.2f} s, p95 "
        f"{waits[int(len(waits) * 0.95) - 1]:.2f} s, slowest {waits[-1]:.2f} s [target < 3 s]"
    )
    return 1 if lost or waits[-1] >= 3 else 0


def evaluate(name: str, rows: list[dict[str, object]], redactor: Redactor) -> list[float]:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    leaks: list[str] = []
    clean = lost = 0
    times = []
    for row in rows:
        text = str(row["text"])
        started = time.perf_counter()
        out = redactor.redact(text).text
        times.append((time.perf_counter() - started) * 1000)
        remove = row["remove"]
        assert isinstance(remove, list)
        for span in remove:
            total[span["type"]] += 1
            if survives(span["text"], out, text, remove):
                leaks.append(f"  leak {span['type']}: {span['text']!r} -> {out!r}")
            else:
                found[span["type"]] += 1
        if not remove:
            words = re.findall(r"[a-z']+", text.lower())
            kept = Counter(re.findall(r"[a-z']+", out.lower()))
            for w in words:
                clean += 1
                if kept[w] > 0:
                    kept[w] -= 1
                else:
                    lost += 1
    all_found, all_total = sum(found.values()), sum(total.values())
    print(f"\n== {name}: {len(rows)} messages")
    for kind in sorted(total):
        print(f"  {kind:18} {found[kind]:3}/{total[kind]:<3}")
    print(
        f"  identifiers removed: {all_found}/{all_total} ({all_found / max(all_total, 1):.1%}) [target >= 98%]"
    )
    print(f"  clean words lost:    {lost}/{clean} ({lost / max(clean, 1):.1%}) [target <= 1%]")
    print("\n".join(leaks) if leaks else "  no leaks")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--dev", type=Path, default=ROOT.parent / "shared" / "data" / "pii_dev.jsonl"
    )
    parser.add_argument("--cross-writer", action="store_true", help="leave one writer out")
    parser.add_argument(
        "--flood", type=float, metavar="SECONDS", help="H2: emoji flood against the real service"
    )
    args = parser.parse_args()
    if args.flood:
        return flood(args.flood)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    from privacy.recognizers.rampart import RampartModel

    variant = RampartModel().variant
    tagger_load = time.perf_counter() - started
    started = time.perf_counter()
    redactor = Redactor(load_config().privacy)
    load_seconds = time.perf_counter() - started
    print(
        f"load: redactor {load_seconds:.2f} s (of which the Rampart tagger, {variant}, alone "
        f"{tagger_load:.2f} s); "
        f"resident memory {rss_before:.0f} MB before, "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB after"
    )
    if args.cross_writer:
        from benchmarks.privacy_cross import cross_writer

        code = cross_writer(args.dev.parent, redactor)
        redactor.close()
        return code
    times: list[float] = []
    if args.dev.exists():
        dev = [
            json.loads(line)
            for line in args.dev.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        times += evaluate("shared dev set", dev, redactor)
    else:
        print(f"(no dev set at {args.dev})")
    extra_path = ROOT / "benchmarks" / "data" / "pii_extra.jsonl"
    extra = [
        json.loads(line)
        for line in extra_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    times += evaluate("our own cases (not tuned on the dev set)", extra, redactor)
    own = load(ROOT / "tests" / "privacy" / "data" / "own_writer.jsonl")
    times += evaluate("a new writer's cases (tests/privacy/data/own_writer.jsonl)", own, redactor)
    # Latency on one core: the redactor's own thread pool runs one message at a time here.
    warm = sorted(times[5:]) or sorted(times)
    p95 = warm[int(len(warm) * 0.95) - 1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\n== speed and memory")
    print(f"  load time:            {load_seconds:.2f} s [target <= 3 s]")
    print(f"  latency median:       {statistics.median(warm):.1f} ms")
    print(f"  latency p95:          {p95:.1f} ms [target <= 15 ms]")
    print(f"  peak resident memory: {rss:.0f} MB")
    redactor.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
