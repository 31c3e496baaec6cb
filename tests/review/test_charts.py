"""The dashboard's SVG charts: the service's font, and a legend whose names never overlap."""

from __future__ import annotations

import re

from review.charts import bar_chart

NAMES = ["Care-experienced adult", "Kinship carer", "Professional", "Parent", "Young person"]


def test_chart_text_is_in_the_services_font_not_a_serif() -> None:
    svg = bar_chart("Groups", [("Web", {"a": 3, "b": 2})])
    assert 'font-family="arial, sans-serif"' in svg


def test_legend_names_have_room_for_their_text() -> None:
    rows = [("Web", {name: i + 1 for i, name in enumerate(NAMES)})]
    svg = bar_chart("Groups by channel", rows, width=400)
    legend = re.findall(
        r'<rect x="(\d+)" y="(\d+)" width="12"[^>]*/><text[^>]*>([^<]+)</text>', svg
    )
    assert [name for _, _, name in legend] == sorted(NAMES)
    for x1, y1, name in legend:
        right = int(x1) + 16 + 8 * len(name)  # about 8 px a character at 14 px Arial
        assert right <= 400, name
        for x2, y2, other in legend:
            if other != name and y1 == y2 and int(x2) > int(x1):
                assert int(x2) >= right, (name, other)
