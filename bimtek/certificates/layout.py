"""Where everything goes on the certificate: page 1 the certificate, page 2 the modules.

``draw_front_static`` and ``draw_back_static`` draw what is the same on every certificate
of an event (``rendering.py`` draws them once per document as forms); per certificate only
``draw_front_variable`` (number, name, QR code) and ``draw_back_variable`` are drawn.
The printed text is Indonesian whatever the reader's language: the certificate is an
official document (its /Lang is id-ID).
"""

import re

import segno
from reportlab.lib.colors import HexColor
from reportlab.pdfbase import pdfmetrics

from bimtek.certificates.arabic import visual
from bimtek.certificates.images import draw_image
from bimtek.certificates.ornaments import (
    CENTER,
    GOLD,
    GREEN,
    GREEN_DARK,
    HEIGHT,
    INK,
    MUTED,
    RED,
    WATERMARK,
    WIDTH,
    draw_frame,
    rosette,
)
from bimtek.certificates.sheets import Design, Sheet
from bimtek.core.pdftext import wrap_text
from bimtek.core.timeutil import format_date_id, format_date_range_id

QR_X, QR_Y, QR_SIZE = 60, 60, 80
#: the QR mask is fixed: choosing the best of eight is the slowest part of encoding
QR_MASK = 2


def has_glyphs(font_name: str, text: str) -> bool:
    char_to_glyph = pdfmetrics.getFont(font_name).face.charToGlyph
    return all(ord(ch) in char_to_glyph for ch in text if not ch.isspace())


def pick_font(text: str, preferred: str, fallback: str) -> str:
    """The preferred (serif) font when it has every glyph of ``text``, else the fallback."""
    return preferred if has_glyphs(preferred, text) else fallback


def fit_lines(text, font, size, width, max_lines, min_size):
    """Wrap ``text`` into at most ``max_lines`` lines, shrinking the size as needed."""
    while True:
        lines = wrap_text(text, font, size, width)
        widest = max((pdfmetrics.stringWidth(line, font, size) for line in lines), default=0)
        if (len(lines) <= max_lines and widest <= width) or size <= min_size:
            return lines, size
        size -= 0.5


def centred(canvas, text, y, font, size, color=INK, char_space=0):
    """Draw ``text`` (logical order; Arabic is shaped here) centred on the page."""
    text = visual(text)
    canvas.setFillColor(color)
    if char_space:
        width = pdfmetrics.stringWidth(text, font, size) + char_space * (len(text) - 1)
        canvas.saveState()
        text_object = canvas.beginText(CENTER - width / 2, y)
        text_object.setFont(font, size)
        text_object.setCharSpace(char_space)
        text_object.textOut(text)
        canvas.drawText(text_object)
        canvas.restoreState()
    else:
        canvas.setFont(font, size)
        canvas.drawCentredString(CENTER, y, text)


def _logo(canvas, data, x, y, size):
    draw_image(canvas, data, x, y, size, size)


def body_lines(design: Design, sheet: Sheet) -> list[tuple[str, str, float, object]]:
    """The sentences under the name: (text, font, size, colour) per line."""
    lines = []
    for line in wrap_text(design.body_text, "Serif", 12.5, 600):
        lines.append((line, "Serif", 12.5, INK))
    title_font = pick_font(sheet.event_title, "Serif-Bold", "Sans-Bold")
    title_lines, title_size = fit_lines(f"“{sheet.event_title}”", title_font, 16, 640, 2, 11)
    for line in title_lines:
        lines.append((line, title_font, title_size, GREEN_DARK))
    if sheet.subject:
        subject_font = pick_font(sheet.subject, "Serif-Italic", "Sans")
        subject_lines, subject_size = fit_lines(sheet.subject, subject_font, 11.5, 660, 2, 8)
        for line in subject_lines:
            lines.append((line, subject_font, subject_size, INK))
    organised = ""
    if design.organizer:
        organised = f"yang diselenggarakan oleh {design.organizer}"
        if design.provider:
            organised += f" bekerja sama dengan {design.provider}"
    place = design.place
    when = format_date_range_id(sheet.start_date, sheet.end_date)
    detail = f"di {place}, " if place else ""
    detail += f"pada tanggal {when}"
    if sheet.total_jp:
        detail += f", sebanyak {sheet.total_jp} JP (1 JP = {sheet.minutes_per_jp} menit)"
    sentence = (organised + " " + detail).strip() + "."
    font = pick_font(sentence, "Serif", "Sans")
    for line in fit_lines(sentence, font, 11.5, 660, 3, 9)[0]:
        lines.append((line, font, 11.5 if len(line) else 11.5, INK))
    return lines


def draw_front_static(canvas, design: Design, sheet: Sheet, frame=draw_frame) -> None:
    """Everything on page 1 except the number, the name and the QR code."""
    frame(canvas, design)
    rosette(canvas, CENTER, 300, 190, WATERMARK)
    if design.logo_left:
        _logo(canvas, design.logo_left, 62, 478, 72)
    if design.logo_right:
        _logo(canvas, design.logo_right, WIDTH - 62 - 72, 478, 72)
    if design.organizer:
        font = pick_font(design.organizer, "Sans-Bold", "Sans-Bold")
        lines, size = fit_lines(design.organizer.upper(), font, 12, 520, 2, 8)
        y = 536 if len(lines) == 1 else 544
        for line in lines:
            centred(canvas, line, y, font, size, GREEN, char_space=1)
            y -= size + 3
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.line(CENTER - 70, 521, CENTER + 70, 521)
    canvas.setFillColor(GOLD)
    canvas.circle(CENTER, 521, 2.2, stroke=0, fill=1)
    title = design.title_text.upper()
    title_font = pick_font(title, "Serif-Bold", "Sans-Bold")
    centred(canvas, title, 474, title_font, 40, GREEN, char_space=9)
    awarded_font = pick_font(design.awarded_text, "Serif-Italic", "Sans")
    centred(canvas, design.awarded_text, 420, awarded_font, 14, MUTED)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1.1)
    canvas.line(CENTER - 230, 366, CENTER + 230, 366)
    role_font = pick_font(design.role_text, "Sans-Bold", "Sans-Bold")
    centred(canvas, "sebagai", 346, "Serif-Italic", 12, MUTED)
    centred(canvas, design.role_text.upper(), 328, role_font, 13, GREEN, char_space=2.5)
    y = 305
    for text, font, size, color in body_lines(design, sheet):
        centred(canvas, text, y, font, size, color)
        y -= size + 5.5
    _draw_signatories(canvas, design)
    canvas.setFillColor(MUTED)
    canvas.setFont("Sans", 7.5)
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 40, "Pindai QR untuk memeriksa")
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 31, "keaslian sertifikat ini.")
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 16, "Kode verifikasi:")


def _draw_signatories(canvas, design: Design) -> None:
    signers = design.signatories[:3]
    count = len(signers)
    if not count:
        return
    column = 190
    if count == 1:
        centres = [WIDTH - 215]
    elif count == 2:
        centres = [CENTER - 40, WIDTH - 215]
    else:  # clear of the QR caption on the left, inside the border on the right
        column = 170
        centres = [348, 532, 716]
    place = design.signing_place
    dated = (
        f"{place}, {format_date_id(design.signing_date)}"
        if place
        else format_date_id(design.signing_date)
    )
    canvas.setFillColor(INK)
    canvas.setFont("Sans", 10)
    canvas.drawCentredString(centres[-1], 176, dated)
    for x, signer in zip(centres, signers, strict=False):
        lines, size = fit_lines(signer.title or "", "Sans", 9.5, column, 2, 7)
        y = 160 if len(lines) <= 1 else 164
        canvas.setFillColor(INK)
        for line in lines:
            canvas.setFont("Sans", size)
            canvas.drawCentredString(x, y, visual(line))
            y -= size + 2
        if signer.image:
            draw_image(canvas, signer.image, x - min(70, column / 2), 88, min(140, column), 50)
        name_lines, name_size = fit_lines(signer.name, "Sans-Bold", 10.5, column, 1, 7)
        canvas.setFont("Sans-Bold", name_size)
        shown = visual(name_lines[0])
        canvas.drawCentredString(x, 76, shown)
        name_width = pdfmetrics.stringWidth(shown, "Sans-Bold", name_size)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(x - name_width / 2, 73, x + name_width / 2, 73)
        if signer.nip:
            canvas.setFont("Sans", 9)
            canvas.drawCentredString(x, 62, f"NIP. {signer.nip}")


def draw_back_static(canvas, design: Design, sheet: Sheet, frame=draw_frame) -> None:
    """Page 2: the curriculum with each module's JP and the total."""
    frame(canvas, design)
    centred(canvas, "DAFTAR MATERI", 518, "Serif-Bold", 22, GREEN, char_space=4)
    font = pick_font(sheet.event_title, "Serif", "Sans")
    lines, size = fit_lines(sheet.event_title, font, 12, 620, 2, 9)
    y = 496
    for line in lines:
        centred(canvas, line, y, font, size, MUTED)
        y -= size + 4
    dates = format_date_range_id(sheet.start_date, sheet.end_date)
    centred(canvas, f"{dates} · 1 JP = {sheet.minutes_per_jp} menit", y - 2, "Sans", 9.5, MUTED)

    modules = sheet.modules or (("—", 0),)
    left, widths = 96, (44, 546, 60)
    table_width = sum(widths)
    rows = len(modules) + 2
    available = y - 12 - 110
    row_height = max(13, min(24, available / rows))
    font_size = max(7, min(10.5, row_height - 9))
    top = y - 16

    def row(cells, yy, fill=None, bold=False, color=INK):
        if fill is not None:
            canvas.setFillColor(fill)
            canvas.rect(left, yy - row_height, table_width, row_height, stroke=0, fill=1)
        canvas.setFillColor(color)
        face = "Sans-Bold" if bold else "Sans"
        canvas.setFont(face, font_size)
        baseline = yy - row_height / 2 - font_size * 0.35
        x = left
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            text = visual(str(cell))
            if index == 1:
                while text and pdfmetrics.stringWidth(text, face, font_size) > width - 12:
                    text = text[:-2] + "…"
                canvas.drawString(x + 6, baseline, text)
            else:
                canvas.drawCentredString(x + width / 2, baseline, text)
            x += width

    row(("No.", "Materi", "JP"), top, fill=GREEN, bold=True, color=HexColor("#ffffff"))
    yy = top - row_height
    for index, (title, jp) in enumerate(modules, start=1):
        row((index, title, jp), yy, fill=HexColor("#f3f6f4") if index % 2 == 0 else None)
        yy -= row_height
    row(("", "Jumlah", sheet.total_jp), yy, fill=HexColor("#e7eee9"), bold=True)
    yy -= row_height
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(0.8)
    canvas.rect(left, yy, table_width, top - yy, stroke=1, fill=0)
    canvas.setLineWidth(0.3)
    canvas.line(left + widths[0], yy, left + widths[0], top)
    canvas.line(left + widths[0] + widths[1], yy, left + widths[0] + widths[1], top)


# --- per certificate ------------------------------------------------------------------------

_DARK_RUN = re.compile(rb"\x01+")


def qr_modules(data: str) -> tuple[int, bytes]:
    """(size, one byte 0/1 per module, row by row) of the QR code of ``data``."""
    qr = segno.make_qr(data.encode(), error="m", mask=QR_MASK, boost_error=False, mode="byte")
    return len(qr.matrix), bytes(b for row in qr.matrix for b in row)


def draw_qr(canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code as raw PDF path operators in module units (runs of dark modules on a row
    are one rectangle). The mask is fixed (``QR_MASK``): any mask scans."""
    count, modules = qr_modules(data)
    border = 2
    module = size / (count + 2 * border)
    ops = [
        f"q 1 1 1 rg {x:.2f} {y:.2f} {size:.2f} {size:.2f} re f",
        f"0 0 0 rg {module:.4f} 0 0 {module:.4f} {x:.2f} {y:.2f} cm",
    ]
    append = ops.append
    top = count + border - 1
    for row_index in range(count):
        row = modules[row_index * count : (row_index + 1) * count]
        yy = top - row_index
        for run in _DARK_RUN.finditer(row):
            append(f"{run.start() + border} {yy} {run.end() - run.start()} 1 re")
    append("f Q")
    canvas.addLiteral("\n".join(ops))


def draw_front_variable(canvas, sheet: Sheet, *, qr=None) -> None:
    """The number, the name and the QR code: the only parts that differ per certificate."""
    centred(canvas, f"Nomor: {sheet.number}", 452, "Sans", 11, INK)
    font = pick_font(sheet.name, "Serif-Bold", "Sans-Bold")
    shown = visual(sheet.name)
    size = 32
    while size > 18 and pdfmetrics.stringWidth(shown, font, size) > 640:
        size -= 1
    if pdfmetrics.stringWidth(shown, font, size) <= 640:
        centred(canvas, sheet.name, 378, font, size, INK)
    else:
        lines, size = fit_lines(sheet.name, font, 18, 640, 2, 10)
        y = 394
        for line in lines[:2]:
            centred(canvas, line, y, font, size, INK)
            y -= size + 3
    (qr or draw_qr)(canvas, sheet.url, QR_X, QR_Y, QR_SIZE)
    canvas.setFillColor(INK)
    canvas.setFont("Sans-Bold", 6.5)
    canvas.drawString(QR_X + QR_SIZE + 6, QR_Y + 7, sheet.code)
    if sheet.revoked:
        _revoked_stamp(canvas)
    if sheet.print_copy:
        _print_copy_mark(canvas)


def draw_back_variable(canvas, sheet: Sheet) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont("Sans", 8.5)
    font = pick_font(sheet.name, "Sans", "Sans")
    text = f"Lampiran sertifikat nomor {sheet.number} a.n. {sheet.name}"
    canvas.setFont(font, 8.5)
    canvas.drawCentredString(CENTER, 56, visual(text))
    canvas.setFont("Sans", 7.5)
    canvas.drawCentredString(CENTER, 45, f"Verifikasi: {sheet.url}")
    if sheet.revoked:
        _revoked_stamp(canvas)
    if sheet.print_copy:
        _print_copy_mark(canvas)


def _revoked_stamp(canvas) -> None:
    canvas.saveState()
    canvas.translate(CENTER, HEIGHT / 2)
    canvas.rotate(24)
    canvas.setFillColor(RED)
    canvas.setFont("Sans-Bold", 72)
    canvas.drawCentredString(0, -20, "DICABUT")
    canvas.restoreState()


#: the line on every page of a print copy: the signed original is the issued file
PRINT_COPY_MARK = "SALINAN CETAK · dokumen asli bertanda tangan elektronik: unduh atau pindai QR"


def _print_copy_mark(canvas) -> None:
    canvas.setFillColor(MUTED)
    canvas.setFont("Sans-Bold", 7)
    canvas.drawCentredString(CENTER, 35, PRINT_COPY_MARK)
