"""The participant import template (.xlsx): header, an example row, drop-down lists, the
digit columns formatted as text so that Excel never turns a NIK into 6.40801E+15."""

import io

from flask_babel import gettext as _

from bimtek.core.xlsx_writer import ACCENT, new_workbook
from bimtek.participants.models import GENDERS, INSTITUTION_CATEGORIES
from bimtek.participants.sheet import (
    COLUMNS,
    DIGIT_FIELDS,
    EXAMPLE_MARK,
    import_max_rows,
    thousands,
)

#: the example row (row 2), left out by the reader because its name starts with EXAMPLE_MARK
EXAMPLE = {
    "full_name": EXAMPLE_MARK + " Dr. H. Ahmad Fauzi, M.Si",
    "nik": "6408011705900001",
    "nip": "199005172015031001",
    "gender": "Laki-laki",
    "institution": "KPU Kabupaten Kutai Timur",
    "institution_category": "KPU",
    "job_title": "Anggota PPK",
    "phone": "081234567890",
    "email": "ahmad.fauzi@example.go.id",
    "district": "Sangatta Utara",
    "class_name": "Kelas A",
}
#: rows formatted as text below the header in the digit columns (the whole column is too)
TEXT_ROWS = 1000


def participant_template() -> bytes:
    """The import template: header, an example row, drop-down lists, digit columns as text."""
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    header = book.add_format(
        {"bold": True, "font_color": "#FFFFFF", "bg_color": ACCENT, "valign": "vcenter"}
    )
    example = book.add_format({"italic": True, "font_color": "#7A8582"})
    example_text = book.add_format({"italic": True, "font_color": "#7A8582", "num_format": "@"})
    text = book.add_format({"num_format": "@"})
    title = book.add_format({"bold": True, "font_size": 14})

    sheet = book.add_worksheet(_("Peserta"))
    lists = book.add_worksheet(_("Pilihan"))
    notes = book.add_worksheet(_("Petunjuk"))
    lists.hide()
    categories = list(INSTITUTION_CATEGORIES.values())
    genders = list(GENDERS.values())
    lists.write_column(0, 0, categories)
    lists.write_column(0, 1, genders)

    max_rows = import_max_rows()
    last = max_rows  # 0-based index of the last data row (row max_rows + 1 in Excel)
    fields = [column.field for column in COLUMNS]
    for index, column in enumerate(COLUMNS):
        digits = column.field in DIGIT_FIELDS
        sheet.set_column(index, index, column.width, text if digits else None)
        sheet.write_string(0, index, str(column.label) + (" *" if column.required else ""), header)
        sheet.write_string(1, index, EXAMPLE[column.field], example_text if digits else example)
        if digits:
            for row in range(2, min(last, TEXT_ROWS) + 1):
                sheet.write_blank(row, index, None, text)
    sheet.freeze_panes(1, 0)
    lists_name = _("Pilihan")
    if not lists_name.isalnum():
        lists_name = "'" + lists_name.replace("'", "''") + "'"
    for field_name, count, letter, label in (
        (
            "institution_category",
            len(categories),
            "A",
            COLUMNS[fields.index("institution_category")].label,
        ),
        ("gender", len(genders), "B", COLUMNS[fields.index("gender")].label),
    ):
        index = fields.index(field_name)
        sheet.data_validation(
            1,
            index,
            last,
            index,
            {
                "validate": "list",
                "source": f"={lists_name}!${letter}$1:${letter}${count}",
                "ignore_blank": True,
                "error_title": str(label),
                "error_message": _("Pilih dari daftar."),
                "input_title": str(label),
                "input_message": _("Pilih dari daftar."),
            },
        )
    lines = (
        _("Petunjuk pengisian daftar peserta"),
        "",
        _(
            "1. Isi satu peserta per baris pada lembar '%(sheet)s', mulai baris 3.",
            sheet=_("Peserta"),
        ),
        _(
            "2. Baris 2 adalah contoh (nama diawali '%(mark)s') dan tidak ikut diimpor; boleh "
            "dihapus.",
            mark=EXAMPLE_MARK,
        ),
        _("3. Kolom bertanda * wajib diisi. NIP, Email dan Kecamatan asal boleh kosong."),
        _("4. NIK 16 digit dan NIP 18 digit ditulis sebagai teks (kolomnya sudah diformat Teks)."),
        _("5. Nomor HP: 08… atau +62…."),
        _("6. Kategori instansi dan Jenis kelamin dipilih dari daftar."),
        _("7. Paling banyak %(n)s peserta per berkas.", n=thousands(max_rows)),
        _(
            "8. Kelas boleh kosong; bila diisi, tulis nama kelas persis seperti di halaman "
            "Kelas kegiatan (mis. Kelas A)."
        ),
    )
    notes.set_column(0, 0, 100)
    for number, line in enumerate(lines):
        notes.write_string(number, 0, line, title if number == 0 else None)
    book.close()
    return buffer.getvalue()
