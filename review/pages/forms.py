"""Form helpers the staff pages share: dates typed by people, checked, with errors to show."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

_DMY = re.compile(r"^(\d{1,2})[/. -](\d{1,2})[/. -](\d{4})$")


def parse_day(raw: str) -> date | None:
    """``2026-11-30`` or ``30/11/2026``; None if it is not a real date."""
    raw = raw.strip()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        pass
    m = _DMY.match(raw)
    if m is None:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def date_range(
    values: Mapping[str, str], start: str = "start", end: str = "end"
) -> tuple[date | None, date | None, dict[str, str]]:
    """Read an optional from/to pair. Errors are keyed by the field's id, in page order."""
    errors: dict[str, str] = {}
    days: dict[str, date | None] = {}
    for name, words in ((start, "from"), (end, "to")):
        raw = str(values.get(name, "") or "").strip()
        days[name] = parse_day(raw) if raw else None
        if raw and days[name] is None:
            errors[name] = f"The '{words}' date must be a real date, like 30/11/2026 or 2026-11-30"
    first, last = days[start], days[end]
    if first and last and first > last:
        errors[end] = "The 'to' date must be the same as or after the 'from' date"
    return first, last, errors
