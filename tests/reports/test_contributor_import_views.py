"""The team page's import: template, upload, preview, confirm or discard (managers only)."""

import io
import re

import openpyxl
import sqlalchemy as sa

from bimtek.events.contributors import contributors_of
from bimtek.events.models import Contributor
from bimtek.extensions import db
from tests.certificates.test_concurrency import _run_together
from tests.conftest import login, requires_postgres
from tests.events.test_contributor_import import team_xlsx
from tests.participants.sheets import person_row, xlsx_bytes

TEAM = "/admin/kegiatan/UJI24/tim"


def upload(client, data: bytes, name="tim.xlsx"):
    return client.post(
        f"{TEAM}/impor",
        data={"berkas": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def count():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Contributor))


ROWS = [
    ["narasumber", "Dr. Ahmad Fauzi, M.Si", "Kesbangpol", "197505172000031001", "a@x.go.id", "M1"],
    ["panitia", "Rina Wati", "Smart Academy", "", "", ""],
    ["moderator", "Siti", "", "", "", "M7"],
]


def test_manager_uploads_previews_and_confirms(manager_client, event):
    page = manager_client.get(TEAM).get_data(as_text=True)
    assert 'id="team-import-form"' in page and "Unduh templat (.xlsx)" in page
    response = upload(manager_client, team_xlsx(ROWS))
    assert response.status_code == 303
    preview_url = response.headers["Location"]
    assert re.search(r"/admin/kegiatan/UJI24/tim/impor/[A-Za-z0-9_-]{32}$", preview_url)
    html = manager_client.get(preview_url).get_data(as_text=True)
    assert 'id="valid-count">2<' in html and 'id="invalid-count">1<' in html
    assert "Tambahkan 2 orang" in html and "F (Materi)" in html and "&#39;M7&#39; tidak ada" in html
    assert "197505172000031001" in html and "a@x.go.id" in html  # managers see them
    assert count() == 0

    done = manager_client.post(preview_url + "/simpan", data={"valid_rows": "2"})
    assert done.status_code == 303 and done.headers["Location"].endswith(TEAM)
    assert sorted(c.name for c in contributors_of(event)) == ["Dr. Ahmad Fauzi, M.Si", "Rina Wati"]
    listing = manager_client.get(TEAM).get_data(as_text=True)
    assert "2 orang ditambahkan dari tim.xlsx; 1 baris bermasalah dilewati." in listing
    again = manager_client.post(preview_url + "/simpan", data={"valid_rows": "2"})
    assert again.status_code == 404 and count() == 2


def test_discard_and_a_changed_file_write_nothing(manager_client, event):
    preview_url = upload(manager_client, team_xlsx(ROWS)).headers["Location"]
    changed = manager_client.post(preview_url + "/simpan", data={"valid_rows": "5"})
    assert changed.headers["Location"].endswith(preview_url.replace("http://localhost", ""))
    assert count() == 0
    gone = manager_client.post(preview_url + "/batal", follow_redirects=True)
    assert "Impor dibatalkan; tidak ada yang ditambahkan." in gone.get_data(as_text=True)
    assert count() == 0 and manager_client.get(preview_url).status_code == 404


def test_files_that_cannot_be_used_are_explained_in_indonesian(app, manager_client, event):
    for data, name, words in (
        (b"nama;peran\nAndi;panitia\n", "tim.csv", "bukan .xlsx"),
        (team_xlsx([], header=None), "tim.xlsx", "Lembar kerja kosong"),
        (team_xlsx([]), "tim.xlsx", "Tidak ada baris di bawah baris judul"),
    ):
        response = upload(manager_client, data, name)
        assert response.status_code == 303 and response.headers["Location"].endswith(TEAM)
        page = manager_client.get(TEAM).get_data(as_text=True)
        assert words in page, words
    app.config["CONTRIBUTOR_IMPORT_MAX_BYTES"] = 2000
    response = upload(manager_client, team_xlsx(ROWS * 20))
    page = manager_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Berkas terlalu besar" in page and "narasumber, moderator &amp; panitia" in page
    response = upload(manager_client, b"x" * 200_000)  # refused by its declared length
    page = manager_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Berkas terlalu besar" in page
    assert count() == 0


def test_panitia_may_not_import_nor_see_the_list(panitia_client, event):
    assert panitia_client.get(TEAM).status_code == 403
    assert panitia_client.get(f"{TEAM}/impor/templat.xlsx").status_code == 403
    assert upload(panitia_client, team_xlsx(ROWS)).status_code == 403
    assert count() == 0


def test_the_downloaded_template_filled_in_is_imported(manager_client, event):
    response = manager_client.get(f"{TEAM}/impor/templat.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert [c.value for c in book["Tim"][1]] == [
        "Peran *",
        "Nama lengkap *",
        "Instansi",
        "NIP",
        "Email",
        "Materi",
    ]
    sheet = book["Tim"]
    for column, value in enumerate(["panitia", "Rina Wati", "", "198001012005011002"], 1):
        sheet.cell(2, column, value)
    for column, value in enumerate(["narasumber", "Dr. Ahmad", "", "", "", "1"], 1):
        sheet.cell(3, column, value)
    out = io.BytesIO()
    book.save(out)
    preview_url = upload(manager_client, out.getvalue()).headers["Location"]
    html = manager_client.get(preview_url).get_data(as_text=True)
    assert 'id="valid-count">2<' in html and 'id="invalid-count">0<' in html
    manager_client.post(preview_url + "/simpan", data={"valid_rows": "2"})
    names = {c.name: c for c in contributors_of(event)}
    assert set(names) == {"Rina Wati", "Dr. Ahmad"}
    assert names["Rina Wati"].nip == "198001012005011002"
    assert names["Dr. Ahmad"].module.code == "M1"


@requires_postgres
def test_a_double_click_on_confirm_imports_once(app, manager_client, manager, event):
    """Two confirms of one upload at once (a double click, two tabs): the first takes the
    upload, the second finds it gone and adds nobody."""
    preview_url = upload(manager_client, team_xlsx(ROWS)).headers["Location"]
    second = app.test_client()
    login(second, manager.email)
    answers = []

    def confirm(client):
        return lambda: answers.append(
            client.post(preview_url + "/simpan", data={"valid_rows": "2"}).status_code
        )

    for _ in range(3):  # the two may or may not overlap: three tries
        errors = _run_together(app, [confirm(manager_client), confirm(second)])
        assert errors == []
        db.session.expire_all()
        assert count() == 2, answers
        assert sorted(answers) in ([303, 303], [303, 404]), answers  # the second: gone
        answers.clear()
        db.session.execute(sa.delete(Contributor))
        db.session.commit()
        preview_url = upload(manager_client, team_xlsx(ROWS)).headers["Location"]


def test_an_upload_opens_only_on_the_import_it_was_made_for(manager_client, event):
    """A participant list's preview token is no team upload, and the other way round."""
    team = upload(manager_client, team_xlsx(ROWS)).headers["Location"]
    team_token = team.rsplit("/", 1)[1]
    people = manager_client.post(
        "/admin/kegiatan/UJI24/impor",
        data={"berkas": (io.BytesIO(xlsx_bytes([person_row()])), "peserta.xlsx")},
        content_type="multipart/form-data",
    )
    assert people.status_code in (302, 303), people.get_data(as_text=True)[:300]
    people_token = people.headers["Location"].rsplit("/", 1)[1]
    assert manager_client.get(f"{TEAM}/impor/{people_token}").status_code == 404
    assert manager_client.post(f"{TEAM}/impor/{people_token}/simpan").status_code == 404
    assert manager_client.get(f"/admin/kegiatan/UJI24/impor/{team_token}").status_code == 404
    assert manager_client.get(team).status_code == 200
    assert count() == 0
