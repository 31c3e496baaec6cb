"""Measures for bot texts: GSM-7, SMS segments and a Flesch-Kincaid reading grade."""

from __future__ import annotations

import re

GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXT = set("^{}\\[~]|€")


def is_gsm7(text: str) -> bool:
    """Whether every character fits the GSM-7 alphabet (with its extension table)."""
    return all(ch in GSM7 or ch in GSM7_EXT for ch in text)


def sms_segments(text: str) -> int:
    """How many SMS parts a text takes (160/153 for GSM-7, 70/67 for UCS-2)."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXT else 1 for ch in text)
        single, multi = 160, 153
    else:
        units = len(text)
        single, multi = 70, 67
    return 1 if units <= single else -(-units // multi)


def _syllables(word: str) -> int:
    word = word.lower()
    groups = re.findall(r"[aeiouy]+", word)
    count = len(groups)
    if word.endswith("e") and count > 1 and not word.endswith(("le", "ee")):
        count -= 1
    return max(1, count)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level of a text (US school grade; age is about grade + 5)."""
    sentences = max(1, len(re.findall(r"[.!?:\n]+", text.strip() + ".")))
    words = re.findall(r"[A-Za-z']+", text)
    if not words:
        return 0.0
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59
