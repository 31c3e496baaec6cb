"""Per-channel wording: turn a text the engine sent into the wording for one channel.

The engine speaks one wording (the default, written for text messages). A channel that shows the
conversation on a page (web, kiosk) maps each reply back to the text it came from and uses that
channel's variant (``channel_texts`` in the dialogue), or the default without its lock-screen
first line. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from dialogues.schema import Dialogue

_DYNAMIC = ("code", "meaning")  # filled per message; everything else is fixed configuration


class ChannelWording:
    """Maps default texts to one channel's wording. Built once per process."""

    def __init__(
        self, dialogue: Dialogue, channels: tuple[str, ...], values: Mapping[str, object]
    ) -> None:
        fill = {**values, **{name: "{" + name + "}" for name in _DYNAMIC}}
        self.exact: dict[str, str] = {}
        self.patterns: list[tuple[re.Pattern[str], str, str]] = []
        self.where: dict[str, str] = {}
        for where, default, _fixed in dialogue.texts():
            variant = next(
                (
                    dialogue.channel_texts[c][where]
                    for c in channels
                    if where in dialogue.channel_texts.get(c, {})
                ),
                None,
            )
            sent = default.format(**fill)
            shown = variant.format(**fill) if variant is not None else drop_first_line(sent)
            if any("{" + name + "}" in sent for name in _DYNAMIC):
                pattern = re.escape(sent)
                for name in _DYNAMIC:
                    pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P<{name}>.+?)", 1)
                    pattern = pattern.replace(re.escape("{" + name + "}"), f"(?P={name})")
                self.patterns.append((re.compile(pattern + r"\Z", re.DOTALL), shown, where))
            else:
                self.exact[sent] = shown
                self.where[sent] = where

    def adapt(self, text: str) -> str:
        """The channel's wording of a text the engine sent (unknown texts pass unchanged)."""
        if text in self.exact:
            return self.exact[text]
        for pattern, shown, _ in self.patterns:
            match = pattern.match(text)
            if match:
                return shown.format(**{k: v for k, v in match.groupdict().items() if v is not None})
        return text

    def which(self, text: str) -> tuple[str | None, dict[str, str]]:
        """Where a sent text comes from (such as ``messages.bye``) and its filled-in values."""
        if text in self.where:
            return self.where[text], {}
        for pattern, _, where in self.patterns:
            match = pattern.match(text)
            if match:
                return where, {k: v for k, v in match.groupdict().items() if v is not None}
        return None, {}


def drop_first_line(text: str) -> str:
    """A default text without its discreet first line (kept for lock screens only)."""
    _first, sep, rest = text.partition("\n")
    return rest if sep and rest.strip() else text
