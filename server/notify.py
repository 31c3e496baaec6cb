"""Tell the safeguarding team that a new urgent item is waiting, and nothing more.

The notice carries no text, no level detail, no time beyond its own arrival and no identifier:
staff read the item in the queue, behind sign-in and the audit log. Sending happens in a
background thread so a slow webhook never delays a reply; failures are logged without content.
"""

from __future__ import annotations

import logging
import threading

import httpx

NOTICE = {"text": "A new urgent item is waiting on the Speak Up safeguarding queue."}
log = logging.getLogger("speakup.notify")


class UrgentNotifier:
    """Posts a fixed, content-free notice to a configured webhook."""

    def __init__(self, url: str | None, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout

    def notify(self) -> threading.Thread | None:
        """Send the notice in the background; returns the thread (tests join it)."""
        if not self.url:
            return None
        thread = threading.Thread(target=self._send, name="notify-urgent", daemon=True)
        thread.start()
        return thread

    def _send(self) -> None:
        try:
            response = httpx.post(self.url or "", json=NOTICE, timeout=self.timeout)
            response.raise_for_status()
        except httpx.HTTPError as exc:
            log.error("urgent notice not delivered: %s", type(exc).__name__)
