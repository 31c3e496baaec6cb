"""Small server-side SVG charts: they work without JavaScript and in print."""

from __future__ import annotations

from html import escape

from markupsafe import Markup

PALETTE = ("#1d70b8", "#00703c", "#d4351c", "#f47738", "#4c2c92", "#505a5f")


def bar_chart(
    title: str, rows: list[tuple[str, dict[str, int]]], *, width: int = 640, bar_height: int = 18
) -> str:
    """Horizontal stacked bars: one row per label, segments per series, with a text legend."""
    series = sorted({name for _, values in rows for name in values})
    total_max = max((sum(values.values()) for _, values in rows), default=0) or 1
    label_w, gap = 150, 6
    plot_w = width - label_w - 60
    height = len(rows) * (bar_height + gap) + 40 + 20 * ((len(series) + 3) // 4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="t-{abs(hash(title))}" '
        f'width="100%" viewBox="0 0 {width} {height}" class="app-chart">',
        f'<title id="t-{abs(hash(title))}">{escape(title)}</title>',
    ]
    y = 10
    for label, values in rows:
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_height - 4}" text-anchor="end" font-size="13">{escape(label)}</text>'
        )
        x = float(label_w)
        for i, name in enumerate(series):
            value = values.get(name, 0)
            w = plot_w * value / total_max
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{PALETTE[i % len(PALETTE)]}">'
                    f"<title>{escape(label)}: {escape(name)} {value}</title></rect>"
                )
            x += w
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y + bar_height - 4}" font-size="13">{sum(values.values())}</text>'
        )
        y += bar_height + gap
    if not rows:
        parts.append(f'<text x="{label_w}" y="{y + 12}" font-size="13">No data yet</text>')
    y += 20
    for i, name in enumerate(series):
        lx = label_w + (i % 4) * 120
        ly = y + (i // 4) * 20
        parts.append(
            f'<rect x="{lx}" y="{ly - 11}" width="12" height="12" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{lx + 16}" y="{ly}" font-size="13">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every label and title above is escaped)
