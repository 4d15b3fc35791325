"""The laporan kegiatan: one printable A4 PDF of an event, for the organizer's files.

Every figure comes from the function that computes it for the pages and the exports
(``activity_figures`` only gathers them): the dashboard's registration and certificate
panels, the attendance recap's matrix, the results of the pre/post test, the evaluation
report. So a number in the PDF is the number on the screen and in the workbook.
"""

import io
from collections import Counter
from datetime import datetime

import sqlalchemy as sa
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from bimtek.assessments.labels import BAND_LABELS
from bimtek.assessments.results import results
from bimtek.attendance.labels import STATUS_LABELS
from bimtek.attendance.queries import attendance_matrix
from bimtek.certificates.models import SERVED_ROLES, Signatory
from bimtek.certificates.queries import issued_certificates
from bimtek.core import numbers
from bimtek.core.charts import COLORS, SCALE_COLORS
from bimtek.core.pdflists import (
    ACCENT,
    MUTED,
    NumberedCanvas,
    a4_document,
    escape,
    paragraph_styles,
)
from bimtek.core.timeutil import format_date_id, format_date_range_id, utcnow, zone_abbreviation
from bimtek.evaluation.queries import CATEGORY_LABELS, SCALE_LABELS
from bimtek.evaluation.queries import report as evaluation_report
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.participants.models import Participant
from bimtek.reports.dashboard import attendance_panel, certificate_panel, registration_panel

ATTENDANCE_KEYS = ("hadir", "terlambat", "izin", "sakit", "alpa")
#: institutions listed by name; the rest are summed in one row
TOP_INSTITUTIONS = 15
#: served role -> its name in the report (the report is written in Indonesian)
SERVED_ROLE_NAMES = {"narasumber": "Narasumber", "moderator": "Moderator", "panitia": "Panitia"}
HEADER_BG = colors.HexColor("#e3f1ec")
GRID = colors.HexColor("#b9c4c1")


def activity_figures(event: Event, now: datetime | None = None) -> dict:
    """Every figure of the report, from the functions the pages and exports use."""
    now = now or utcnow()
    institutions = Counter(
        db.session.scalars(
            sa.select(Participant.institution).where(
                Participant.event_id == event.id, Participant.status == "registered"
            )
        )
    )
    certificates = issued_certificates(event, include_revoked=True, with_people=True)
    signatories = list(
        db.session.scalars(
            sa.select(Signatory)
            .where(Signatory.event_id == event.id)
            .order_by(Signatory.position, Signatory.id)
        )
    )
    return {
        "now": now,
        "registration": registration_panel(event),
        "institutions": sorted(institutions.items(), key=lambda kv: (-kv[1], kv[0].lower())),
        "attendance": attendance_panel(event, now),
        "matrix": attendance_matrix(event, now),
        "results": results(event),
        "certificates": certificate_panel(event),
        "issued": [c for c in certificates if not c.revoked_at],
        "revoked": [c for c in certificates if c.revoked_at],
        "served_revoked": [
            c
            for role in SERVED_ROLES
            for c in issued_certificates(event, include_revoked=True, role=role)
            if c.revoked_at
        ],
        "evaluation": evaluation_report(event),
        "signatories": signatories,
    }


def number(value, digits: int = 2) -> str:
    """72.5 → "72,50"; None → "—" (Indonesian decimal comma)."""
    if value is None:
        return "—"
    return f"{value:.{digits}f}".replace(".", ",")


def percent(part: int, whole: int | None) -> str:
    """``part`` of ``whole`` as a whole percentage (core/numbers.py's rule); "—" without a whole."""
    return f"{numbers.percent(part, whole)}%" if whole else "—"


# --------------------------------------------------------------------------- building blocks


def _report_styles() -> dict:
    styles = paragraph_styles()
    base = styles["base"]
    styles.update(
        {
            "h1": ParagraphStyle(
                "h1",
                parent=base,
                fontName="Sans-Bold",
                fontSize=13,
                leading=16,
                spaceBefore=4,
                spaceAfter=6,
                textColor=ACCENT,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=base,
                fontName="Sans-Bold",
                fontSize=10.5,
                leading=13,
                spaceBefore=8,
                spaceAfter=4,
            ),
            "body": ParagraphStyle("body", parent=base, fontSize=9.5, leading=13, spaceAfter=4),
            "note": ParagraphStyle(
                "note",
                parent=base,
                fontSize=8,
                leading=10,
                textColor=MUTED,
                spaceBefore=2,
                spaceAfter=6,
            ),
            "cover_title": ParagraphStyle(
                "cover_title",
                parent=base,
                fontName="Sans-Bold",
                fontSize=22,
                leading=28,
                alignment=TA_CENTER,
                textColor=ACCENT,
            ),
            "cover_event": ParagraphStyle(
                "cover_event",
                parent=base,
                fontName="Sans-Bold",
                fontSize=15,
                leading=20,
                alignment=TA_CENTER,
            ),
            "cover": ParagraphStyle(
                "cover", parent=base, fontSize=11, leading=16, alignment=TA_CENTER
            ),
            "num": ParagraphStyle("num", parent=base, fontSize=8.5, leading=10, alignment=2),
        }
    )
    return styles


def _table(rows, widths, styles, *, numeric_from: int | None = None, header: bool = True):
    """A grid table with a tinted header row; cells are wrapped in Paragraphs."""
    cell = styles["cell"]
    head = ParagraphStyle("headleft", parent=styles["head"], alignment=0)
    body = []
    for r, row in enumerate(rows):
        line = []
        for c, value in enumerate(row):
            if isinstance(value, Flowable):
                line.append(value)
                continue
            text = escape(str(value)) if value is not None else ""
            if r == 0 and header:
                line.append(Paragraph(text, head))
            elif numeric_from is not None and c >= numeric_from:
                line.append(Paragraph(text, styles["num"]))
            else:
                line.append(Paragraph(text, cell))
        body.append(line)
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("FONT", (0, 0), (-1, -1), "Sans", 8.5),  # else ReportLab sets Helvetica per cell
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_BG))
    table.setStyle(TableStyle(commands))
    return table


class Bar(Flowable):
    """A horizontal bar of coloured parts, full width = ``total`` (drawn on the canvas, so
    the page needs no font beyond the embedded ones)."""

    def __init__(self, parts: list[tuple[float, str]], total: float, width: float, height=9):
        super().__init__()
        self.parts, self.total, self.width, self.height = parts, total, width, height

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        canvas.setFillColor(colors.HexColor("#eef2f1"))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        left = 0.0
        for value, color in self.parts:
            if self.total and value > 0:
                w = min(self.width * value / self.total, self.width - left)
                canvas.setFillColor(colors.HexColor(color))
                canvas.rect(left, 0, w, self.height, stroke=0, fill=1)
                left += w


class Legend(Flowable):
    """Colour keys of a chart in one line."""

    def __init__(self, entries: list[tuple[str, str]], width: float):
        super().__init__()
        self.entries, self.width, self.height = entries, width, 14

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        canvas = self.canv
        x = 0.0
        for color, label in self.entries:
            canvas.setFillColor(colors.HexColor(color))
            canvas.rect(x, 3, 8, 8, stroke=0, fill=1)
            canvas.setFillColor(colors.black)
            canvas.setFont("Sans", 7.5)
            canvas.drawString(x + 11, 4, label)
            x += 22 + canvas.stringWidth(label, "Sans", 7.5)


# ---------------------------------------------------------------------------------- sections


def _cover(event: Event, figures: dict, styles) -> list:
    now_local = event.local(figures["now"])
    story = [
        Spacer(1, 55 * mm),
        Paragraph("LAPORAN KEGIATAN", styles["cover_title"]),
        Spacer(1, 10 * mm),
        Paragraph(escape(event.title), styles["cover_event"]),
        Spacer(1, 8 * mm),
        Paragraph(escape(format_date_range_id(event.start_date, event.end_date)), styles["cover"]),
        Paragraph(escape(event.place), styles["cover"]),
        Spacer(1, 25 * mm),
    ]
    if event.organizer:
        story.append(Paragraph("Penyelenggara: " + escape(event.organizer), styles["cover"]))
    if event.provider:
        story.append(Paragraph("Pelaksana: " + escape(event.provider), styles["cover"]))
    story += [
        Spacer(1, 30 * mm),
        Paragraph(
            f"Kode kegiatan {escape(event.code)} · disusun {format_date_id(now_local.date())}",
            styles["center"],
        ),
    ]
    if now_local.date() <= event.end_date:
        story.append(
            Paragraph("Kegiatan belum selesai: laporan ini bersifat sementara.", styles["center"])
        )
    story.append(PageBreak())
    return story


def _event_section(event: Event, styles, width) -> list:
    facts = [
        ["Nama kegiatan", event.title],
        ["Kode", event.code],
        ["Tanggal", format_date_range_id(event.start_date, event.end_date)],
        ["Tempat", event.place or "—"],
        ["Penyelenggara", event.organizer or "—"],
        ["Pelaksana", event.provider or "—"],
        ["Jumlah jam pelajaran", f"{event.total_jp} JP (1 JP = {event.minutes_per_jp} menit)"],
        ["Kapasitas", f"{event.capacity} peserta"],
    ]
    story = [
        Paragraph("1. Gambaran Kegiatan", styles["h1"]),
        _table(facts, [45 * mm, width - 45 * mm], styles, header=False),
        Paragraph("Materi dan narasumber", styles["h2"]),
    ]
    rows = [["Kode", "Materi", "JP", "Narasumber"]]
    rows += [[m.code, m.title, m.jp, ", ".join(m.speaker_list) or "—"] for m in event.modules]
    story.append(_table(rows, [16 * mm, width - 86 * mm, 12 * mm, 58 * mm], styles))
    return story


def _participants_section(figures: dict, styles, width) -> list:
    registration = figures["registration"]
    counts = registration["counts"]
    story = [
        Paragraph("2. Peserta", styles["h1"]),
        Paragraph(
            f"Terdaftar {counts['registered']} dari kapasitas {registration['capacity']}; "
            f"daftar tunggu {counts['waitlisted']}; dibatalkan {counts['cancelled']}.",
            styles["body"],
        ),
        Paragraph("Menurut kategori instansi", styles["h2"]),
    ]
    rows = [["Kategori instansi", "Terdaftar", "Daftar tunggu", "Dibatalkan"]]
    rows += [
        [c["label"], c["registered"], c["waitlisted"], c["cancelled"]]
        for c in registration["categories"]
    ]
    story.append(_table(rows, [width - 90 * mm, 30 * mm, 30 * mm, 30 * mm], styles, numeric_from=1))
    story.append(Paragraph("Menurut instansi (peserta terdaftar)", styles["h2"]))
    institutions = figures["institutions"]
    rows = [["Instansi", "Peserta"]]
    rows += [[name, count] for name, count in institutions[:TOP_INSTITUTIONS]]
    rest = institutions[TOP_INSTITUTIONS:]
    if rest:
        rows.append([f"{len(rest)} instansi lainnya", sum(count for _name, count in rest)])
    story.append(_table(rows, [width - 30 * mm, 30 * mm], styles, numeric_from=1))
    return story


def _attendance_section(event: Event, figures: dict, styles, width) -> list:
    matrix = figures["matrix"]
    panel = figures["attendance"]
    zone = zone_abbreviation(event.timezone)
    story = [
        Paragraph("3. Kehadiran", styles["h1"]),
        Paragraph(
            "Kehadiran per sesi (hadir dan terlambat dihitung hadir; alpa: sesi selesai tanpa "
            "catatan kehadiran)."
            + (
                f" Rata-rata persentase kehadiran sesi yang sudah selesai: "
                f"{panel['mean_percent']}%."
                if panel["mean_percent"] is not None
                else ""
            ),
            styles["body"],
        ),
        Legend([(COLORS[key], str(STATUS_LABELS.get(key, key))) for key in ATTENDANCE_KEYS], width),
    ]
    bar_width = 40 * mm
    rows = [["Sesi", "Grafik", "Hadir", "Telat", "Izin", "Sakit", "Alpa", "%"]]
    for session, totals in zip(matrix.sessions, matrix.session_totals, strict=True):
        expected = totals["expected"]
        when = f"{session.local_start:%d/%m %H:%M} {zone}"
        rows.append(
            [
                f"{when} · {session.title}" + ("" if session.mandatory else " (tidak wajib)"),
                Bar([(totals[key], COLORS[key]) for key in ATTENDANCE_KEYS], expected, bar_width),
                totals["hadir"],
                totals["terlambat"],
                totals["izin"],
                totals["sakit"],
                totals["alpa"],
                f"{numbers.percent(totals['checked_in'], expected)}%",
            ]
        )
    story.append(
        _table(
            rows,
            [width - bar_width - 2 * mm - 6 * 13 * mm, bar_width + 2 * mm, *([13 * mm] * 6)],
            styles,
            numeric_from=2,
        )
    )
    story.append(Paragraph("Rekap kehadiran sesi wajib per kategori instansi", styles["h2"]))
    rows = [["Kategori instansi", "Peserta", "Kehadiran (sesi)", "Rata-rata kehadiran"]]
    rows += [
        [
            c.label,
            c.participants,
            f"{c.present} dari {c.mandatory_total}",
            f"{c.percent}%",
        ]
        for c in matrix.categories
    ]
    story.append(
        _table(rows, [width - 100 * mm, 25 * mm, 40 * mm, 35 * mm], styles, numeric_from=1)
    )
    full = sum(1 for row in matrix.rows if row.summary.percent >= 80)
    story.append(
        Paragraph(
            f"{full} dari {len(matrix.rows)} peserta terdaftar hadir pada sedikitnya 80% "
            "sesi wajib.",
            styles["note"],
        )
    )
    return story


def _assessment_section(figures: dict, styles, width) -> list:
    data = figures["results"]
    klass = data["class"]
    story = [Paragraph("4. Pre-test dan Post-test", styles["h1"])]
    rows = [
        ["Ukuran", "Nilai"],
        ["Mengikuti pre-test", klass["pre_taken"]],
        ["Mengikuti post-test", klass["post_taken"]],
        ["Peserta dengan pre dan post (n)", klass["n"]],
        ["Rata-rata pre-test", numbers.format_score(klass["mean_pre"])],
        ["Rata-rata post-test", numbers.format_score(klass["mean_post"])],
        ["⟨g⟩ dari rata-rata", number(klass["g_of_means"], 3)],
        ["Kategori Hake ⟨g⟩", BAND_LABELS.get(klass["band"], "—")],
        ["Rata-rata g individu", number(klass["mean_g"], 3)],
        ["Skor turun (gain negatif)", klass["negative"]],
    ]
    story.append(_table(rows, [width - 40 * mm, 40 * mm], styles, numeric_from=1))
    story.append(
        Paragraph(
            "g = (post − pre) ÷ (100 − pre). ⟨g⟩ dari rata-rata memakai rata-rata kelas; rata-rata "
            "g individu adalah rata-rata g tiap peserta; keduanya dilaporkan bersama. Kategori "
            "Hake: tinggi ≥ 0,7; sedang ≥ 0,3; rendah di bawahnya.",
            styles["note"],
        )
    )
    bands = Counter(row["band"] for row in data["participants"] if row["g"] is not None)
    story.append(Paragraph("Sebaran kategori Hake (per peserta)", styles["h2"]))
    rows = [["Kategori", "Peserta"]]
    rows += [[BAND_LABELS[band], bands.get(band, 0)] for band in ("high", "medium", "low")]
    story.append(_table(rows, [width - 40 * mm, 40 * mm], styles, numeric_from=1))
    if data["modules"]:
        story.append(Paragraph("Per materi", styles["h2"]))
        rows = [["Materi", "n", "Pre", "Post", "⟨g⟩", "Kategori"]]
        rows += [
            [
                f"{m['code']} {m['title']}",
                m["n"],
                numbers.format_score(m["mean_pre"]),
                numbers.format_score(m["mean_post"]),
                number(m["g_of_means"], 3),
                BAND_LABELS.get(m["band"], "—"),
            ]
            for m in data["modules"]
        ]
        story.append(
            _table(
                rows,
                [width - 100 * mm, 14 * mm, 20 * mm, 20 * mm, 20 * mm, 26 * mm],
                styles,
                numeric_from=1,
            )
        )
    flagged = []
    for kind, label in (("pre", "Pre-test"), ("post", "Post-test")):
        for item in data["items"][kind]:
            notes = []
            if "low_discrimination" in item["flags"]:
                notes.append("daya beda < 0,2")
            if item["unused_distractors"]:
                notes.append("pengecoh tidak dipilih: " + ", ".join(item["unused_distractors"]))
            if notes:
                flagged.append([label, item["number"], item["text"], "; ".join(notes)])
    story.append(Paragraph("Butir soal yang perlu ditinjau", styles["h2"]))
    if flagged:
        story.append(
            _table(
                [["Tes", "No", "Pertanyaan", "Catatan"], *flagged],
                [20 * mm, 10 * mm, width - 90 * mm, 60 * mm],
                styles,
            )
        )
    else:
        story.append(Paragraph("Tidak ada butir yang ditandai.", styles["body"]))
    return story


def _evaluation_section(figures: dict, styles, width) -> list:
    data = figures["evaluation"]
    story = [
        Paragraph("5. Evaluasi Narasumber dan Penyelenggara", styles["h1"]),
        Paragraph(
            "Skala 1–4 (kurang, cukup, baik, sangat baik); indeks = rata-rata × 25. Kategori: "
            f"sangat baik ≥ {number(data['thresholds']['sangat_baik'])}, baik ≥ "
            f"{number(data['thresholds']['baik'])}, cukup ≥ {number(data['thresholds']['cukup'])}. "
            f"Hasil sebuah bagian ditampilkan mulai {data['min_respondents']} responden.",
            styles["body"],
        ),
    ]
    rows = [["Narasumber / penyelenggara", "Materi", "Responden", "Respons", "Indeks", "Kategori"]]
    for part in data["parts"]:
        overall = part["overall"] if part["shown"] else None
        rows.append(
            [
                part["title"],
                part["module_code"] or "—",
                part["respondents"],
                percent(part["respondents"], part["registered"]),
                numbers.format_score(overall["index"]) if overall else "—",
                CATEGORY_LABELS.get(overall["category"], "") if overall else "< 5 responden",
            ]
        )
    story.append(
        _table(
            rows,
            [width - 110 * mm, 16 * mm, 20 * mm, 20 * mm, 20 * mm, 34 * mm],
            styles,
            numeric_from=2,
        )
    )
    story.append(
        Legend(
            [(SCALE_COLORS[value], f"{value} {label}") for value, label in SCALE_LABELS.items()],
            width,
        )
    )
    bar = 45 * mm
    for part in data["parts"]:
        if not part["shown"]:
            continue
        title = part["title"] + (
            f" — {part['module_code']} {part['module_title']}" if part["module_code"] else ""
        )
        block = [Paragraph(escape(title), styles["h2"])]
        rows = [["Pernyataan", "Rerata", "Indeks", "Kategori", "Sebaran jawaban"]]
        for item in part["items"]:
            dist = item["distribution"]
            rows.append(
                [
                    item["text"],
                    number(item["mean"]),
                    numbers.format_score(item["index"]),
                    CATEGORY_LABELS.get(item["category"], ""),
                    Bar([(dist[v], SCALE_COLORS[v]) for v in (1, 2, 3, 4)], item["n"], bar),
                ]
            )
        block.append(
            _table(
                rows,
                [width - bar - 62 * mm, 18 * mm, 16 * mm, 26 * mm, bar + 2 * mm],
                styles,
                numeric_from=1,
            )
        )
        story.append(KeepTogether(block))
        if part["comments"]:
            story.append(Paragraph("Saran peserta:", styles["note"]))
            # the same suggestion from many people is listed once, with how many gave it
            for comment, count in Counter(part["comments"]).most_common():
                times = f" ({count}×)" if count > 1 else ""
                story.append(Paragraph("• " + escape(comment) + times, styles["cell"]))
    return story


def _certificate_section(event: Event, figures: dict, styles, width) -> list:
    panel = figures["certificates"]
    issued, revoked = figures["issued"], figures["revoked"]
    story = [
        Paragraph("6. Sertifikat", styles["h1"]),
        _table(
            [
                ["Ukuran", "Jumlah"],
                ["Peserta terdaftar", panel["registered"]],
                ["Memenuhi syarat", panel["eligible"]],
                ["Sertifikat diterbitkan (nomor)", panel["issued"]],
                ["Sertifikat berlaku", panel["in_force"]],
                ["Dicabut", panel["revoked"]],
                ["Belum diterbitkan (memenuhi syarat)", panel["to_issue"]],
                ["Tidak memenuhi syarat", panel["not_eligible"]],
            ],
            [width - 40 * mm, 40 * mm],
            styles,
            numeric_from=1,
        ),
    ]
    numbered = sorted(issued + revoked, key=lambda c: c.seq)
    if numbered:
        story.append(
            Paragraph(
                f"Nomor sertifikat yang diterbitkan: {escape(numbered[0].number)} s.d. "
                f"{escape(numbered[-1].number)} ({panel['issued']} nomor): "
                f"{panel['in_force']} berlaku, {panel['revoked']} dicabut. Setiap sertifikat "
                "dapat diverifikasi melalui kode QR-nya.",
                styles["body"],
            )
        )
    served = panel["served"]
    story.append(Paragraph("Sertifikat narasumber, moderator dan panitia", styles["h2"]))
    story.append(
        _table(
            [["Peran", "Diterbitkan (nomor)", "Berlaku", "Dicabut"]]
            + [
                [SERVED_ROLE_NAMES[role], counts.issued, counts.in_force, counts.revoked]
                for role, counts in served.items()
            ],
            [width - 120 * mm, 40 * mm, 40 * mm, 40 * mm],
            styles,
            numeric_from=1,
        )
    )
    revoked = revoked + figures["served_revoked"]
    if revoked:
        story.append(Paragraph("Sertifikat yang dicabut", styles["h2"]))
        rows = [["Nomor", "Nama", "Dicabut", "Alasan"]]
        rows += [
            [
                c.number,
                c.name if c.role == "participant" else f"{c.name} ({SERVED_ROLE_NAMES[c.role]})",
                format_date_id(event.local(c.revoked_at).date()),
                c.revoke_reason,
            ]
            for c in revoked
        ]
        story.append(_table(rows, [58 * mm, 44 * mm, 32 * mm, width - 134 * mm], styles))
    return story


def _signature_page(event: Event, figures: dict, styles, width) -> list:
    day = format_date_id(event.local(figures["now"]).date())
    story = [
        PageBreak(),
        Paragraph("7. Penutup", styles["h1"]),
        Paragraph(
            "Demikian laporan kegiatan ini disusun sebagai pertanggungjawaban pelaksanaan "
            f"{escape(event.title)}.",
            styles["body"],
        ),
        Spacer(1, 8 * mm),
        Paragraph(f"{escape(event.city or '')}{', ' if event.city else ''}{day}", styles["body"]),
        Spacer(1, 4 * mm),
    ]
    people = [(s.title, s.name, s.nip) for s in figures["signatories"]] or [
        (f"Penyelenggara{', ' + event.organizer if event.organizer else ''}", "", ""),
        (f"Pelaksana{', ' + event.provider if event.provider else ''}", "", ""),
    ]
    cells = []
    for title, name, nip in people[:3]:
        block = [
            Paragraph(escape(title), styles["center"]),
            Spacer(1, 24 * mm),
            Paragraph(f"<u>{escape(name)}</u>" if name else "(" + "." * 40 + ")", styles["center"]),
        ]
        if nip:
            block.append(Paragraph("NIP " + escape(nip), styles["center"]))
        cells.append(block)
    table = Table([cells], colWidths=[width / len(cells)] * len(cells))
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), "Sans")])
    )
    story.append(table)
    return story


def activity_report_pdf(event: Event, now: datetime | None = None) -> bytes:
    """The laporan kegiatan of ``event`` as PDF bytes (A4 portrait)."""
    figures = activity_figures(event, now)
    styles = _report_styles()
    buffer = io.BytesIO()
    doc = a4_document(
        buffer,
        title=f"Laporan Kegiatan {event.code}",
        author=event.organizer or "Bimtek",
        subject=event.title,
        initialFontSize=9,
    )
    width = doc.width
    story = _cover(event, figures, styles)
    story += _event_section(event, styles, width)
    story += _participants_section(figures, styles, width)
    story += _attendance_section(event, figures, styles, width)
    story += _assessment_section(figures, styles, width)
    story += _evaluation_section(figures, styles, width)
    story += _certificate_section(event, figures, styles, width)
    story += _signature_page(event, figures, styles, width)
    footer = f"Laporan Kegiatan {event.code} · {event.title}"
    doc.build(
        story,
        canvasmaker=lambda *args, **kwargs: NumberedCanvas(*args, footer_left=footer, **kwargs),
    )
    return buffer.getvalue()


def filename(event: Event) -> str:
    return f"laporan-kegiatan-{event.code}.pdf"
