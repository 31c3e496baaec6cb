"""Small server-side SVG charts: they work without JavaScript, in print and on a phone.

Each label sits on its own line above its bar, so the chart can be narrow (a phone shows it at
nearly full size) and long labels stay readable. A table of the same figures goes beside each
chart in the page; the chart is the picture, the table is the data.
"""

from __future__ import annotations

from html import escape
from itertools import count

from markupsafe import Markup

PALETTE = ("#1d70b8", "#00703c", "#d4351c", "#f47738", "#4c2c92", "#505a5f")
FONT = "arial, sans-serif"  # the service's font; without it SVG text falls back to a serif
_ids = count(1)


def bar_chart(
    title: str,
    rows: list[tuple[str, dict[str, int]]],
    *,
    width: int = 400,
    bar_height: int = 16,
    notes: dict[str, str] | None = None,
) -> str:
    """Horizontal stacked bars: a label line, then the bar and its total (or a note, such as
    "fewer than 10", for a row with no bar), and a text legend when there is more than one series."""
    notes = notes or {}
    series = sorted({name for _, values in rows for name in values})
    total_max = max((sum(values.values()) for _, values in rows), default=0) or 1
    plot_w = width - 70
    row_h = bar_height + 26
    # Legend columns as wide as the longest name (about 8 px a character at 14 px Arial), so
    # names never run into each other; one a line when they are long.
    longest = max((len(name) for name in series), default=0)
    column = 16 + 8 * longest + 16
    columns = max(1, min(3, width // column))
    legend = 20 * (-(-len(series) // columns)) if len(series) > 1 else 0
    height = max(len(rows), 1) * row_h + legend + 10
    ident = f"chart-{next(_ids)}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{ident}" '
        f'width="100%" viewBox="0 0 {width} {height}" class="app-chart" '
        f'font-family="{FONT}">',
        f'<title id="{ident}">{escape(title)}</title>',
    ]
    y = 4
    for label, values in rows:
        parts.append(f'<text x="0" y="{y + 14}" font-size="14">{escape(label)}</text>')
        bar_y = y + 20
        x = 0.0
        for i, name in enumerate(series):
            value = values.get(name, 0)
            w = plot_w * value / total_max
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{bar_y}" width="{w:.1f}" height="{bar_height}" '
                    f'fill="{PALETTE[i % len(PALETTE)]}"/>'
                )
            x += w
        shown = notes.get(label, str(sum(values.values())))
        parts.append(
            f'<text x="{x + 6:.1f}" y="{bar_y + bar_height - 3}" font-size="14">{escape(shown)}</text>'
        )
        y += row_h
    if not rows:
        parts.append(f'<text x="0" y="{y + 14}" font-size="14">No data for these dates</text>')
        y += row_h
    if len(series) > 1:
        for i, name in enumerate(series):
            lx, ly = (i % columns) * column, y + 14 + (i // columns) * 20
            parts.append(
                f'<rect x="{lx}" y="{ly - 11}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
                f'<text x="{lx + 16}" y="{ly}" font-size="14">{escape(name)}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every label and title above is escaped)
