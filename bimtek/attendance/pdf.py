"""Printed attendance documents: the session sign-in sheet (daftar hadir) and name badges."""

import io

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from bimtek.attendance.models import PRESENT, STATUS_LABELS, status_labels
from bimtek.attendance.queries import status_at
from bimtek.core.fonts import register_fonts
from bimtek.core.pdflists import (
    ACCENT,
    LINE,
    MUTED,
    NumberedCanvas,
    a4_document,
    escape,
    paragraph_styles,
)
from bimtek.core.pdftext import wrap_text
from bimtek.core.qr import draw_qr
from bimtek.core.timeutil import (
    format_clock,
    format_date_id,
    format_day_id,
    utcnow,
    zone_abbreviation,
)
from bimtek.events.classes import audience_label


def _status(session, row, now) -> str | None:
    """The row's status, "alpa" for no row at a finished session (``records.status_at``)."""
    return status_at(session, row.status if row is not None else None, now)


def _status_text(event, session, row, now) -> str:
    status = _status(session, row, now)
    if status is None:
        return ""
    label = status_labels().get(status, status)
    if status in PRESENT:
        return f"{format_clock(event.local(row.checked_in_at))} {label}"
    return label


def sign_in_sheet_pdf(session, rows, now=None) -> io.BytesIO:
    """The daftar hadir of one session: A4 portrait, by name, with a signature column whose
    signing spot alternates left and right (odd rows left, even rows right)."""
    styles = paragraph_styles()
    event = session.event
    now = now or utcnow()
    finished = status_at(session, None, now) == "alpa"
    buffer = io.BytesIO()
    tz = zone_abbreviation(event.timezone)
    doc = a4_document(
        buffer,
        title=f"Daftar Hadir — {session.title}",
        author=event.organizer or "Bimtek",
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
    )
    start, end = session.local_start, session.local_end
    room = session.room or (session.event_class.room if session.event_class else "")
    story = [
        Paragraph("DAFTAR HADIR PESERTA", styles["title"]),
        Paragraph(escape(event.title), styles["subtitle"]),
        Spacer(1, 2 * mm),
        Paragraph(
            f"Sesi: <b>{escape(session.title)}</b>"
            + (f" · <b>{escape(audience_label(session))}</b>" if session.class_id else ""),
            styles["center"],
        ),
        Paragraph(
            f"{format_day_id(start.date())} · pukul {format_clock(start)}–{format_clock(end)} {tz}"
            + (f" · {escape(room)}" if room else "")
            + (f" · {escape(event.venue)}" if event.venue else ""),
            styles["center"],
        ),
        Spacer(1, 4 * mm),
    ]
    data = [
        [
            Paragraph("No.", styles["head"]),
            Paragraph("Nama", styles["head"]),
            Paragraph("Instansi", styles["head"]),
            Paragraph("Check-in", styles["head"]),
            Paragraph("Tanda tangan", styles["head"]),
            "",
        ]
    ]
    for number, (person, row) in enumerate(rows, start=1):
        sign_left = f"{number}." if number % 2 else ""
        sign_right = "" if number % 2 else f"{number}."
        data.append(
            [
                str(number),
                Paragraph(escape(person.full_name), styles["cell"]),
                Paragraph(
                    f"{escape(person.institution)}<br/>"
                    f"<font size=7 color='#555555'>{escape(person.category_label)}</font>",
                    styles["cell"],
                ),
                Paragraph(_status_text(event, session, row, now), styles["cell"]),
                sign_left,
                sign_right,
            ]
        )
    widths = [10 * mm, 55 * mm, 52 * mm, 23 * mm, 20 * mm, 20 * mm]
    heights = [None]
    for cells in data[1:]:
        needed = max(cells[i].wrap(widths[i] - 12, 1000)[1] for i in (1, 2, 3)) + 8
        heights.append(max(11 * mm, needed))
    table = Table(data, colWidths=widths, repeatRows=1, rowHeights=heights)
    style = [
        ("FONT", (0, 0), (-1, -1), "Sans", 8.5),
        ("GRID", (0, 0), (3, -1), 0.5, LINE),
        ("BOX", (4, 0), (5, -1), 0.5, LINE),
        ("LINEBELOW", (4, 0), (5, -1), 0.5, LINE),
        ("SPAN", (4, 0), (5, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3f1ec")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("VALIGN", (4, 1), (5, -1), "TOP"),
        ("FONT", (4, 1), (5, -1), "Sans", 7),
        ("TEXTCOLOR", (4, 1), (5, -1), MUTED),
    ]
    table.setStyle(TableStyle(style))
    story.append(table)
    if not rows:
        story.append(Paragraph("Belum ada peserta terdaftar.", styles["center"]))

    today = event.local(now).date()
    place = event.city or event.venue or ""
    signature = Table(
        [
            [f"{place}, {format_date_id(today)}".strip(", ")],
            ["Panitia Pelaksana,"],
            [""],
            ["(.......................................................)"],
            ["NIP."],
        ],
        colWidths=[70 * mm],
        rowHeights=[5 * mm, 5 * mm, 20 * mm, 5 * mm, 5 * mm],
        hAlign="RIGHT",
    )
    signature.setStyle(
        TableStyle([("FONT", (0, 0), (-1, -1), "Sans", 9), ("ALIGN", (0, 0), (-1, -1), "LEFT")])
    )
    tally = dict.fromkeys(STATUS_LABELS, 0)
    for _person, row in rows:
        status = _status(session, row, now)
        if status is not None:
            tally[status] += 1
    shown = " · ".join(
        f"{status_labels()[key]} {value}"
        for key, value in tally.items()
        if key != "alpa" or finished
    )
    summary = Paragraph(f"Jumlah peserta terdaftar: {len(rows)} ({shown})", styles["base"])
    story.append(Spacer(1, 5 * mm))
    story.append(KeepTogether([summary, Spacer(1, 3 * mm), signature]))

    footer = f"{event.code} · {session.title}"
    doc.build(
        story,
        canvasmaker=lambda *args, **kwargs: NumberedCanvas(*args, footer_left=footer, **kwargs),
    )
    buffer.seek(0)
    return buffer


# --- name badges ------------------------------------------------------------------------------

BADGE_COLUMNS, BADGE_ROWS = 2, 4
BADGE_W, BADGE_H = A4[0] / BADGE_COLUMNS, A4[1] / BADGE_ROWS


def _fit_name(canvas, name, width, max_lines=3):
    """The largest size (17 → 10 pt) at which the name fits in ``max_lines`` lines."""
    for size in (17, 16, 15, 14, 13, 12, 11, 10):
        lines = wrap_text(name, "Sans-Bold", size, width)
        if len(lines) <= max_lines and all(
            canvas.stringWidth(line, "Sans-Bold", size) <= width for line in lines
        ):
            return size, lines
    return 10, wrap_text(name, "Sans-Bold", 10, width)[:max_lines]


def _cut_lines(canvas):
    width, height = A4
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#bbbbbb"))
    canvas.setLineWidth(0.4)
    canvas.setDash(3, 3)
    for column in range(1, BADGE_COLUMNS):
        canvas.line(column * BADGE_W, 0, column * BADGE_W, height)
    for row in range(1, BADGE_ROWS):
        canvas.line(0, row * BADGE_H, width, row * BADGE_H)
    canvas.restoreState()


def _badge(canvas, event, person, x, y):
    pad = 7 * mm
    band = 15 * mm
    canvas.setFillColor(ACCENT)
    canvas.rect(x + 3 * mm, y + BADGE_H - band - 3 * mm, BADGE_W - 6 * mm, band, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Sans-Bold", 6.5)
    canvas.drawString(x + pad, y + BADGE_H - 7.5 * mm, "PESERTA BIMBINGAN TEKNIS")
    title_lines = wrap_text(event.title, "Sans", 6.5, BADGE_W - 2 * pad)[:2]
    for index, line in enumerate(title_lines):
        canvas.setFont("Sans", 6.5)
        canvas.drawString(x + pad, y + BADGE_H - (11 + 3 * index) * mm, line)

    qr_size = 36 * mm
    qr_x = x + BADGE_W - pad - qr_size + 2 * mm
    qr_y = y + 10 * mm
    draw_qr(canvas, person.ticket_code, qr_x, qr_y, qr_size)
    canvas.setFillColor(colors.black)
    canvas.setFont("Sans-Bold", 7.5)
    canvas.drawCentredString(qr_x + qr_size / 2, qr_y - 3.5 * mm, person.registration_label)

    text_width = qr_x - x - pad - 2 * mm
    size, lines = _fit_name(canvas, person.full_name, text_width)
    top = y + BADGE_H - band - 11 * mm
    canvas.setFillColor(colors.black)
    for line in lines:
        canvas.setFont("Sans-Bold", size)
        canvas.drawString(x + pad, top, line)
        top -= size * 1.2
    top -= 2 * mm
    canvas.setFillColor(MUTED)
    for line in wrap_text(person.institution, "Sans", 8.5, text_width)[:3]:
        canvas.setFont("Sans", 8.5)
        canvas.drawString(x + pad, top, line)
        top -= 10.5
    label = person.category_label.upper()
    canvas.setFont("Sans-Bold", 8)
    tag_width = canvas.stringWidth(label, "Sans-Bold", 8) + 4 * mm
    canvas.setFillColor(colors.HexColor("#e3f1ec"))
    canvas.roundRect(x + pad, y + 9 * mm, tag_width, 6 * mm, 1.5 * mm, stroke=0, fill=1)
    canvas.setFillColor(ACCENT)
    canvas.drawString(x + pad + 2 * mm, y + 11 * mm, label)


def badges_pdf(event, people) -> io.BytesIO:
    """Name badges, 8 per A4 page (2 × 4, 105 × 74 mm) with dashed cut lines: name, institution,
    category, registration number and the ticket QR the desk scans."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName="Sans")
    canvas.setTitle(f"Kartu peserta {event.code}")
    canvas.setAuthor(event.organizer or "Bimtek")
    per_page = BADGE_COLUMNS * BADGE_ROWS
    if not people:
        canvas.setFont("Sans", 11)
        canvas.drawString(20 * mm, A4[1] - 30 * mm, "Belum ada peserta terdaftar.")
    for index, person in enumerate(people):
        slot = index % per_page
        if slot == 0:
            if index:
                canvas.showPage()
            _cut_lines(canvas)
        column, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
        _badge(canvas, event, person, column * BADGE_W, A4[1] - (row + 1) * BADGE_H)
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer
