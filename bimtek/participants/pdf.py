"""The participant's ticket as a one-page A5 PDF with the check-in QR."""

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from bimtek.core.fonts import register_fonts
from bimtek.core.pdftext import wrap_text
from bimtek.core.qr import draw_qr
from bimtek.core.timeutil import (
    format_clock,
    format_date_range_id,
    format_day_short,
    zone_abbreviation,
)
from bimtek.events.services import schedule_by_day

ACCENT = HexColor("#0b5d4b")
MUTED = HexColor("#555555")


def ticket_pdf(participant) -> io.BytesIO:
    register_fonts()
    event = participant.event
    buffer = io.BytesIO()
    width, height = A5
    canvas = Canvas(buffer, pagesize=A5, pageCompression=1, initialFontName="Sans")
    canvas.setTitle(f"Tiket {participant.registration_label}")
    canvas.setAuthor(event.organizer or "Bimtek")
    margin = 14 * mm
    text_width = width - 2 * margin

    canvas.setFillColor(ACCENT)
    canvas.rect(0, height - 30 * mm, width, 30 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont("Sans-Bold", 9)
    canvas.drawString(margin, height - 10 * mm, "TIKET PESERTA BIMBINGAN TEKNIS")
    y = height - 16 * mm
    for line in wrap_text(event.title, "Sans-Bold", 11, text_width)[:2]:
        canvas.setFont("Sans-Bold", 11)
        canvas.drawString(margin, y, line)
        y -= 5.5 * mm

    y = height - 40 * mm
    canvas.setFillColorRGB(0, 0, 0)
    for line in wrap_text(participant.full_name, "Sans-Bold", 15, text_width)[:3]:
        canvas.setFont("Sans-Bold", 15)
        canvas.drawString(margin, y, line)
        y -= 7 * mm
    canvas.setFont("Sans", 10)
    canvas.setFillColor(MUTED)
    for line in wrap_text(
        f"{participant.job_title} — {participant.institution}", "Sans", 10, text_width
    )[:2]:
        canvas.drawString(margin, y, line)
        y -= 5 * mm

    qr_size = 62 * mm
    qr_y = y - qr_size - 4 * mm
    draw_qr(canvas, participant.ticket_code, (width - qr_size) / 2, qr_y, qr_size)
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Sans-Bold", 12)
    canvas.drawCentredString(width / 2, qr_y - 6 * mm, participant.ticket_code)
    canvas.setFont("Sans", 10)
    canvas.drawCentredString(
        width / 2, qr_y - 12 * mm, f"No. registrasi {participant.registration_label}"
    )
    if participant.status == "waitlisted":
        canvas.setFillColor(HexColor("#a15c00"))
        canvas.setFont("Sans-Bold", 11)
        canvas.drawCentredString(width / 2, qr_y - 18 * mm, "DAFTAR TUNGGU — belum mendapat kursi")

    y = qr_y - 26 * mm
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Sans-Bold", 9)
    place = event.place
    canvas.drawString(
        margin, y, f"{format_date_range_id(event.start_date, event.end_date)} · {place}"
    )
    y -= 5 * mm
    canvas.setFont("Sans", 8)
    tz = zone_abbreviation(event.timezone)
    for day, sessions in schedule_by_day(event):
        if y < 14 * mm:
            break
        first, last = sessions[0], sessions[-1]
        canvas.drawString(
            margin,
            y,
            f"{format_day_short(day)}  {format_clock(first.local_start)}–"
            f"{format_clock(last.local_end)} {tz} · {len(sessions)} sesi",
        )
        y -= 4 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont("Sans", 7.5)
    canvas.drawString(
        margin,
        8 * mm,
        "Tunjukkan QR ini di meja registrasi setiap sesi. "
        "Jangan bagikan kode tiket kepada orang lain.",
    )
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer
