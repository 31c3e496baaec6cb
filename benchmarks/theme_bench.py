"""The theme side of ``review_bench.py --themes``: refresh of every stored answer's suggestions,
and the findings and coding pages, on N stored answers.

Answers are the dev set's texts (``../shared/data/themes_dev.jsonl``) cycled, with a number after
the repeats so every text is distinct. The codebook is the dev set's; 100 answers are coded with
their dev themes. Then:

- **(b) from scratch**: the first ``scratch`` answers have no kept embedding and go through the
  encoder; the others' embeddings are stored beforehand (their source text's real MiniLM vector),
  so one refresh embeds ``scratch`` answers and re-scores all N. With ``scratch`` = N it is the
  whole backlog, really.
- **(a) with embeddings kept**: one more coding (so the model is refitted), then a refresh of all N.
- The embedding rate is (b - (a - refit)) / scratch; the projected first-time refresh of all N
  answers is a + N x rate.
- Discovery: the first visit to its page starts a grouping in the background; the findings page
  is timed meanwhile, and the grouping's own time read from the page.
- Pages over loopback HTTP (median and p95 of ``runs``), after one warm-up request each; then a
  coding through the page, and the same pages again while the app's refresh runs (the first
  ones at least: a refresh of 100,000 answers takes about a minute).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
TARGET_MS = 300
TARGET_REFRESH_S = 600


def dev_rows() -> list[dict[str, Any]]:
    path = DATA / "themes_dev.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def texts(n: int) -> list[str]:
    """N distinct answer texts from the dev set (repeats get a number)."""
    rows = dev_rows()
    return [
        rows[i % len(rows)]["text"] + (f" ({i // len(rows)})" if i >= len(rows) else "")
        for i in range(n)
    ]


def prepare(db: Any, scratch: int) -> dict[str, float]:
    """Codebook, 100 codings, kept embeddings for all but ``scratch`` answers; then time the
    refreshes. Returns the figures."""
    from sqlalchemy import insert, select

    from review.themes_staff.engine import VECTOR, ThemeEngine, text_key
    from review.themes_staff.store import code_answer, save_codebook
    from storage.models import Answer, ThemeEmbedding
    from themes.codebook import load_yaml

    rows = dev_rows()
    now = datetime.now(UTC)
    with db.session() as s:
        book = load_yaml((DATA / "themes_codebook.yml").read_text())
        save_codebook(s, book, actor="bench", action="themes_import", detail="", now=now)
        answers = s.execute(select(Answer.id, Answer.text).order_by(Answer.id)).all()
        for n, (aid, _) in enumerate(answers[:100]):
            themes = rows[(aid - answers[0].id) % len(rows)]["themes"]
            code_answer(s, aid, themes, actor="bench", now=now + timedelta(seconds=n))
    engine = ThemeEngine(db, nice=0)  # as fast as the machine allows, for the measurement
    model, _ = engine.model()
    started = time.perf_counter()
    source = model.encoder.encode([r["text"] for r in rows])
    figures = {"dev_embed_s": time.perf_counter() - started}
    kept = [
        {
            "answer_id": aid,
            "text_hash": text_key(text),
            "vector": source[(aid - answers[0].id) % len(rows)].astype(VECTOR).tobytes(),
        }
        for aid, text in answers[scratch:]
    ]
    with db.session() as s:
        for at in range(0, len(kept), 5000):
            s.execute(insert(ThemeEmbedding), kept[at : at + 5000])
    cpu, started = time.process_time(), time.perf_counter()
    scored = engine.refresh()
    figures |= {
        "answers": scored,
        "scratch": engine.embedded,
        "b_s": time.perf_counter() - started,
        "b_cpu": time.process_time() - cpu,
    }
    with db.session() as s:
        aid = answers[100].id
        code_answer(s, aid, rows[100]["themes"], actor="bench", now=now + timedelta(minutes=5))
    cpu, started = time.process_time(), time.perf_counter()
    engine.model()  # the refit a coding causes
    refit = time.perf_counter() - started
    engine.refresh()
    figures |= {
        "a_s": time.perf_counter() - started,
        "a_cpu": time.process_time() - cpu,
        "refit_s": refit,
    }
    assert engine.embedded == 0, "every embedding should have been kept"
    return figures


def report(figures: dict[str, float]) -> None:
    n, scratch = int(figures["answers"]), int(figures["scratch"])
    a, b = figures["a_s"], figures["b_s"]
    print(f"  theme refresh, {n} answers, 16 themes, 101 coded:")
    flag = "" if a <= TARGET_REFRESH_S else "  (over target)"
    print(
        f"    (a) embeddings kept, after a coding: {a:7.1f} s (refit {figures['refit_s']:.1f} s; "
        f"{figures['a_cpu']:.1f} s CPU in this process){flag}"
    )
    print(
        f"    (b) {scratch} answers embedded + all re-scored: {b:7.1f} s ({figures['b_cpu']:.1f}"
        f" s CPU here, not counting encoder worker processes)"
    )
    if scratch:
        rate = max(b - (a - figures["refit_s"]), 0.0) / scratch
        whole = a + n * rate
        flag = "" if whole <= TARGET_REFRESH_S else "  (over target)"
        print(
            f"    embedding rate {1000 * rate:.1f} ms an answer (wall); from scratch for all "
            f"{n}: {whole:.0f} s{' (measured)' if scratch >= n else ' (projected)'}{flag}"
        )


def discovery(client: Any, timed: Callable[..., tuple[float, float]]) -> dict[str, Any]:
    """The discovery page's first visit starts a grouping on a background thread: time that
    visit, the findings page while the grouping runs, and the grouping itself."""
    started = time.perf_counter()
    assert client.get("/review/themes/discover").status_code == 200
    first = (time.perf_counter() - started) * 1000
    during: list[float] = []
    deadline = time.monotonic() + TARGET_REFRESH_S
    while True:
        page = client.get("/review/themes/discover").text
        if "Grouped " in page or "failed" in page or time.monotonic() > deadline:
            break
        at = time.perf_counter()
        assert client.get("/review/themes/findings", params={"by": "group"}).status_code == 200
        during.append((time.perf_counter() - at) * 1000)
    done = re.search(r"Grouped (\d+) answers at .* in ([0-9.]+) s", page)
    groups = len(re.findall(r'<h2 class="govuk-heading-m" id="group-', page))
    print(
        f"  discovery: grouped {done[1] if done else '?'} answers no theme fits into {groups} "
        f"groups shown in {done[2] if done else '?'} s on a background thread "
        f"({time.perf_counter() - started:.1f} s from the first visit, model fit included)"
    )
    out = {"discovery, first visit (grouping starts)": (first, first)}
    if during:
        during.sort()
        p95 = during[max(0, int(len(during) * 0.95) - 1)]
        out[f"findings while discovery groups ({len(during)} runs)"] = (
            during[len(during) // 2],
            p95,
        )
    return out


def pages(client: Any, runs: int, timed: Callable[..., tuple[float, float]]) -> dict[str, Any]:
    """Time the findings and coding pages (each warmed once: the first loads the model)."""
    cases = {
        "findings, all questions (by group)": ("/review/themes/findings", {"by": "group"}),
        "findings, one question (by age band)": (
            "/review/themes/findings",
            {"question": "big_question", "by": "age_band"},
        ),
        "a theme's answers": ("/review/themes/findings", {"theme": "housing"}),
        "next answer to code": ("/review/themes/code", {}),
    }
    results = discovery(client, timed)
    cases["candidate themes (discovery)"] = ("/review/themes/discover", {})
    for label, (path, params) in cases.items():
        first = client.get(path, params=params)
        assert first.status_code == 200, (path, first.status_code)

        def fetch(path: str = path, params: dict[str, str] = params) -> None:
            assert client.get(path, params=params).status_code == 200

        results[label] = timed(fetch, runs)
    # A coding through the page starts the app's own background refresh: the pages again, meanwhile.
    page = client.get("/review/themes/code").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    answer = re.search(r'name="answer" value="(\d+)"', page)
    assert csrf and answer, "the coding page has no form"
    form = {"csrf": csrf[1], "answer": answer[1], "theme": "housing", "do": "confirm"}
    assert client.post("/review/themes/code", data=form).status_code in (200, 303)
    for label, (path, params) in cases.items():

        def again(path: str = path, params: dict[str, str] = params) -> None:
            assert client.get(path, params=params).status_code == 200

        results[f"{label}, during a refresh"] = timed(again, runs)
    return results
