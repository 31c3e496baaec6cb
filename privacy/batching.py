"""One background thread that runs a function over whatever work has queued up, as one batch.

The spaCy model costs most of a redaction, and most of that cost is per call, not per word: ten
short answers analysed together take about a quarter of the time each that they take one by one.
Under load many answers arrive at once, so each worker process hands them to this thread and
waits on a future; with nothing else waiting a batch is one text, and nothing is held back to fill
one.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Generic, TypeVar

In = TypeVar("In")
Out = TypeVar("Out")

BatchFunction = Callable[[Sequence[In]], Sequence[Out | Exception]]


class MicroBatcher(Generic[In, Out]):
    """Run ``function`` over batches on one thread per process; one future per item.

    ``function`` returns one result per item, in order; an exception in the list fails only that
    item's future, and an exception raised by ``function`` fails the whole batch.
    """

    def __init__(self, function: BatchFunction[In, Out], max_batch: int = 32, name: str = "batch"):
        self._function = function
        self._max_batch = max_batch
        self._name = name
        self._queue: queue.SimpleQueue[tuple[In, Future[Out]] | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()

    def submit(self, item: In) -> Future[Out]:
        """Queue one item; the future completes when its batch has run."""
        future: Future[Out] = Future()
        self._ensure_thread()
        self._queue.put((item, future))
        return future

    def _ensure_thread(self) -> None:
        # Made in the process that uses it: a thread inherited through fork() does not run.
        if self._thread is not None and self._pid == os.getpid():
            return
        with self._lock:
            if self._thread is None or self._pid != os.getpid():
                self._queue = queue.SimpleQueue()
                self._pid = os.getpid()
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        work = self._queue
        while True:
            first = work.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < self._max_batch:
                try:
                    following = work.get_nowait()
                except queue.Empty:
                    break
                if following is None:
                    work.put(None)  # finish this batch, then stop
                    break
                batch.append(following)
            # Items whose caller gave up (timed out and cancelled) are not worked on.
            live = [(item, f) for item, f in batch if f.set_running_or_notify_cancel()]
            if live:
                self._complete(live)

    def _complete(self, live: list[tuple[In, Future[Out]]]) -> None:
        try:
            results = self._function([item for item, _ in live])
            if len(results) != len(live):
                raise RuntimeError("batch function returned the wrong number of results")
        except Exception as exc:  # handed to every caller; the thread goes on
            for _, future in live:
                future.set_exception(exc)
            return
        for (_, future), result in zip(live, results, strict=True):
            if isinstance(result, Exception):
                future.set_exception(result)
            else:
                future.set_result(result)

    def close(self) -> None:
        """Let the thread finish what is queued and stop (in this process only)."""
        if self._thread is not None and self._pid == os.getpid():
            self._queue.put(None)
        self._thread = None
