"""What the A4 lists drawn with ReportLab share: colours, paragraph styles, escaping, the
document and its grid tables, and a canvas that numbers its pages (the sign-in sheet, the
activity report, a person's data)."""

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from bimtek.core.fonts import register_fonts

ACCENT = colors.HexColor("#0b5d4b")
MUTED = colors.HexColor("#555555")
LINE = colors.HexColor("#999999")


def paragraph_styles():
    """The paragraph styles of the A4 lists (sign-in sheet, activity report, data download)."""
    register_fonts()
    base = ParagraphStyle("base", fontName="Sans", fontSize=9, leading=11)
    return {
        "title": ParagraphStyle(
            "title", parent=base, fontName="Sans-Bold", fontSize=13, leading=16, alignment=TA_CENTER
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontName="Sans-Bold",
            fontSize=10.5,
            leading=13,
            alignment=TA_CENTER,
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10),
        "cell_small": ParagraphStyle(
            "cell_small", parent=base, fontSize=7.5, leading=9, textColor=MUTED
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName="Sans-Bold", fontSize=8.5, leading=10, alignment=TA_CENTER
        ),
        "base": base,
    }


def escape(text: str) -> str:
    """``text`` safe inside a ReportLab Paragraph's markup."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def a4_document(buffer, *, title: str, **options) -> SimpleDocTemplate:
    """An A4 portrait document writing into ``buffer``, with the lists' margins unless
    ``options`` (any of ReportLab's: a margin, author, subject, initialFontSize…) say
    otherwise."""
    settings = {
        "pagesize": A4,
        "leftMargin": 18 * mm,
        "rightMargin": 18 * mm,
        "topMargin": 16 * mm,
        "bottomMargin": 18 * mm,
        "initialFontName": "Sans",
        **options,
    }
    return SimpleDocTemplate(buffer, title=title, **settings)


def grid_table(rows, widths, styles, *, empty: str = "") -> Table:
    """``rows`` of values as a table of wrapped cells in a thin grid, each cell's text
    escaped; ``empty`` stands for a None."""
    body = [
        [Paragraph(escape(empty if v is None else str(v)), styles["cell"]) for v in row]
        for row in rows
    ]
    table = Table(body, colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), "Sans", 8.5),
                ("GRID", (0, 0), (-1, -1), 0.4, "#b9c4c1"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


class NumberedCanvas(Canvas):
    """Holds the pages back until the end so each can say "Halaman x dari y"."""

    def __init__(self, *args, footer_left: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self._saved_pages = []
        self._footer_left = footer_left

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._saved_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._saved_pages)
        for state in self._saved_pages:
            self.__dict__.update(state)
            self.setFont("Sans", 7.5)
            self.setFillColor(MUTED)
            width, _height = self._pagesize
            self.drawRightString(
                width - 15 * mm, 9 * mm, f"Halaman {self._pageNumber} dari {total}"
            )
            if self._footer_left:
                self.drawString(15 * mm, 9 * mm, self._footer_left[:110])
            super().showPage()
        super().save()
