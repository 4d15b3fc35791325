"""The import preview shows the words people read for stored codes, not the codes."""

from tests.participants.sheets import person_row, xlsx_bytes
from tests.reports.test_import_views import upload


def test_preview_shows_labels_not_codes(admin_client, event):
    rows = [
        person_row(full_name="Andi", institution_category="TNI", gender="L"),
        person_row(full_name="Budi", institution_category="Kecamatan/Desa", phone="12"),
        person_row(full_name="Citra", institution_category="Polri", gender="P", nik="1"),
    ]
    preview_url = upload(admin_client, xlsx_bytes(rows)).headers["Location"]
    html = admin_client.get(preview_url).get_data(as_text=True)
    for code in (">tni<", ">kecamatan_desa<", ">polri<", ">L<", ">P<"):
        assert code not in html
    assert ">TNI<" in html and ">Kecamatan/Desa<" in html and ">Polri<" in html
    assert ">Laki-laki<" in html and ">Perempuan<" in html
