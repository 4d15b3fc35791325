"""The SPJ bundle: one PDF of every document of the event, in the order an auditor reads
it, and one .xlsx of every money table; both built by a job with progress
(``bimtek.jobs.prepared``), since a 400-person event takes seconds.

The PDF is the documents themselves, each drawn by its own maker (the daftar hadir by
``attendance.pdf``, the laporan by ``reports.activity_report``, both given the kop on their
first page by ``documents.under_kop``), joined with pypdf; the cover
(kop, contents with the first page of each part, signatures) is drawn last, when the page
counts are known. Letters are those numbered already: a build writes nothing but its file.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from pypdf import PdfReader, PdfWriter
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from bimtek.attendance.pdf import sign_in_sheet_pdf
from bimtek.attendance.queries import session_attendance
from bimtek.core.timeutil import format_date_range_id, format_day_id
from bimtek.core.xlsx_writer import Sheet, SheetColumn, write_workbook
from bimtek.events.models import Event
from bimtek.extensions import db
from bimtek.jobs import prepared as jobs
from bimtek.reports.activity_report import activity_report_pdf
from bimtek.spj import documents, dokumentasi, honor, kontribusi, letters, money, pdf
from bimtek.spj.documents import event_signers, kop_surat, signature_row, text
from bimtek.spj.rupiah import terbilang


@dataclass
class Part:
    title: str
    make: Callable[[], bytes]


def parts(event: Event) -> list[Part]:
    """Every document of the bundle after the cover, in order; each made when asked."""
    result = []
    numbered = sorted(letters.numbered(event).values(), key=lambda letter: letter.seq)
    for letter in numbered:
        label = "Surat undangan" if letter.kind == "undangan" else "Surat keterangan"
        result.append(
            Part(
                f"{label} {letter.number}",
                lambda letter=letter: pdf.letter_pdf(event, letters.letter_text(event, letter)),
            )
        )
    for session in event.sessions:
        result.append(
            Part(
                f"Daftar hadir: {session.title} ({format_day_id(session.local_day)})",
                lambda session=session: documents.under_kop(
                    event, sign_in_sheet_pdf(session, session_attendance(session)).getvalue()
                ),
            )
        )
    for day_list in money.penerimaan(event):
        result.append(
            Part(
                f"Daftar penerimaan hari ke-{day_list.number}",
                lambda day_list=day_list: pdf.penerimaan_pdf(event, day_list),
            )
        )
    lines = honor.honor_lines(event)
    if lines:
        result.append(
            Part("Daftar honorarium narasumber", lambda: pdf.honor_list_pdf(event, lines))
        )
        for line in lines:
            result.append(
                Part(
                    f"Kuitansi honor {line.honor.name}",
                    lambda line=line: pdf.honor_kuitansi_pdf(event, line),
                )
            )
    for agency in kontribusi.agencies(event):
        invoice = agency.invoice
        if invoice is None:
            continue
        result.append(
            Part(
                f"Tagihan {invoice.number}", lambda invoice=invoice: pdf.tagihan_pdf(event, invoice)
            )
        )
        if invoice.paid_on is not None:
            result.append(
                Part(
                    f"Kuitansi kontribusi {invoice.institution}",
                    lambda invoice=invoice: pdf.kontribusi_kuitansi_pdf(event, invoice),
                )
            )
    groups = dokumentasi.photos_by_session(event)
    if any(group.photos for group in groups):
        result.append(Part("Dokumentasi", lambda: pdf.dokumentasi_pdf(event, groups)))
    result.append(
        Part("Laporan kegiatan", lambda: documents.under_kop(event, activity_report_pdf(event)))
    )
    return result


def cover_pdf(event: Event, contents: list[tuple[str, int]]) -> bytes:
    """The cover: kop, title, the event, the contents (each part's first page), signatures."""
    s = documents.styles()
    width = documents.frame_width()
    story = [
        *kop_surat(event, width),
        Spacer(1, 12 * mm),
        Paragraph("SURAT PERTANGGUNGJAWABAN (SPJ)", s["title"]),
        Paragraph(f"<b>{text(event.title)}</b>", s["center"]),
        Paragraph(
            f"{format_date_range_id(event.start_date, event.end_date)} · {text(event.place)}",
            s["center"],
        ),
        Spacer(1, 8 * mm),
        Paragraph("<b>Daftar isi</b>", s["base"]),
        Spacer(1, 2 * mm),
    ]
    rows = [
        [Paragraph(str(n), s["cell"]), Paragraph(text(title), s["cell"]), str(page)]
        for n, (title, page) in enumerate(contents, start=1)
    ]
    table = Table(rows, colWidths=[10 * mm, width - 30 * mm, 20 * mm], repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                ("FONTSIZE", (0, 0), (-1, -1), 8.5),
                ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, pdf.GRID),
            ]
        )
    )
    story.append(table)
    row = signature_row(event_signers(event), width)
    if row is not None:
        story.append(row)
    return documents.render(event, story, title="SPJ")


def build_bundle_pdf(event: Event, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole SPJ as one PDF; ``progress(done, total)`` after each part."""
    todo = parts(event)
    made: list[tuple[str, bytes]] = []
    for n, part in enumerate(todo, start=1):
        made.append((part.title, part.make()))
        if progress is not None:
            progress(n, len(todo) + 1)
    readers = [(title, PdfReader(io.BytesIO(data))) for title, data in made]
    cover_pages = 1
    for _attempt in range(3):  # the contents may push the cover to a second page
        page, contents = cover_pages + 1, []
        for title, reader in readers:
            contents.append((title, page))
            page += len(reader.pages)
        cover = PdfReader(io.BytesIO(cover_pdf(event, contents)))
        if len(cover.pages) == cover_pages:
            break
        cover_pages = len(cover.pages)
    writer = PdfWriter()
    writer.append(cover, outline_item="Sampul dan daftar isi")
    for title, reader in readers:
        writer.append(reader, outline_item=title)
    writer.add_metadata({"/Title": f"SPJ {event.title}", "/Author": event.organizer or ""})
    out = io.BytesIO()
    writer.write(out)
    if progress is not None:
        progress(len(todo) + 1, len(todo) + 1)
    return out.getvalue()


# --- the workbook of every money table --------------------------------------------------------


def money_sheets(event: Event) -> list[Sheet]:
    """The money tables as sheets: each day's penerimaan, the honor, the kontribusi; the same
    amounts as the pages and the PDFs (whole rupiah as numbers)."""
    heading = event.title
    sub = format_date_range_id(event.start_date, event.end_date)
    sheets = []
    for day_list in money.penerimaan(event):
        rows = [
            [
                n,
                row.participant.full_name,
                row.participant.institution,
                row.transport,
                row.saku,
                row.harian,
                row.total,
            ]
            for n, row in enumerate(day_list.rows, start=1)
        ]
        rows.append(
            [
                None,
                "JUMLAH",
                None,
                day_list.sum("transport"),
                day_list.sum("saku"),
                day_list.sum("harian"),
                day_list.total,
            ]
        )
        sheets.append(
            Sheet(
                title=f"Penerimaan hari {day_list.number}",
                heading=f"Daftar penerimaan hari ke-{day_list.number} · {heading}",
                subheading=format_day_id(day_list.day),
                columns=[
                    SheetColumn("No.", "int"),
                    SheetColumn("Nama"),
                    SheetColumn("Instansi"),
                    SheetColumn("Transport", "int"),
                    SheetColumn("Uang saku", "int"),
                    SheetColumn("Uang harian", "int"),
                    SheetColumn("Jumlah", "int"),
                ],
                rows=rows,
                note=f"Terbilang: {terbilang(day_list.total)}",
            )
        )
    lines = honor.honor_lines(event)
    sums = honor.totals(lines)
    sheets.append(
        Sheet(
            title="Honor narasumber",
            heading=f"Honorarium narasumber · {heading}",
            subheading=sub,
            columns=[
                SheetColumn("Nama"),
                SheetColumn("NIP", "digits"),
                SheetColumn("Materi"),
                SheetColumn("Aturan"),
                SheetColumn("JP", "int"),
                SheetColumn("Honor per JP", "int"),
                SheetColumn("Bruto", "int"),
                SheetColumn("Tarif PPh 21 (%)", "number"),
                SheetColumn("PPh 21", "int"),
                SheetColumn("Neto", "int"),
            ],
            rows=[
                [
                    line.honor.name,
                    line.honor.nip,
                    line.module.title if line.module else "",
                    f"{line.rule} ({line.source})",
                    line.honor.jp,
                    line.honor.rate_per_jp,
                    line.gross,
                    line.basis_points / 100,
                    line.tax,
                    line.net,
                ]
                for line in lines
            ]
            + [
                [
                    "JUMLAH",
                    None,
                    None,
                    None,
                    sums["jp"],
                    None,
                    sums["gross"],
                    None,
                    sums["tax"],
                    sums["net"],
                ]
            ],
            note="PPh 21 dibulatkan ke bawah ke rupiah utuh; neto = bruto − PPh 21. "
            f"Terbilang (neto): {terbilang(sums['net'])}",
        )
    )
    items = kontribusi.agencies(event)
    owed = kontribusi.summary(items)
    sheets.append(
        Sheet(
            title="Kontribusi",
            heading=f"Kontribusi instansi · {heading}",
            subheading=sub,
            columns=[
                SheetColumn("Instansi"),
                SheetColumn("Peserta", "int"),
                SheetColumn("Nomor tagihan"),
                SheetColumn("Jumlah", "int"),
                SheetColumn("Tanggal bayar", "date"),
                SheetColumn("Cara bayar"),
                SheetColumn("Status"),
            ],
            rows=[
                [
                    agency.institution,
                    agency.participants,
                    agency.invoice.number if agency.invoice else "",
                    agency.invoice.amount if agency.invoice else None,
                    agency.invoice.paid_on if agency.invoice else None,
                    agency.invoice.payment_method if agency.invoice else "",
                    "Lunas"
                    if agency.invoice and agency.invoice.paid_on
                    else ("Belum dibayar" if agency.invoice else "Belum ditagih"),
                ]
                for agency in items
            ],
            note=f"Ditagih {owed['billed']}, lunas {owed['paid']}, belum dibayar "
            f"{owed['unpaid']}; instansi yang masih berutang: {owed['owing']}.",
        )
    )
    return sheets


def money_workbook(event: Event) -> bytes:
    return write_workbook(money_sheets(event))


# --- the job --------------------------------------------------------------------------------


KINDS = {"spj_pdf": "pdf", "spj_xlsx": "xlsx"}


def prepare_bundle(event: Event, kind: str, *, actor, channel="web"):
    """Queue the SPJ PDF or workbook (one already being built is reused; a ready one is not:
    the data may have changed since)."""
    return jobs.prepare(
        event,
        kind,
        fingerprint=kind,
        total=1,
        filename=f"SPJ-{event.code}.{KINDS[kind]}",
        actor=actor,
        channel=channel,
        action="spj.bundle_job",
        reuse_ready=False,
    )


@jobs.builder(*KINDS, back="spj.index", back_label=_l("SPJ"))
def _build(prepared) -> bytes:
    event = db.session.get(Event, prepared.event_id)
    if prepared.kind == "spj_xlsx":
        return money_workbook(event)

    def progress(done: int, total: int) -> None:
        prepared.done, prepared.total = done, total
        db.session.commit()

    return build_bundle_pdf(event, progress)
