"""The redaction batcher: many answers at once give the same results as one at a time."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from privacy import RedactionResult, Redactor
from privacy.batching import MicroBatcher

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "pii_dev.jsonl"
TEXTS = [
    "my sister jayden lives with me",
    "text me on 07912 345678",
    "Croydon council are a disgrace",
    "his nhs number is 943 476 5919",
    "I was born on 14/03/2008 and moved to 14 Acacia Avenue",
    "my foster carer Sam Jones was kind",
    "we live near ls6 2ab",
    "the leaving care team in Bradford were good",
]


def test_answers_redacted_together_come_out_as_they_do_alone(redactor: Redactor) -> None:
    texts = TEXTS * 4
    if DEV.exists():  # the shared development set, where this checkout has it
        texts += [json.loads(line)["text"] for line in DEV.read_text().splitlines()[:60]]
    alone = [redactor.redact(t) for t in texts]
    with ThreadPoolExecutor(max_workers=16) as pool:
        together = list(pool.map(redactor.redact, texts))
    assert together == alone
    batches = redactor.redact_together(texts)  # one batch of all of them, as under load
    assert batches == alone


def test_a_text_the_model_cannot_take_fails_only_its_own_message(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = redactor._analyzer.nlp_engine
    real = engine.process_text

    def fragile(text: str, language: str) -> object:
        if "poison" in text:
            raise ValueError("the model fell over")
        return real(text, language)

    def batch_fails(*_: object, **__: object) -> object:
        raise ValueError("the model fell over")

    monkeypatch.setattr(engine, "process_text", fragile)
    monkeypatch.setattr(engine, "process_batch", batch_fails)
    out = redactor.redact_together(["text me on 07912 345678", "poison", "my friend Sam Jones"])
    assert isinstance(out[1], ValueError)
    assert [o.text for o in (out[0], out[2]) if isinstance(o, RedactionResult)] == [
        "text me on [phone number]",
        "my friend [name]",
    ]


def test_a_failing_item_fails_only_its_own_caller() -> None:
    def run(items: Sequence[str]) -> list[str | Exception]:
        return [ValueError("bad") if i == "bad" else i.upper() for i in items]

    batcher: MicroBatcher[str, str] = MicroBatcher(run)
    futures = [batcher.submit(x) for x in ("a", "bad", "c")]
    assert futures[0].result(timeout=5) == "A"
    with pytest.raises(ValueError, match="bad"):
        futures[1].result(timeout=5)
    assert futures[2].result(timeout=5) == "C"
    batcher.close()


def test_a_crashing_batch_fails_its_callers_and_the_thread_goes_on() -> None:
    def run(items: Sequence[str]) -> list[str | Exception]:
        if "crash" in items:
            raise RuntimeError("model fell over")
        return list(items)

    batcher: MicroBatcher[str, str] = MicroBatcher(run)
    with pytest.raises(RuntimeError):
        batcher.submit("crash").result(timeout=5)
    assert batcher.submit("after").result(timeout=5) == "after"
    batcher.close()


def test_work_queued_while_a_batch_runs_goes_in_the_next_batch_and_cancelled_work_is_skipped() -> (
    None
):
    seen: list[list[str]] = []
    release = threading.Event()

    def run(items: Sequence[str]) -> list[str | Exception]:
        seen.append(list(items))
        release.wait(5)
        return list(items)

    batcher: MicroBatcher[str, str] = MicroBatcher(run, max_batch=3)
    first = batcher.submit("first")
    time.sleep(0.05)  # "first" is running alone
    waiting = [batcher.submit(x) for x in ("a", "b", "gone", "c")]
    assert waiting[2].cancel()  # its caller gave up before it ran
    release.set()
    assert first.result(timeout=5) == "first"
    assert [f.result(timeout=5) for f in waiting if not f.cancelled()] == ["a", "b", "c"]
    assert seen == [["first"], ["a", "b"], ["c"]]  # at most 3 taken; the cancelled one not run
    batcher.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork() is POSIX only")
def test_a_forked_worker_makes_its_own_thread() -> None:
    batcher: MicroBatcher[int, int] = MicroBatcher(lambda items: [i * 2 for i in items])
    assert batcher.submit(1).result(timeout=5) == 2  # the parent's thread exists before fork
    pid = os.fork()
    if pid == 0:  # the child: the parent's thread did not come with it
        ok = False
        try:
            ok = batcher.submit(21).result(timeout=5) == 42
        finally:
            os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    batcher.close()


def test_H2_random_emoji_are_redacted_at_once_and_come_back_as_sent(redactor: Redactor) -> None:
    import random

    rng = random.Random(17)
    emoji = "".join(chr(rng.randint(0x1F300, 0x1FAFF)) for _ in range(6000))  # ~24 KB
    started = time.perf_counter()
    assert redactor.redact(emoji).text == emoji
    assert time.perf_counter() - started < 1.0  # was ~4 s on one thread; now a few ms


def test_H2_a_slow_long_text_does_not_delay_short_answers(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = redactor._redact

    def slow_when_long(text: str, *rest: object) -> RedactionResult:
        if len(text) > redactor.policy.long_text_chars:
            time.sleep(1.0)
        return real(text, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(redactor, "_redact", slow_when_long)
    with ThreadPoolExecutor(max_workers=4) as pool:
        slow = pool.submit(redactor.redact, "word " * 150)
        time.sleep(0.05)  # the long text is running on its own lane
        short = [pool.submit(redactor.redact, f"text me on 07912 34567{i}") for i in range(3)]
        assert [f.result().text for f in short] == ["text me on [phone number]"] * 3
        assert not slow.done()  # the short answers did not wait behind it
        assert slow.result().text == "word " * 150


def test_H2_a_job_whose_caller_has_timed_out_is_not_worked_on(
    redactor: Redactor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from privacy.normalise import normalise
    from privacy.redactor import _Job

    calls: list[str] = []
    monkeypatch.setattr(redactor, "_redact", lambda text, *_: calls.append(text))
    late = _Job("my name is Sam", normalise("my name is Sam"), time.monotonic() - 1)
    out = redactor._redact_batch([late])
    assert isinstance(out[0], TimeoutError) and calls == []
