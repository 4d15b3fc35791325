"""The certificate PDF: one document holding any number of certificates, two pages each.

Speed: everything that is the same on every certificate of an event (border, ornaments,
logos, texts, signatures, the module table) is drawn once per document as a PDF form
XObject and placed on each page with ``doForm``; per certificate only the name, the number
and the QR code are drawn (``layout.draw_front_variable``). 400 certificates make one
document in about a second (``bench/certificates.py``).

QR codes are encoded per certificate with segno and a fixed mask (``layout.draw_qr``):
0.41 s of CPU for 400, about half of the 0.79 s the whole document takes. A GF(2) trick
(every code as a reference code XOR precomputed bit patterns) once saved that 0.4 s at the
cost of a page of linear algebra; the plain encoder keeps 400 certificates within a second.
"""

import io

from reportlab.pdfgen.canvas import Canvas

from bimtek.certificates.layout import (
    draw_back_static,
    draw_back_variable,
    draw_front_static,
    draw_front_variable,
)
from bimtek.certificates.ornaments import (
    PAGE,
    WAVE_AMPLITUDE,
    WAVE_PERIOD,
    draw_frame,
    draw_wave_period,
)
from bimtek.certificates.sheets import Design
from bimtek.core.fonts import register_fonts

#: the language of the printed text, in the catalog's /Lang
LANGUAGE = "id-ID"
SUBJECT = "Sertifikat Bimbingan Teknis"


def render(design: Design, sheets, *, title: str = "Sertifikat", keywords: str = "") -> bytes:
    """One PDF holding every sheet (two pages each). Static parts are forms drawn once.

    Every font is embedded (the page's initial font is ours, not ReportLab's Helvetica); the
    document has a title, author, subject and language. It is not a tagged PDF: ReportLab
    (open source) writes no structure tree or marked content, so there is nothing to tag.
    """
    register_fonts()
    return _render(design, list(sheets), title, keywords)


def _render(design: Design, sheets: list, title: str, keywords: str) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=PAGE,
        pageCompression=1,
        initialFontName="Sans",
        initialFontSize=10,
        lang=LANGUAGE,
    )
    canvas.setTitle(title)
    canvas.setAuthor(design.organizer or "Bimtek")
    canvas.setSubject(SUBJECT)
    canvas.setKeywords(keywords)
    canvas.setCreator("Bimtek")
    forms: dict[tuple, str] = {}
    frames: dict[int, tuple[str, Design]] = {}

    canvas.beginForm("wave", 0, -2 * WAVE_AMPLITUDE, WAVE_PERIOD, 2 * WAVE_AMPLITUDE)
    draw_wave_period(canvas)
    canvas.endForm()

    def frame_of(sheet_design: Design):
        """The frame form of a design, drawn once per document."""
        found = frames.get(id(sheet_design))
        if found is None:
            found = frames[id(sheet_design)] = (f"frame{len(frames)}", sheet_design)
            canvas.beginForm(found[0])
            draw_frame(canvas, sheet_design, wave_form="wave")
            canvas.endForm()
        name = found[0]

        def frame(canvas, _design):
            canvas.doForm(name)

        return frame

    for sheet in sheets:
        sheet_design = sheet.design or design
        key = (id(sheet_design), sheet.static_key)
        name = forms.get(key)
        if name is None:
            frame = frame_of(sheet_design)
            name = forms[key] = f"S{len(forms)}"
            canvas.beginForm(name + "F")
            draw_front_static(canvas, sheet_design, sheet, frame)
            canvas.endForm()
            canvas.beginForm(name + "B")
            draw_back_static(canvas, sheet_design, sheet, frame)
            canvas.endForm()
        canvas.doForm(name + "F")
        draw_front_variable(canvas, sheet)
        canvas.showPage()
        canvas.doForm(name + "B")
        draw_back_variable(canvas, sheet)
        canvas.showPage()
    if not forms:
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def split(
    data: bytes,
    pages_per_document: int,
    titles: list[str] | None = None,
    keywords: list[str] | None = None,
) -> list[bytes]:
    """Cut a PDF into consecutive documents of ``pages_per_document`` pages (pypdf), each
    with the source's language, author, creator and subject, and its own title and keywords.

    Drawing 400 certificates as one document and cutting it pays the fixed price of a PDF
    (font subsets, forms, images) once instead of 400 times (bench/certificates.py)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(data))
    info = reader.metadata or {}
    kept = {key: info[key] for key in ("/Author", "/Creator", "/Subject") if key in info}
    documents = []
    for index in range(0, len(reader.pages), pages_per_document):
        number = index // pages_per_document
        writer = PdfWriter()
        for page in reader.pages[index : index + pages_per_document]:
            writer.add_page(page)
        writer.root_object[NameObject("/Lang")] = TextStringObject(LANGUAGE)
        writer.add_metadata(
            {
                **kept,
                "/Producer": "Bimtek",
                "/Title": titles[number] if titles else "",
                **({"/Keywords": keywords[number]} if keywords else {}),
            }
        )
        out = io.BytesIO()
        writer.write(out)
        documents.append(out.getvalue())
    return documents
