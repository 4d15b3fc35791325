"""One chart style for every page and PDF: the palette, the ink, and bar geometry.

Charts are server-rendered SVG (pages) or ReportLab drawings (the activity report), never a
JavaScript library. Bars are laid out in percentages of the SVG's own width (``x="12.5%"``),
so a chart is as wide as its card on a phone or a tablet while its labels stay HTML text at a
readable size. Colours come from here only, so the dashboard, the results page and the PDF
show "post-test" or "alpa" in the same colour; ink and muted grey are those of app.css.
"""

from dataclasses import dataclass

#: text, secondary text and grid lines (app.css --ink, --muted, --line)
INK = "#1b1f1e"
MUTED = "#5b6663"
GRID = "#d9e0de"
#: the font of SVG text (a presentation attribute: the strict CSP refuses ``style=``)
FONT = 'font-family="system-ui, sans-serif"'

#: series colours, shared by charts and their legends
COLORS = {
    "registered": "#0b5d4b",
    "waitlisted": "#d08a1e",
    "hadir": "#137a3b",
    "terlambat": "#e0a526",
    "izin": "#5b8fd1",
    "sakit": "#8e6cc4",
    "alpa": "#b3261e",
    "belum": "#d9e0de",
    "pre": "#8aa39c",
    "post": "#0b5d4b",
    "capacity": "#d9e0de",
}
#: the four answers of a Likert item (1 kurang … 4 sangat baik)
SCALE_COLORS = {1: "#b3261e", 2: "#e0a526", 3: "#5b8fd1", 4: "#137a3b"}


@dataclass(frozen=True)
class Segment:
    """One coloured part of a horizontal bar."""

    key: str | int
    value: float
    #: left edge and width, in percent of the chart width
    x: float
    width: float
    color: str


def stack(values: list[tuple], scale: float, palette: dict | None = None) -> list[Segment]:
    """Segments of one horizontal stacked bar; ``scale`` is the value of a full-width bar.

    Each key's colour comes from ``palette`` (default: COLORS)."""
    palette = COLORS if palette is None else palette
    segments, left = [], 0.0
    for key, value in values:
        width = 100.0 * value / scale if scale > 0 and value > 0 else 0.0
        width = min(width, 100.0 - left)
        if width > 0:
            segments.append(Segment(key, value, round(left, 3), round(width, 3), palette[key]))
        left += width
    return segments


@dataclass(frozen=True)
class Column:
    """One vertical bar of a time series."""

    label: str
    value: float
    x: float
    width: float
    #: height in pixels of a chart ``height`` px tall
    height: float


def columns(
    points: list[tuple[str, float]], *, height: int = 120, gap: float = 0.18
) -> list[Column]:
    """Vertical bars side by side from the left (a time series), tallest = ``height`` px."""
    if not points:
        return []
    top = max(value for _label, value in points) or 1
    # a few days do not make a few fat slabs: slots are at most a fourteenth of the width
    slot = 100.0 / max(len(points), 14)
    return [
        Column(
            label,
            value,
            round(index * slot + slot * gap / 2, 3),
            round(slot * (1 - gap), 3),
            round(height * value / top, 1),
        )
        for index, (label, value) in enumerate(points)
    ]
