"""The drawing every SPJ document shares: the kop surat at the top, the signature row at the
bottom, the fonts (DejaVu, embedded) and the page numbers. Each document builds its story
between ``kop_surat`` and ``signature_row`` and hands it to ``render``."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Paragraph, SimpleDocTemplate, Table, TableStyle

from bimtek.core.fonts import register_fonts
from bimtek.events.models import Event
from bimtek.spj.letterhead import get_letterhead, get_logo, signature_blocks, stamp_of

MARGIN = 18 * mm
MUTED = colors.HexColor("#555555")


def text(value) -> str:
    """Plain text made safe for a ReportLab Paragraph."""
    return escape(str(value or ""))


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("spj", fontName="Sans", fontSize=10, leading=13)
    return {
        "base": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=10.5),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=10.5),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontSize=8.5, leading=10.5, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head",
            parent=base,
            fontName="Sans-Bold",
            fontSize=8.5,
            leading=10.5,
            alignment=TA_CENTER,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName="Sans-Bold",
            fontSize=12,
            leading=15,
            alignment=TA_CENTER,
            spaceAfter=2,
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "sign": ParagraphStyle("sign", parent=base, fontSize=9.5, leading=12, alignment=TA_LEFT),
        "sign_name": ParagraphStyle(
            "sign_name", parent=base, fontName="Sans-Bold", fontSize=9.5, leading=12
        ),
        "kop_authority": ParagraphStyle(
            "kop_authority",
            parent=base,
            fontName="Serif-Bold",
            fontSize=12.5,
            leading=15,
            alignment=TA_CENTER,
        ),
        "kop_name": ParagraphStyle(
            "kop_name",
            parent=base,
            fontName="Serif-Bold",
            fontSize=15,
            leading=18,
            alignment=TA_CENTER,
        ),
        "kop_line": ParagraphStyle(
            "kop_line",
            parent=base,
            fontName="Serif",
            fontSize=8.5,
            leading=10.5,
            alignment=TA_CENTER,
        ),
    }


class _DoubleRule(Flowable):
    """The thick-and-thin rule under a kop surat."""

    def __init__(self, width: float):
        super().__init__()
        self.width = width

    def wrap(self, available_width, available_height):
        return self.width, 3.2 * mm

    def draw(self):
        canvas = self.canv
        canvas.setStrokeColor(colors.black)
        canvas.setLineWidth(2)
        canvas.line(0, 2.4 * mm, self.width, 2.4 * mm)
        canvas.setLineWidth(0.6)
        canvas.line(0, 1.2 * mm, self.width, 1.2 * mm)


def fitted_image(content: bytes, max_width: float, max_height: float) -> Image:
    """An image flowable scaled to fit the box, keeping its proportions."""
    reader = ImageReader(io.BytesIO(content))
    width, height = reader.getSize()
    scale = min(max_width / width, max_height / height)
    return Image(io.BytesIO(content), width=width * scale, height=height * scale)


def kop_surat(event: Event, width: float) -> list[Flowable]:
    """The organizer's letterhead: logo left, authority, name, address and contacts centred,
    a double rule below. Every SPJ document starts with it."""
    s = styles()
    letterhead = get_letterhead(event)
    logo = get_logo(letterhead)
    lines = []
    if letterhead.authority:
        lines.append(Paragraph(text(letterhead.authority.upper()), s["kop_authority"]))
    name_style = s["kop_name"]
    if len(letterhead.name) > 30:  # a long name on one line rather than two
        name_style = ParagraphStyle("kop_name_long", parent=name_style, fontSize=12.5, leading=15)
    lines.append(Paragraph(text(letterhead.name.upper()), name_style))
    for line in (letterhead.address, letterhead.contacts):
        if line:
            lines.append(Paragraph(text(line), s["kop_line"]))
    logo_width = 24 * mm
    cells = [[fitted_image(logo, logo_width, 24 * mm) if logo else "", lines, ""]]
    table = Table(cells, colWidths=[logo_width, width - 2 * logo_width, logo_width])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return [table, _DoubleRule(width)]


@dataclass
class Signer:
    """One signature as printed; from a ``SignatureBlock`` or made for one document (the
    person receiving money signs their own kuitansi)."""

    office: str
    name: str
    nip: str = ""
    heading: str = ""
    on_behalf_of: str = ""
    stamp: bytes | None = None
    #: a line above the heading, e.g. "Samarinda, 31 Oktober 2024"
    place_date: str = ""


def event_signers(event: Event) -> list[Signer]:
    """The event's signature blocks as printed, left to right."""
    return [
        Signer(
            office=block.office,
            name=block.name,
            nip=block.nip,
            heading=block.heading,
            on_behalf_of=block.on_behalf_of,
            stamp=stamp_of(block),
        )
        for block in signature_blocks(event)
    ]


class _SignatureSpace(Flowable):
    """The blank where the signature goes; the stamp (cap) beside it, overlapping its left."""

    def __init__(self, width: float, height: float, stamp: bytes | None):
        super().__init__()
        self.width, self.height, self.stamp = width, height, stamp

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        if not self.stamp:
            return
        reader = ImageReader(io.BytesIO(self.stamp))
        width, height = reader.getSize()
        side = self.height * 0.95
        scale = min(side / width, side / height)
        self.canv.drawImage(
            reader, -4 * mm, 0.5 * mm, width=width * scale, height=height * scale, mask="auto"
        )


def signature_cell(signer: Signer, width: float) -> list[Flowable]:
    s = styles()
    cell = []
    for line in (signer.place_date, signer.heading, signer.on_behalf_of, signer.office):
        if line:
            cell.append(Paragraph(text(line), s["sign"]))
    cell.append(_SignatureSpace(width, 20 * mm, signer.stamp))
    cell.append(Paragraph(f"<u>{text(signer.name)}</u>", s["sign_name"]))
    if signer.nip:
        cell.append(Paragraph(f"NIP. {text(signer.nip)}", s["sign"]))
    return cell


def signature_row(signers: list[Signer], width: float) -> Table | None:
    """The signers side by side (the last one on the right when there is one)."""
    if not signers:
        return None
    columns = max(len(signers), 2)
    column = width / columns
    cells = [signature_cell(signer, column - 6 * mm) for signer in signers]
    if len(signers) == 1:
        cells = ["", cells[0]]
    table = Table([cells], colWidths=[column] * columns)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        )
    )
    table.keepWithNext = False
    return table


def frame_width(pagesize=A4) -> float:
    return pagesize[0] - 2 * MARGIN


def page_size(wide: bool = False):
    return landscape(A4) if wide else A4


def _numbered(footer: str):
    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont("Sans", 7.5)
        canvas.setFillColor(MUTED)
        width = doc.pagesize[0]
        canvas.drawRightString(width - MARGIN, 9 * mm, f"Halaman {canvas.getPageNumber()}")
        if footer:
            canvas.drawString(MARGIN, 9 * mm, footer[:110])
        canvas.restoreState()

    return draw


def render(event: Event, story: list, *, title: str, wide: bool = False) -> bytes:
    """The PDF of ``story`` (A4, landscape when ``wide``), with the document's title, the
    organizer as author and DejaVu embedded."""
    register_fonts()
    buffer = io.BytesIO()
    pagesize = page_size(wide)
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
        title=title,
        author=get_letterhead(event).name or event.organizer or "Bimtek",
        initialFontName="Sans",
    )
    footer = _numbered(f"{event.code} · {title}")
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def kop_page(event: Event, pagesize=A4) -> bytes:
    """One page holding only the kop, where every SPJ document has it: laid over the first
    page of a document drawn elsewhere (``under_kop``)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=12 * mm,
        bottomMargin=16 * mm,
        initialFontName="Sans",
    )
    doc.build(kop_surat(event, frame_width(pagesize)))
    return buffer.getvalue()


#: the height the kop takes at the top of a page (its margin, logo row and rule)
KOP_HEIGHT = 42 * mm


def under_kop(event: Event, data: bytes) -> bytes:
    """``data`` (a PDF drawn by another domain: the daftar hadir, the laporan) with the kop
    on its first page: that page's drawing scaled down below the kop, centred."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter()
    writer.append(reader)
    first = writer.pages[0]
    width, height = float(first.mediabox.width), float(first.mediabox.height)
    scale = (height - KOP_HEIGHT) / height
    first.add_transformation(
        Transformation().scale(scale, scale).translate(width * (1 - scale) / 2, 0)
    )
    kop = PdfReader(io.BytesIO(kop_page(event, (width, height)))).pages[0]
    first.merge_page(kop)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def sample_pdf(event: Event) -> bytes:
    """One page with the kop and the signature row, for the manager to look at."""
    s = styles()
    width = frame_width()
    story = [
        *kop_surat(event, width),
        Paragraph("CONTOH KOP SURAT DAN TANDA TANGAN", s["title"]),
        Paragraph(text(event.title), s["center"]),
    ]
    row = signature_row(event_signers(event), width)
    if row is not None:
        story.append(row)
    return render(event, story, title="Contoh kop surat")
