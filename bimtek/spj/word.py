"""The letters as .docx (python-docx), for the organizer to edit in Word: the same words
as the PDF (``letters.LetterText``), under the same kop (logo, name, address, contacts)."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from bimtek.events.models import Event
from bimtek.spj.letterhead import get_letterhead, get_logo


def _kop(document, event: Event) -> None:
    letterhead = get_letterhead(event)
    logo = get_logo(letterhead)
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(28), Mm(140)
    if logo:
        left.paragraphs[0].add_run().add_picture(io.BytesIO(logo), height=Mm(24))
    lines = [
        (letterhead.authority.upper(), 13),
        (letterhead.name.upper(), 15),
        (letterhead.address, 9),
        (letterhead.contacts, 9),
    ]
    first = True
    for line, size in lines:
        if not line:
            continue
        paragraph = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(line)
        run.bold = size > 10
        run.font.size = Pt(size)
    rule = document.add_paragraph("━" * 48)
    rule.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _pairs(document, rows) -> None:
    table = document.add_table(rows=0, cols=3)
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = key, ":", value
        cells[0].width, cells[1].width, cells[2].width = Mm(35), Mm(5), Mm(120)


def letter_docx(event: Event, letter) -> bytes:
    """The .docx of a letter (``letters.LetterText``)."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(12), Mm(16)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    _kop(document, event)
    if letter.title:
        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = title.add_run(letter.title)
        run.bold = run.underline = True
        number = document.add_paragraph(f"Nomor: {letter.number}")
        number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if letter.meta:
        document.add_paragraph(letter.place_date).alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _pairs(document, letter.meta)
    if letter.to:
        document.add_paragraph("\n".join(letter.to))
    for paragraph in letter.paragraphs:
        document.add_paragraph(paragraph)
    if letter.details:
        _pairs(document, letter.details)
    if letter.table_head:
        table = document.add_table(rows=1, cols=len(letter.table_head))
        table.style = "Table Grid"
        for cell, head in zip(table.rows[0].cells, letter.table_head, strict=True):
            cell.text = head
            cell.paragraphs[0].runs[0].bold = True
        for row in letter.table:
            for cell, value in zip(table.add_row().cells, row, strict=True):
                cell.text = value
    for paragraph in letter.closing:
        document.add_paragraph(paragraph)
    signers = list(letter.signers)
    if signers:
        table = document.add_table(rows=1, cols=max(len(signers), 2))
        cells = table.rows[0].cells[-len(signers) :]
        for cell, signer in zip(cells, signers, strict=True):
            lines = [
                letter.place_date if not letter.meta else "",
                signer.heading,
                signer.on_behalf_of,
                signer.office,
                "\n\n\n",
                signer.name,
                f"NIP. {signer.nip}" if signer.nip else "",
            ]
            cell.text = "\n".join(line for line in lines if line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
