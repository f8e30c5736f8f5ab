"""Bar charts as SVG written on the server: no script, no external library, readable by everyone.

Each chart is an image with a name and a description (`role="img"`, `<title>` and `<desc>`
referenced by `aria-labelledby`), its labels and values are text in the picture, and the page
puts the same numbers in a table beside it, which is what a screen reader or a spreadsheet
uses. Bars are horizontal, one row per item, so that a chart stays legible when the page is as
narrow as a phone: the picture scales, its rows do not crowd each other. Colours are attributes
(no inline style), so a strict Content-Security-Policy leaves charts intact.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from markupsafe import Markup, escape

WIDTH = 400
"""The picture's width in its own units; CSS scales it to the column it sits in."""

FONT_SIZE = 13
BAR_COLOUR = "#000091"  # the register's accent: 14.9:1 against white
TEXT_COLOUR = "#1b1b1b"
TRACK_COLOUR = "#ececec"
VALUE_ROOM = 56
LABEL_ROOM = 100
MAX_LABEL = 46


@dataclass(frozen=True, slots=True)
class Bar:
    """One row of a chart: what it counts, its value, and that value written for the reader."""

    label: str
    value: float
    shown: str


def _clipped(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    bars: Sequence[Bar],
    *,
    chart_id: str,
    title: str,
    description: str,
    labels: Literal["left", "above"] = "left",
    maximum: float | None = None,
) -> Markup:
    """A horizontal bar chart of `bars`, in their order.

    `labels="left"` suits short labels (months), `"above"` long ones (organisations' names).
    Bars are scaled to `maximum` (the largest value when not given); a bar of a value above
    zero is always at least one unit long, so that it shows.
    """
    top = maximum if maximum is not None else max((bar.value for bar in bars), default=0)
    label_room = LABEL_ROOM if labels == "left" else 0
    track = WIDTH - label_room - VALUE_ROOM
    row = 26 if labels == "left" else 42
    bar_height = 16
    height = max(row * len(bars), row) + 4
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' role="img" aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc"'
        f' font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
    ]
    for position, bar in enumerate(bars):
        y = position * row + 2
        bar_y = y + (row - bar_height) // 2 if labels == "left" else y + 20
        length = 0.0 if top <= 0 else track * min(bar.value, top) / top
        if bar.value > 0:
            length = max(length, 1.0)
        text_y = bar_y + bar_height - 3
        if labels == "left":
            parts.append(
                f'<text x="{label_room - 8}" y="{text_y}" text-anchor="end">'
                f"{escape(_clipped(bar.label, 16))}</text>"
            )
        else:
            parts.append(
                f'<text x="0" y="{y + 14}">{escape(_clipped(bar.label, MAX_LABEL))}</text>'
            )
        parts.append(
            f'<rect x="{label_room}" y="{bar_y}" width="{track}" height="{bar_height}"'
            f' fill="{TRACK_COLOUR}"/>'
        )
        parts.append(
            f'<rect x="{label_room}" y="{bar_y}" width="{length:.1f}" height="{bar_height}"'
            f' fill="{BAR_COLOUR}"/>'
        )
        parts.append(f'<text x="{label_room + track + 6}" y="{text_y}">{escape(bar.shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every piece of text above is escaped
