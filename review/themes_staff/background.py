"""One job on a background thread at a time: a request while it runs makes it run once more
afterwards (so the last request is always served), and a failed run is logged, not raised."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Background:
    """Runs ``job`` on a daemon thread named ``name`` when asked."""

    def __init__(self, job: Callable[[], None], name: str) -> None:
        self.job, self.name = job, name
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = threading.Event()

    @property
    def running(self) -> bool:
        thread = self._thread
        return thread is not None and thread.is_alive()

    def request(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again.set()
                return
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._again.clear()
            try:
                self.job()
            except Exception:  # the job's last result stays; the next request tries again
                log.exception("%s failed", self.name)
            if not self._again.is_set():
                return

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running job (tests, the command line, a job that follows this one)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
