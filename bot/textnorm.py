"""Clean inbound text before anything looks at it: Unicode form, control and invisible characters."""

from __future__ import annotations

import unicodedata

# Zero-width and direction-control characters that change nothing a reader sees but can hide
# words from the redactor and the risk rules.
_INVISIBLE = {
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
}


def clean_text(raw: str) -> str:
    """Return NFC text with control and invisible characters removed and ends trimmed."""
    text = unicodedata.normalize("NFC", raw)
    kept = []
    for ch in text:
        if ch in _INVISIBLE:
            continue
        if unicodedata.category(ch) in {"Cc", "Cs", "Co"} and ch not in "\n\t":
            continue
        kept.append(ch)
    return "".join(kept).strip()


def decode_body(data: bytes) -> str:
    """Decode bytes as UTF-8, replacing anything that is not text."""
    return data.decode("utf-8", errors="replace").replace("\ufffd", "")
