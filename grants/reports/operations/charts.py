"""Bar charts drawn on the server as inline SVG: no script, no chart library, no CDN.

Each chart is an image with a text alternative (its <title> and <desc>, which read out every
bar); each bar has its value printed beside it, so colour carries no information of its own.
The same figures are always in a table next to the chart.
"""

import logging
from dataclasses import dataclass

from markupsafe import Markup, escape

from grants.core.money import format_pounds

logger = logging.getLogger(__name__)

# GOV.UK blue on white: 5.2:1, above the 3:1 that graphics need; text is near-black (19:1).
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"

WIDTH = 760
LABEL_WIDTH = 250
VALUE_WIDTH = 120
ROW_HEIGHT = 32
BAR_HEIGHT = 20
TOP = 8
FONT_SIZE = 16
MAX_LABEL_CHARACTERS = 30


@dataclass(frozen=True)
class Bar:
    label: str
    pence: int


def _short(label: str) -> str:
    """Long names shortened to fit beside the bar (the table and description give them in
    full)."""
    if len(label) <= MAX_LABEL_CHARACTERS:
        return label
    return label[: MAX_LABEL_CHARACTERS - 1].rstrip() + "…"


def bar_chart(chart_id: str, title: str, bars: list[Bar]) -> Markup:
    """A horizontal bar chart of amounts of money, one bar per row, largest scale first."""
    if not bars:
        return Markup("")
    largest = max(bar.pence for bar in bars) or 1
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW_HEIGHT * len(bars)
    description = "; ".join(f"{bar.label}: {format_pounds(bar.pence)}" for bar in bars) + "."
    parts = [
        f'<svg class="app-chart" id="{escape(chart_id)}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'font-family="arial, sans-serif" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        f'<line x1="{LABEL_WIDTH}" y1="{TOP - 4}" x2="{LABEL_WIDTH}" y2="{height - TOP + 4}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>',
    ]
    for index, bar in enumerate(bars):
        y = TOP + index * ROW_HEIGHT
        length = round(plot_width * max(bar.pence, 0) / largest, 1)
        middle = y + ROW_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_short(bar.label))}</text>')
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{middle - BAR_HEIGHT / 2}" width="{length}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>')
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 8}" y="{middle}" '
            f'dominant-baseline="middle">{escape(format_pounds(bar.pence))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
