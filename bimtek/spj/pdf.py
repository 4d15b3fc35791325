"""The SPJ's documents, each a story between the kop surat and the signature row
(``documents``): the daftar penerimaan of a day."""

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from bimtek.core.timeutil import format_date_id, format_day_id
from bimtek.events.models import Event
from bimtek.spj import documents
from bimtek.spj.documents import event_signers, kop_surat, signature_row, text
from bimtek.spj.money import DayList
from bimtek.spj.rupiah import format_rupiah, terbilang

GRID = colors.HexColor("#777777")
HEAD = colors.HexColor("#e8efe9")


def _grid_style(rows: int, *, total_row: bool) -> TableStyle:
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), "Sans"),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if rows > 2:  # room to sign
        commands += [
            ("TOPPADDING", (0, 1), (-1, rows - 2), 5),
            ("BOTTOMPADDING", (0, 1), (-1, rows - 2), 5),
        ]
    if total_row:
        commands.append(("BACKGROUND", (0, rows - 1), (-1, rows - 1), HEAD))
    return TableStyle(commands)


def place_date(event: Event, day=None) -> str:
    """ "Samarinda, 31 Oktober 2024": the city and the given day (else the last day)."""
    return f"{event.city or ''}, {format_date_id(day or event.end_date)}".lstrip(", ")


def penerimaan_story(event: Event, day_list: DayList, width: float) -> list:
    """The daftar penerimaan of one day: each person's amounts, a signature column whose
    numbered spot alternates left and right, totals in figures and in words."""
    s = documents.styles()
    story = [
        *kop_surat(event, width),
        Paragraph("DAFTAR PENERIMAAN UANG TRANSPORT DAN UANG SAKU PESERTA", s["title"]),
        Paragraph(text(event.title), s["center"]),
        Paragraph(
            f"Hari ke-{day_list.number}: {format_day_id(day_list.day)}"
            + (f" · {text(event.place)}" if event.place else ""),
            s["center"],
        ),
        Spacer(1, 3 * mm),
    ]
    head = ["No.", "Nama", "Instansi", "Transport", "Uang saku", "Uang harian", "Jumlah"]
    data = [[Paragraph(h, s["head"]) for h in head] + [Paragraph("Tanda tangan", s["head"])]]
    for n, row in enumerate(day_list.rows, start=1):
        person = row.participant
        sign = f"{n}. ........" if n % 2 else f"{'&nbsp;' * 14}{n}. ........"
        data.append(
            [
                Paragraph(str(n), s["cell"]),
                Paragraph(text(person.full_name), s["cell"]),
                Paragraph(text(person.institution), s["cell"]),
                *(
                    Paragraph(format_rupiah(value, prefix=False), s["cell_right"])
                    for value in (row.transport, row.saku, row.harian, row.total)
                ),
                Paragraph(sign, s["cell"]),
            ]
        )
    data.append(
        [
            "",
            Paragraph("<b>JUMLAH</b>", s["cell"]),
            "",
            *(
                Paragraph(f"<b>{format_rupiah(value, prefix=False)}</b>", s["cell_right"])
                for value in (
                    day_list.sum("transport"),
                    day_list.sum("saku"),
                    day_list.sum("harian"),
                    day_list.total,
                )
            ),
            "",
        ]
    )
    fixed = [11 * mm, 0, 0, 24 * mm, 24 * mm, 24 * mm, 27 * mm, 36 * mm]
    rest = width - sum(fixed)
    widths = [fixed[0], rest * 0.55, rest * 0.45, *fixed[3:]]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style(len(data), total_row=True))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    summary = Paragraph(
        f"Jumlah diterima: <b>{format_rupiah(day_list.total)}</b><br/>"
        f"Terbilang: <i>{text(terbilang(day_list.total))}</i>",
        s["base"],
    )
    signers = event_signers(event)
    if signers:
        signers[-1].place_date = place_date(event, day_list.day)
    row = signature_row(signers, width)
    story.append(KeepTogether([summary, *([row] if row is not None else [])]))
    return story


def penerimaan_pdf(event: Event, day_list: DayList) -> bytes:
    wide = documents.page_size(wide=True)
    story = penerimaan_story(event, day_list, documents.frame_width(wide))
    return documents.render(
        event, story, title=f"Daftar penerimaan hari ke-{day_list.number}", wide=True
    )
