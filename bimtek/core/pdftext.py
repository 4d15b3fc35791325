"""Text helpers for the PDFs drawn with ReportLab (ticket, certificate, badges)."""

from reportlab.pdfbase import pdfmetrics


def wrap_text(text: str | None, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` at spaces into lines no wider than ``width`` points in ``font``/``size``.

    A single word wider than ``width`` gets a line of its own (it is never cut); runs of
    spaces collapse; empty or None text gives no lines.
    """
    lines, line = [], ""
    for word in (text or "").split():
        candidate = f"{line} {word}" if line else word
        if not line or pdfmetrics.stringWidth(candidate, font, size) <= width:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines
