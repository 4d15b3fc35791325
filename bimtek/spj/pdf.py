"""The SPJ's documents, each a story between the kop surat and the signature row
(``documents``): the daftar penerimaan of a day, the daftar honor and the kuitansi."""

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from bimtek.core.timeutil import format_date_id, format_day_id
from bimtek.events.models import Event
from bimtek.spj import documents, honor
from bimtek.spj.documents import event_signers, kop_surat, signature_row, text
from bimtek.spj.letterhead import get_letterhead
from bimtek.spj.money import DayList
from bimtek.spj.rupiah import format_rupiah, terbilang
from bimtek.storage import files

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


def honor_list_story(event: Event, lines: list, width: float) -> list:
    """The daftar honor narasumber: each line's JP, rate, gross, PPh 21 (rate and rule), net,
    and a signature column; totals in figures and in words; the rules named."""
    s = documents.styles()
    sums = honor.totals(lines)
    settings = honor.get_honor_settings(event)
    story = [
        *kop_surat(event, width),
        Paragraph("DAFTAR PENERIMAAN HONORARIUM NARASUMBER", s["title"]),
        Paragraph(text(event.title), s["center"]),
        Spacer(1, 3 * mm),
    ]
    head = ["No.", "Nama / NIP", "Materi", "JP", "Honor per JP", "Bruto", "PPh 21", "Neto"]
    data = [[Paragraph(h, s["head"]) for h in head] + [Paragraph("Tanda tangan", s["head"])]]
    for n, line in enumerate(lines, start=1):
        person = line.honor
        who = text(person.name) + (f"<br/>NIP. {text(person.nip)}" if person.nip else "")
        data.append(
            [
                Paragraph(str(n), s["cell"]),
                Paragraph(who, s["cell"]),
                Paragraph(text(line.module.title if line.module else ""), s["cell"]),
                Paragraph(str(person.jp), s["cell_right"]),
                Paragraph(format_rupiah(person.rate_per_jp, prefix=False), s["cell_right"]),
                Paragraph(format_rupiah(line.gross, prefix=False), s["cell_right"]),
                Paragraph(
                    f"{format_rupiah(line.tax, prefix=False)}<br/>"
                    f"<font size=7>{honor.format_percent(line.basis_points)} · "
                    f"{text(line.rule)}</font>",
                    s["cell_right"],
                ),
                Paragraph(format_rupiah(line.net, prefix=False), s["cell_right"]),
                Paragraph(f"{n}. ........", s["cell"]),
            ]
        )
    data.append(
        [
            "",
            Paragraph("<b>JUMLAH</b>", s["cell"]),
            "",
            Paragraph(f"<b>{sums['jp']}</b>", s["cell_right"]),
            "",
            *(
                Paragraph(f"<b>{format_rupiah(sums[key], prefix=False)}</b>", s["cell_right"])
                for key in ("gross", "tax", "net")
            ),
            "",
        ]
    )
    fixed = [10 * mm, 0, 0, 11 * mm, 24 * mm, 26 * mm, 30 * mm, 26 * mm, 30 * mm]
    rest = width - sum(fixed)
    widths = [fixed[0], rest * 0.5, rest * 0.5, *fixed[3:]]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(_grid_style(len(data), total_row=True))
    story.append(table)
    story.append(Spacer(1, 2 * mm))
    summary = Paragraph(
        f"Jumlah neto dibayarkan: <b>{format_rupiah(sums['net'])}</b><br/>"
        f"Terbilang: <i>{text(terbilang(sums['net']))}</i><br/>"
        f"<font size=8>PPh 21 dipotong menurut {text(settings.source_asn)} (ASN: golongan "
        f"I {honor.format_percent(settings.bp_gol_i)}, II "
        f"{honor.format_percent(settings.bp_gol_ii)}, III "
        f"{honor.format_percent(settings.bp_gol_iii)}, IV "
        f"{honor.format_percent(settings.bp_gol_iv)}) dan {text(settings.source_non_asn)} "
        f"(bukan ASN: {honor.format_percent(settings.bp_non_asn)}); pajak dibulatkan ke "
        f"bawah ke rupiah utuh.</font>",
        s["base"],
    )
    signers = event_signers(event)
    if signers:
        signers[-1].place_date = place_date(event)
    row = signature_row(signers, width)
    story.append(KeepTogether([summary, *([row] if row is not None else [])]))
    return story


def honor_list_pdf(event: Event, lines: list) -> bytes:
    wide = documents.page_size(wide=True)
    story = honor_list_story(event, lines, documents.frame_width(wide))
    return documents.render(event, story, title="Daftar honorarium narasumber", wide=True)


def kuitansi_story(
    event: Event,
    width: float,
    *,
    number: str,
    payer: str,
    amount: int,
    purpose: str,
    details: list[tuple[str, str]],
    receiver: documents.Signer | None,
) -> list:
    """One kuitansi: who paid, the amount in figures and in words, what for; the event's
    signers, then the person who received it on the right (a receipt the organizer gives
    has none: the event's signers received it)."""
    s = documents.styles()
    rows = [
        ["Nomor", ":", Paragraph(text(number), s["base"])],
        ["Sudah terima dari", ":", Paragraph(text(payer), s["base"])],
        ["Uang sebesar", ":", Paragraph(f"<b><i>{text(terbilang(amount))}</i></b>", s["base"])],
        ["Untuk pembayaran", ":", Paragraph(text(purpose), s["base"])],
    ]
    rows += [[label, ":", Paragraph(value, s["base"])] for label, value in details]
    table = Table(rows, colWidths=[38 * mm, 5 * mm, width - 43 * mm])
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    figure = Table([[Paragraph(f"<b>{format_rupiah(amount)},-</b>", s["base"])]])
    figure.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                ("BOX", (0, 0), (-1, -1), 1, colors.black),
                ("BACKGROUND", (0, 0), (-1, -1), HEAD),
            ]
        )
    )
    figure.hAlign = "LEFT"
    if receiver is None:
        signers = event_signers(event)[-2:]
    else:
        signers = [*event_signers(event)[:2], receiver]
    if signers:
        signers[-1].place_date = place_date(event)
    row = signature_row(signers, width)
    return [
        *kop_surat(event, width),
        Paragraph("KUITANSI", s["title"]),
        Spacer(1, 3 * mm),
        table,
        Spacer(1, 3 * mm),
        figure,
        *([row] if row is not None else []),
    ]


def honor_kuitansi_story(event: Event, line, width: float) -> list:
    person = line.honor
    module = f" materi {line.module.title}" if line.module else ""
    return kuitansi_story(
        event,
        width,
        number=f"HON-{event.code}-{person.id:03d}",
        payer=get_letterhead(event).name,
        amount=line.net,
        purpose=f"Honorarium narasumber{module} pada {event.title}",
        details=[
            (
                "Rincian",
                f"{person.jp} JP × {format_rupiah(person.rate_per_jp)} = "
                f"{format_rupiah(line.gross)}<br/>"
                f"PPh 21 {honor.format_percent(line.basis_points)} ({text(line.rule)}; "
                f"{text(line.source)}) = {format_rupiah(line.tax)}<br/>"
                f"Diterima bersih = <b>{format_rupiah(line.net)}</b>",
            )
        ],
        receiver=documents.Signer(
            heading="Yang menerima,", office=person.office, name=person.name, nip=person.nip
        ),
    )


def honor_kuitansi_pdf(event: Event, line) -> bytes:
    story = honor_kuitansi_story(event, line, documents.frame_width())
    return documents.render(event, story, title=f"Kuitansi honor {line.honor.name}")


def tagihan_story(event: Event, invoice, width: float) -> list:
    """The tagihan of one agency: its number, the count × the fee, the amount in figures and
    in words."""
    s = documents.styles()
    story = [
        *kop_surat(event, width),
        Paragraph("TAGIHAN KONTRIBUSI", s["title"]),
        Paragraph(f"Nomor: {text(invoice.number)}", s["center"]),
        Spacer(1, 5 * mm),
        Paragraph(f"Kepada Yth.<br/>Pimpinan {text(invoice.institution)}<br/>di tempat", s["base"]),
        Spacer(1, 4 * mm),
        Paragraph(
            f"Dengan hormat, bersama ini kami sampaikan tagihan kontribusi keikutsertaan "
            f"peserta dari instansi Bapak/Ibu pada <b>{text(event.title)}</b> "
            f"({text(event.place)}), sebagai berikut:",
            s["base"],
        ),
        Spacer(1, 3 * mm),
    ]
    head = ["Uraian", "Peserta", "Kontribusi per peserta", "Jumlah"]
    data = [
        [Paragraph(h, s["head"]) for h in head],
        [
            Paragraph(f"Kontribusi {text(event.title)}", s["cell"]),
            Paragraph(str(invoice.participants), s["cell_right"]),
            Paragraph(format_rupiah(invoice.fee_per_participant), s["cell_right"]),
            Paragraph(format_rupiah(invoice.amount), s["cell_right"]),
        ],
        [
            Paragraph("<b>JUMLAH</b>", s["cell"]),
            "",
            "",
            Paragraph(f"<b>{format_rupiah(invoice.amount)}</b>", s["cell_right"]),
        ],
    ]
    table = Table(data, colWidths=[width - 100 * mm, 20 * mm, 40 * mm, 40 * mm])
    table.setStyle(_grid_style(len(data), total_row=True))
    story += [
        table,
        Spacer(1, 2 * mm),
        Paragraph(f"Terbilang: <i>{text(terbilang(invoice.amount))}</i>", s["base"]),
        Spacer(1, 3 * mm),
        Paragraph("Atas perhatian dan kerja samanya kami ucapkan terima kasih.", s["base"]),
    ]
    signers = event_signers(event)[-1:]
    if signers:
        signers[0].place_date = place_date(event, invoice.issued_on)
    row = signature_row(signers, width)
    if row is not None:
        story.append(row)
    return story


def tagihan_pdf(event: Event, invoice) -> bytes:
    story = tagihan_story(event, invoice, documents.frame_width())
    return documents.render(event, story, title=f"Tagihan {invoice.number}")


def kontribusi_kuitansi_story(event: Event, invoice, width: float) -> list:
    method = {"transfer": "transfer bank", "tunai": "tunai", "lainnya": "lainnya"}
    return kuitansi_story(
        event,
        width,
        number=f"KW-{invoice.number}",
        payer=invoice.institution,
        amount=invoice.amount,
        purpose=f"Kontribusi {invoice.participants} peserta {event.title}",
        details=[
            ("Tagihan", text(invoice.number)),
            (
                "Dibayar",
                f"{format_date_id(invoice.paid_on)}, "
                f"{method.get(invoice.payment_method, invoice.payment_method)}"
                + (f" ({text(invoice.payment_note)})" if invoice.payment_note else ""),
            ),
        ],
        receiver=None,
    )


def kontribusi_kuitansi_pdf(event: Event, invoice) -> bytes:
    story = kontribusi_kuitansi_story(event, invoice, documents.frame_width())
    return documents.render(event, story, title=f"Kuitansi {invoice.number}")


def _pairs(rows: list[tuple[str, str]], width: float, s) -> Table:
    table = Table(
        [[Paragraph(text(k), s["base"]), ":", Paragraph(text(v), s["base"])] for k, v in rows],
        colWidths=[35 * mm, 5 * mm, width - 40 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
            ]
        )
    )
    table.hAlign = "LEFT"
    return table


def letter_story(event: Event, letter, width: float) -> list:
    """A letter (``letters.LetterText``) under the kop: number and subject, addressee, body,
    the list of participants, closing, the signature."""
    s = documents.styles()
    story = [*kop_surat(event, width)]
    if letter.title:
        story += [
            Paragraph(f"<u>{text(letter.title)}</u>", s["title"]),
            Paragraph(f"Nomor: {text(letter.number)}", s["center"]),
            Spacer(1, 4 * mm),
        ]
    if letter.meta:
        story += [
            Paragraph(text(letter.place_date), s["right"]),
            _pairs(letter.meta, width, s),
            Spacer(1, 4 * mm),
        ]
    if letter.to:
        story += [Paragraph("<br/>".join(text(line) for line in letter.to), s["base"])]
        story.append(Spacer(1, 4 * mm))
    for paragraph in letter.paragraphs:
        story += [Paragraph(text(paragraph), s["base"]), Spacer(1, 2 * mm)]
    if letter.details:
        story += [_pairs(letter.details, width - 10 * mm, s), Spacer(1, 3 * mm)]
        story[-2].hAlign = "CENTER"
    if letter.table_head:
        data = [[Paragraph(h, s["head"]) for h in letter.table_head]]
        data += [[Paragraph(text(cell), s["cell"]) for cell in row] for row in letter.table]
        rest = width - 10 * mm - 42 * mm
        table = Table(data, colWidths=[10 * mm, rest * 0.55, rest * 0.45, 42 * mm], repeatRows=1)
        table.setStyle(_grid_style(len(data), total_row=False))
        story += [table, Spacer(1, 3 * mm)]
    for paragraph in letter.closing:
        story += [Paragraph(text(paragraph), s["base"]), Spacer(1, 2 * mm)]
    signers = list(letter.signers)
    if signers and not letter.meta:
        signers[-1].place_date = letter.place_date
    row = signature_row(signers, width)
    if row is not None:
        story.append(row)
    return story


def letter_pdf(event: Event, letter) -> bytes:
    story = letter_story(event, letter, documents.frame_width())
    return documents.render(event, story, title=f"Surat {letter.number}")


def dokumentasi_story(event: Event, groups: list, width: float, *, with_kop: bool = True) -> list:
    """The photos of each session, two across, each with its caption; sessions without
    photos are left out."""
    s = documents.styles()
    story = [*(kop_surat(event, width) if with_kop else [])]
    story.append(Paragraph("DOKUMENTASI KEGIATAN", s["title"]))
    story.append(Paragraph(text(event.title), s["center"]))
    column = (width - 6 * mm) / 2
    for group in groups:
        if not group.photos:
            continue
        session = group.session
        story.append(Spacer(1, 4 * mm))
        story.append(
            Paragraph(
                f"<b>{text(session.title)}</b> · {format_day_id(session.local_day)}", s["base"]
            )
        )
        cells = []
        for photo in group.photos:
            content = files.read(photo.file_id)
            image = documents.fitted_image(content, column, 62 * mm)
            cells.append([image, Paragraph(text(photo.caption), s["small"])])
        rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        rows[-1] += [""] * (2 - len(rows[-1]))
        table = Table(rows, colWidths=[column + 3 * mm] * 2)
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), "Sans"),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                ]
            )
        )
        story.append(table)
    return story


def dokumentasi_pdf(event: Event, groups: list) -> bytes:
    story = dokumentasi_story(event, groups, documents.frame_width())
    return documents.render(event, story, title="Dokumentasi kegiatan")
