"""Unicode TrueType fonts shipped with the package (DejaVu, see fonts/LICENSE-DejaVu.txt)."""

from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FONTS = {
    "Sans": "DejaVuSans.ttf",
    "Sans-Bold": "DejaVuSans-Bold.ttf",
    "Serif": "DejaVuSerif.ttf",
    "Serif-Bold": "DejaVuSerif-Bold.ttf",
    "Serif-Italic": "DejaVuSerif-Italic.ttf",
}
_registered = False


def register_fonts() -> None:
    """Register the fonts with ReportLab once per process; names are those of FONTS."""
    global _registered
    if _registered:
        return
    for name, filename in FONTS.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    _registered = True
