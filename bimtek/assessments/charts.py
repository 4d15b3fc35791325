"""Small server-rendered SVG charts for the results page (no JavaScript, no inline CSS).

SVG presentation attributes (fill=, width=) are allowed by the strict CSP; ``style=`` is not.
"""

from html import escape

from markupsafe import Markup

from bimtek.core.charts import COLORS, FONT, GRID, INK, MUTED

PRE_COLOR = COLORS["pre"]
POST_COLOR = COLORS["post"]


def _fmt(value, digits=1) -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", ",")


def _legend(x: int, y: int) -> str:
    return (
        f'<rect x="{x}" y="{y - 9}" width="12" height="12" rx="2" fill="{PRE_COLOR}"/>'
        f'<text x="{x + 17}" y="{y + 1}" font-size="12" fill="{INK}" {FONT}>Pre-test</text>'
        f'<rect x="{x + 90}" y="{y - 9}" width="12" height="12" rx="2" fill="{POST_COLOR}"/>'
        f'<text x="{x + 107}" y="{y + 1}" font-size="12" fill="{INK}" {FONT}>Post-test</text>'
    )


def distribution_svg(pre_bins: list[int], post_bins: list[int]) -> Markup:
    """Grouped bars: how many participants scored 0–9, 10–19, … 90–100, pre next to post."""
    width, height = 640, 280
    left, right, top, bottom = 40, 10, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([*pre_bins, *post_bins, 1])
    step = max(1, -(-peak // 5))
    peak = step * 5
    bins = len(pre_bins)
    slot = plot_w / bins
    bar = slot * 0.38
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="dist-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="dist-title">Sebaran skor pre-test dan post-test</title>',
    ]
    for tick in range(0, peak + 1, step):
        y = top + plot_h - plot_h * tick / peak
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}" {FONT}>{tick}</text>'
        )
    for index in range(bins):
        x0 = left + slot * index + slot * 0.1
        for offset, count, color, kind in (
            (0, pre_bins[index], PRE_COLOR, "pre"),
            (bar, post_bins[index], POST_COLOR, "post"),
        ):
            h = plot_h * count / peak
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x0 + offset:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{color}"><title>{kind}: {count} peserta</title></rect>'
            )
            if count:
                parts.append(
                    f'<text x="{x0 + offset + bar / 2:.1f}" y="{y - 3:.1f}" font-size="10" '
                    f'text-anchor="middle" fill="{MUTED}" {FONT}>{count}</text>'
                )
        low = index * 100 // bins
        label = f"{low}–{low + 100 // bins - 1}" if index < bins - 1 else f"{low}–100"
        parts.append(
            f'<text x="{left + slot * index + slot / 2:.1f}" y="{top + plot_h + 16}" '
            f'font-size="11" text-anchor="middle" fill="{MUTED}" {FONT}>{label}</text>'
        )
    parts.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 6}" font-size="11" '
        f'text-anchor="middle" fill="{MUTED}" {FONT}>Skor</text>'
    )
    parts.append(_legend(left, 16))
    parts.append("</svg>")
    return Markup("".join(parts))


def module_gain_svg(modules: list[dict]) -> Markup:
    """Per module: mean pre and mean post as bars on a 0–100 scale, with ⟨g⟩ at the end."""
    row_h, bar_h = 54, 16
    label_w, width, right = 70, 640, 90
    top = 34
    height = top + row_h * max(1, len(modules)) + 24
    plot_w = width - label_w - right
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="gain-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="gain-title">Rata-rata skor pre dan post per materi, dengan gain '
        "ternormalisasi</title>",
        _legend(label_w, 16),
        f'<text x="{width - 4}" y="17" font-size="12" text-anchor="end" fill="{INK}" '
        f'font-weight="bold" {FONT}>⟨g⟩</text>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = label_w + plot_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 20}" stroke="{GRID}"/>'
            f'<text x="{x:.1f}" y="{height - 6}" font-size="11" text-anchor="middle" '
            f'fill="{MUTED}" {FONT}>{tick}</text>'
        )
    for index, module in enumerate(modules):
        y = top + row_h * index
        parts.append(
            f'<text x="0" y="{y + bar_h + 4}" font-size="13" font-weight="bold" fill="{INK}" '
            f"{FONT}>{escape(str(module['code']))}"
            f"<title>{escape(str(module['title']))}</title></text>"
        )
        for offset, value, color in (
            (0, module["mean_pre"], PRE_COLOR),
            (bar_h + 4, module["mean_post"], POST_COLOR),
        ):
            w = plot_w * (value or 0) / 100
            parts.append(
                f'<rect x="{label_w}" y="{y + offset}" width="{w:.1f}" height="{bar_h}" '
                f'rx="2" fill="{color}"/>'
                f'<text x="{label_w + w + 4:.1f}" y="{y + offset + 12}" font-size="11" '
                f'fill="{INK}" {FONT}>{_fmt(value)}</text>'
            )
        parts.append(
            f'<text x="{width - 4}" y="{y + bar_h + 4}" font-size="14" text-anchor="end" '
            f'font-weight="bold" fill="{POST_COLOR}" {FONT}>{_fmt(module["g_of_means"], 2)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
