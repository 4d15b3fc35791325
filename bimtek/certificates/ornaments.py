"""The certificate's page, palette and frame: border, guilloche waves and rosette, corners.

Drawn as raw PDF operators built once per process (``lru_cache``); the wave band is one
period drawn as a form and placed all round the page.
"""

import math
from functools import lru_cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape

from bimtek.certificates.images import draw_image
from bimtek.certificates.sheets import Design

PAGE = landscape(A4)
WIDTH, HEIGHT = PAGE
CENTER = WIDTH / 2
GREEN = HexColor("#0b5d4b")
GREEN_DARK = HexColor("#073d31")
GOLD = HexColor("#b08d3c")
GOLD_LIGHT = HexColor("#d9c48f")
INK = HexColor("#1d2421")
MUTED = HexColor("#5b6661")
PAPER = HexColor("#fffdf7")
WATERMARK = HexColor("#e8efe9")
RED = Color(0.75, 0.1, 0.1, alpha=0.55)


def _color_ops(color, stroke=True) -> str:
    r, g, b = color.red, color.green, color.blue
    return f"{r:.3f} {g:.3f} {b:.3f} {'RG' if stroke else 'rg'}"


def _polyline(points) -> str:
    first, *rest = points
    parts = [f"{first[0]:.1f} {first[1]:.1f} m"]
    parts.extend(f"{x:.1f} {y:.1f} l" for x, y in rest)
    return "\n".join(parts)


@lru_cache(maxsize=8)
def _rosette_ops(cx, cy, radius, color_hex, width) -> str:
    """A guilloche rosette as PDF operators, built once per process."""
    ops = ["q", _color_ops(HexColor(color_hex)), f"{width} w"]
    for ring in range(3):
        r0 = radius * (0.55 + 0.2 * ring)
        points = []
        steps = 360
        for step in range(steps + 1):
            t = 2 * math.pi * step / steps
            r = r0 + radius * 0.12 * math.sin(18 * t + ring) * math.cos(3 * t)
            points.append((cx + r * math.cos(t), cy + r * math.sin(t)))
        ops.append(_polyline(points) + " S")
    ops.append("Q")
    return "\n".join(ops)


def rosette(canvas, cx, cy, radius, color, width=0.35):
    """A guilloche rosette (vector), drawn from cached operators."""
    canvas.addLiteral(_rosette_ops(cx, cy, radius, color.hexval(), width))


@lru_cache(maxsize=8)
def _wave_ops(inset, amplitude, period, color_hex, width, phase) -> str:
    x0, y0, x1, y1 = inset, inset, WIDTH - inset, HEIGHT - inset
    ops = ["q", _color_ops(HexColor(color_hex)), f"{width} w"]
    for shift in (phase, phase + math.pi):
        points = []
        for (ax, ay), (bx, by) in (
            ((x0, y0), (x1, y0)),
            ((x1, y0), (x1, y1)),
            ((x1, y1), (x0, y1)),
            ((x0, y1), (x0, y0)),
        ):
            length = math.hypot(bx - ax, by - ay)
            steps = int(length / 4)
            nx, ny = (by - ay) / length, -(bx - ax) / length
            for step in range(steps + 1):
                s = step / steps
                offset = amplitude * math.sin(2 * math.pi * s * length / period + shift)
                points.append((ax + (bx - ax) * s + nx * offset, ay + (by - ay) * s + ny * offset))
        ops.append(_polyline(points) + " S")
    ops.append("Q")
    return "\n".join(ops)


def _wave_band(canvas, inset, amplitude, period, color, width=0.5, phase=0.0):
    """Sine waves running round the page inside the border (guilloche band)."""
    canvas.addLiteral(_wave_ops(inset, amplitude, period, color.hexval(), width, phase))


WAVE_INSET, WAVE_AMPLITUDE, WAVE_PERIOD = 27.5, 2.6, 16


def draw_wave_period(canvas) -> None:
    """One period of the border's two wave bands, for a form placed all round the page."""
    ops = []
    for color, width, phase in ((GOLD_LIGHT, 0.5, 0.0), (GREEN, 0.35, math.pi / 2)):
        ops += ["q", _color_ops(color), f"{width} w"]
        for shift in (phase, phase + math.pi):
            points = [
                (x / 2, WAVE_AMPLITUDE * math.sin(2 * math.pi * x / 2 / WAVE_PERIOD + shift))
                for x in range(0, 2 * WAVE_PERIOD + 1)
            ]
            ops.append(_polyline(points) + " S")
        ops.append("Q")
    canvas.addLiteral("\n".join(ops))


@lru_cache(maxsize=1)
def _wave_placements() -> tuple:
    """The transform (a, b, c, d, e, f) of each period of the wave form along the edges."""
    x0, y0 = WAVE_INSET, WAVE_INSET
    x1, y1 = WIDTH - WAVE_INSET, HEIGHT - WAVE_INSET
    placements = []
    for (ax, ay), (bx, by) in (
        ((x0, y0), (x1, y0)),
        ((x1, y0), (x1, y1)),
        ((x1, y1), (x0, y1)),
        ((x0, y1), (x0, y0)),
    ):
        length = math.hypot(bx - ax, by - ay)
        count = max(1, round(length / WAVE_PERIOD))
        step = length / count
        dx, dy = (bx - ax) / length, (by - ay) / length
        scale = step / WAVE_PERIOD
        for index in range(count):
            px, py = ax + dx * step * index, ay + dy * step * index
            placements.append((dx * scale, dy * scale, -dy, dx, px, py))
    return tuple(placements)


def _waves(canvas, wave_form: str | None) -> None:
    if wave_form is None:
        _wave_band(canvas, WAVE_INSET, WAVE_AMPLITUDE, WAVE_PERIOD, GOLD_LIGHT, 0.5)
        _wave_band(canvas, WAVE_INSET, WAVE_AMPLITUDE, WAVE_PERIOD, GREEN, 0.35, math.pi / 2)
        return
    for placement in _wave_placements():
        canvas.saveState()
        canvas.transform(*placement)
        canvas.doForm(wave_form)
        canvas.restoreState()


def _corner(canvas, x, y, sx, sy):
    """A gold corner ornament; (sx, sy) point into the page."""
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(sx, sy)
    canvas.setStrokeColor(GOLD)
    canvas.setFillColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.line(0, 0, 70, 0)
    canvas.line(0, 0, 0, 70)
    canvas.setLineWidth(0.7)
    canvas.line(6, 6, 46, 6)
    canvas.line(6, 6, 6, 46)
    path = canvas.beginPath()
    path.moveTo(0, 0)
    path.curveTo(18, 4, 26, 14, 22, 22)
    path.curveTo(14, 26, 4, 18, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.circle(30, 30, 2.2, stroke=0, fill=1)
    canvas.circle(12, 40, 1.4, stroke=0, fill=1)
    canvas.circle(40, 12, 1.4, stroke=0, fill=1)
    canvas.restoreState()


def draw_frame(canvas, design: Design, wave_form: str | None = None) -> None:
    """Paper, optional background image, border with waves and corner ornaments."""
    if design.background:
        draw_image(canvas, design.background, 0, 0, WIDTH, HEIGHT, stretch=True)
    else:
        canvas.setFillColor(PAPER)
        canvas.rect(0, 0, WIDTH, HEIGHT, stroke=0, fill=1)
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(7)
    canvas.rect(14, 14, WIDTH - 28, HEIGHT - 28, stroke=1, fill=0)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.2)
    canvas.rect(21, 21, WIDTH - 42, HEIGHT - 42, stroke=1, fill=0)
    _waves(canvas, wave_form)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(0.6)
    canvas.rect(34, 34, WIDTH - 68, HEIGHT - 68, stroke=1, fill=0)
    _corner(canvas, 40, 40, 1, 1)
    _corner(canvas, WIDTH - 40, 40, -1, 1)
    _corner(canvas, 40, HEIGHT - 40, 1, -1)
    _corner(canvas, WIDTH - 40, HEIGHT - 40, -1, -1)
