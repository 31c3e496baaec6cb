"""One logging filter that keeps message text and identifiers out of every log line.

The service registers the raw values of the message it is handling (text, sender) in a context
variable; the filter replaces them wherever they appear, whichever library logs them, withholds
any line that quotes a word of them, and scrubs anything shaped like a phone number, email or id. Client IPs are never logged: the
access log is our own middleware, which records method, path, status and time only.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_SENSITIVE: ContextVar[tuple[str, ...]] = ContextVar("speakup_sensitive", default=())
_WORDS: ContextVar[frozenset[str]] = ContextVar("speakup_sensitive_words", default=frozenset())
_WORD = re.compile(r"[^\W\d_]{3,}|\d{3,}")
WITHHELD = "[withheld: may quote a message]"
_SECRETS: set[str] = set()
_PATTERNS = (
    re.compile(
        r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{20,}"
    ),  # Telegram bot tokens (PTB logs its API URL at DEBUG)
    re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"\+?\d[\d\s()-]{5,}\d"),
    re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"),  # IPv4 addresses
)


@contextmanager
def sensitive(*values: str) -> Iterator[None]:
    """Mark raw values as never to be logged while the block runs."""
    token = _SENSITIVE.set(tuple(v for v in values if v and len(v) >= 3))
    words = _WORDS.set(frozenset(w.lower() for v in values for w in _WORD.findall(v)))
    try:
        yield
    finally:
        _SENSITIVE.reset(token)
        _WORDS.reset(words)


def register_secrets(*values: str | None) -> None:
    """Secrets (tokens, keys) that must never appear in any log line, from any library."""
    _SECRETS.update(v for v in values if v and len(v) >= 8)


def scrub(text: str) -> str:
    """Remove registered raw values and identifier-shaped strings from a log text."""
    for value in sorted((*_SECRETS, *_SENSITIVE.get()), key=len, reverse=True):
        text = text.replace(value, "[redacted]")
    for pattern in _PATTERNS:
        text = pattern.sub("[redacted]", text)
    # A fragment of the message (a library quoting one word of it) withholds the whole line.
    words = _WORDS.get()
    if words and any(w.lower() in words for w in _WORD.findall(text)):
        return WITHHELD
    return text


class ScrubFilter(logging.Filter):
    """Rewrite every record's message (and exception text) through :func:`scrub`."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Scrub and keep the record."""
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and safe extra fields."""

    SAFE_EXTRAS = ("channel", "risk", "replies", "status", "path", "method", "ms")

    def format(self, record: logging.LogRecord) -> str:
        """Format one record."""
        data: dict[str, object] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in self.SAFE_EXTRAS:
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_text:  # the exception's type alone: its message may quote input
            data["error"] = record.exc_text.splitlines()[-1].split(":", 1)[0]
        return json.dumps(data)


def configure_logging(level: int = logging.INFO) -> None:
    """Send all logs through the scrub filter as JSON lines on stderr."""
    handler = logging.StreamHandler()
    handler.addFilter(ScrubFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("uvicorn.access", "presidio-analyzer", "decision_process"):
        logging.getLogger(noisy).disabled = True
