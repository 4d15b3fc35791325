"""Characters no text field takes, refused in one place for every form, query, URL part and
JSON body (``bimtek.core.inputs``), and in every spreadsheet row that is imported: C0
controls other than tab and line breaks, C1 controls (U+0080–U+009F), surrogates,
private-use and unassigned code points, noncharacters, and bidi embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069). A page listing such a text would be invalid HTML.
"""

import io
import re

import pytest

from bimtek.api.inputs import STORABLE_TEXT
from bimtek.assessments import excel
from bimtek.core.inputs import has_forbidden_text
from bimtek.participants.importing import preview_import
from bimtek.participants.models import Participant
from tests.assessments.test_excel import row, xlsx
from tests.core.test_bad_input import count, post_json, registrations
from tests.factories import registration_data
from tests.participants.sheets import person_row, xlsx_bytes

FORBIDDEN = {
    "C0": "Budi\x01",
    "DEL": "Budi\x7f",
    "C1 NEL": "Budi\x85Santoso",
    "C1 last": "Budi\x9f",
    "private use": "Budi\ue000",
    "private use plane 15": "Budi\U000f0001",
    "unassigned": "Budi\u0378",
    "noncharacter FDD0": "Budi\ufdd0",
    "noncharacter FFFF": "Budi\uffff",
    "noncharacter plane 1": "Budi\U0001fffe",
    "right-to-left override": "Budi\u202eirdua",
    "left-to-right embedding": "\u202aBudi",
    "first strong isolate": "Budi\u2068x\u2069",
}
ALLOWED = [
    "Dr. H. M. Agus Hari Kesuma, M.Si",
    "Andi Daeng Ma'ruf, S.IP",
    "Nur\u2019aini",
    "José Ñúñez",
    "محمد عبد الله",
    "王小明",
    "Baris satu\nbaris dua\r\nbaris tiga\tdengan tab",
    "👍 Terima kasih",
]


@pytest.mark.parametrize("text", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_forbidden_characters_are_found(text):
    assert has_forbidden_text(text)


@pytest.mark.parametrize("text", ALLOWED)
def test_names_in_any_script_and_line_breaks_are_allowed(text):
    assert not has_forbidden_text(text)


def test_a_long_text_is_checked_once_per_distinct_character():
    assert not has_forbidden_text("Budi Santoso é 中文 " * 50_000)
    assert has_forbidden_text("Budi Santoso é 中文 " * 50_000 + "\x85")


@pytest.mark.parametrize("field", ["full_name", "institution", "job_title", "district"])
@pytest.mark.parametrize("text", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_the_registration_api_refuses_them_naming_the_field(client, event, field, text):
    response = post_json(client, registrations(event), registration_data(**{field: text}))
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["code"] == "invalid_text" and field in error["fields"]
    assert count(Participant) == 0


@pytest.mark.parametrize("text", FORBIDDEN.values(), ids=FORBIDDEN.keys())
def test_the_registration_form_refuses_them_with_a_message(client, event, text):
    data = registration_data(full_name=text)
    data.update(password_confirm=data["password"], consent="y")
    response = client.post(f"/kegiatan/{event.code}/daftar", data=data)
    assert response.status_code == 422
    assert "karakter yang tidak diizinkan" in response.get_data(as_text=True)
    assert count(Participant) == 0


def test_the_message_is_in_english_on_the_english_page(client, event):
    client.post("/bahasa/en", data={})
    data = registration_data(full_name="Budi\x85")
    data.update(password_confirm=data["password"], consent="y")
    response = client.post(f"/kegiatan/{event.code}/daftar", data=data)
    assert response.status_code == 422
    assert "characters that are not allowed" in response.get_data(as_text=True)


def test_a_query_string_with_them_only_finds_nothing(admin_client, event):
    """A lookup is never stored: only NUL and surrogates are refused there."""
    response = admin_client.get(f"/admin/kegiatan/{event.code}/peserta?q=%C2%85")
    assert response.status_code == 200


def test_the_api_documents_what_a_pattern_can_say_of_the_rule():

    pattern = re.compile(STORABLE_TEXT)
    assert all(pattern.match(text) for text in ALLOWED)
    beyond = ("unassigned", "private use plane 15", "noncharacter plane 1")
    assert not any(pattern.match(text) for key, text in FORBIDDEN.items() if key not in beyond)


def test_a_textarea_keeps_its_line_breaks(client, event):
    response = post_json(client, registrations(event), registration_data(district="Sangatta\r\n"))
    assert response.status_code == 201, response.get_data(as_text=True)


@pytest.mark.parametrize(
    "text", [FORBIDDEN["C1 NEL"], FORBIDDEN["private use"], FORBIDDEN["right-to-left override"]]
)
def test_an_imported_row_with_them_is_refused_row_by_row(app, event, text):
    data = xlsx_bytes([person_row(), person_row(full_name=text), person_row(job_title=text)])
    report = preview_import(event, data)
    assert [row.ok for row in report.rows] == [True, False, False]
    problems = [(row.number, [p.field for p in row.problems]) for row in report.invalid]
    assert [fields for _number, fields in problems] == [["full_name"], ["job_title"]]
    assert all(
        "karakter yang tidak diizinkan" in p.message for row in report.invalid for p in row.problems
    )


def test_an_imported_question_with_them_is_refused_row_by_row(app, event):
    data = xlsx(
        [
            row(),
            row(Pertanyaan="Soal \u202ekedua"),
            row(Pertanyaan="Soal ketiga", Opsi_A="Sa\x85tu"),
        ]
    )
    report, valid = excel.parse_questions(event, data)
    assert len(valid) == 1
    assert sorted((p.row, p.column) for p in report.problems) == [(3, "Pertanyaan"), (4, "Opsi A")]
    assert all("karakter yang tidak diizinkan" in p.reason for p in report.problems)


def test_an_uploaded_files_name_with_them_is_refused(admin_client, event):
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/impor",
        data={"berkas": (io.BytesIO(xlsx_bytes([person_row()])), "peserta\u202exslx.exe")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
