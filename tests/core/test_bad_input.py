"""Bad input has a defined answer: a 4xx with a stable code, and nothing stored.

JSON (the API and the check-in desk): lone surrogates, NUL, deep nesting, malformed JSON,
wrong types per field, numbers out of range. Forms: NUL and a surrogate's bytes, and every
number a form takes beyond its column's range.
"""

import io
import json

import pytest
import sqlalchemy as sa

from bimtek.certificates.models import Signatory
from bimtek.events.models import Event, Module
from bimtek.extensions import db
from bimtek.participants.models import Participant
from tests.conftest import login
from tests.factories import PASSWORD, make_participant, registration_data
from tests.participants.sheets import person_row, xlsx_bytes

HUGE = 10**20
TEXT_FIELDS = (
    "full_name",
    "nik",
    "nip",
    "gender",
    "institution",
    "institution_category",
    "job_title",
    "phone",
    "email",
    "district",
    "password",
)


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def post_json(client, url, body, **kwargs):
    """POST a JSON text as written (json.dumps writes a lone surrogate as \\ud800)."""
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(url, data=data, content_type="application/json", **kwargs)


def registrations(event) -> str:
    return f"/api/v1/events/{event.code}/registrations"


# --- the registration API -----------------------------------------------------------------


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("bad", ["Budi \ud800", "\udfff", "Budi\x00", "\x00"])
def test_surrogates_and_nul_in_any_string_are_refused(client, event, field, bad):
    response = post_json(client, registrations(event), registration_data(**{field: bad}))
    assert response.status_code == 422, response.get_data(as_text=True)
    error = response.json["error"]
    assert error["code"] == "invalid_text" and field in error["fields"]
    assert count(Participant) == 0


def test_a_surrogate_in_a_key_or_deeper_is_refused(client, event):
    for body in (
        {**registration_data(), "\ud800": "x"},
        {**registration_data(), "extra": {"deeper": ["\x00"]}},
    ):
        response = post_json(client, registrations(event), body)
        assert response.status_code == 422 and response.json["error"]["code"] == "invalid_text"
    assert count(Participant) == 0


@pytest.mark.parametrize("field", TEXT_FIELDS)
@pytest.mark.parametrize("bad", [{"x": "y"}, ["a"], 5, 1.5, True])
def test_a_value_of_the_wrong_type_is_a_422_naming_the_field(client, event, field, bad):
    response = post_json(client, registrations(event), registration_data(**{field: bad}))
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "wrong_type" and list(error["fields"]) == [field]
    assert count(Participant) == 0


def test_null_is_an_absent_field_not_a_type_error(client, event):
    response = post_json(client, registrations(event), registration_data(nip=None, email=None))
    assert response.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        "[" * 2000 + "]" * 2000,
        '{"full_name": ' + "[" * 2000 + "]" * 2000 + "}",
        '{"a": ' + '{"b": ' * 3000,  # unclosed as well
        "[" * 21 + "]" * 21,
    ],
)
def test_deep_nesting_is_refused_before_parsing(client, event, body):
    response = post_json(client, registrations(event), body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "json_too_deep"


def test_nesting_within_the_limit_is_parsed(client, event):
    body = json.dumps({**registration_data(), "extra": [[[[["x"]]]]]})
    response = post_json(client, registrations(event), body)
    # parsed, then its schema names the field it does not take (not json_too_deep)
    assert response.status_code == 422 and set(response.json["error"]["fields"]) == {"extra"}
    brackets_in_text = {**registration_data(), "district": "[" * 50}
    response = post_json(client, registrations(event), brackets_in_text)
    assert response.status_code == 201  # brackets inside a string are text


@pytest.mark.parametrize(
    "body", ["not json", '{"full_name": ', b"\xff\xfe\x00{", '{"a": 1}}', '"\\ud800']
)
def test_malformed_json_is_a_400(client, event, body):
    response = post_json(client, registrations(event), body)
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"
    assert count(Participant) == 0


def test_a_body_over_the_json_limit_is_refused(app, client, event):
    app.config["JSON_MAX_BYTES"] = 1000
    response = post_json(client, registrations(event), {**registration_data(), "x": "a" * 2000})
    assert response.status_code == 413 and response.json["error"]["code"] == "too_large"


# --- the check-in API ---------------------------------------------------------------------


@pytest.fixture
def session_url(event):
    return f"/api/v1/sessions/{event.sessions[0].id}"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"code": {"x": "y"}}, "code"),
        ({"code": ["A"]}, "code"),
        ({"code": 12345}, "code"),
        ({"code": "ABC", "scan_id": 5}, "scan_id"),
        ({"code": "ABC", "scanned_at": [2024]}, "scanned_at"),
    ],
)
def test_checkin_wrong_types(client, event, auth_headers, session_url, body, field):
    response = post_json(client, session_url + "/checkins", body, headers=auth_headers)
    assert response.status_code == 422
    assert response.json["error"]["code"] == "wrong_type"
    assert list(response.json["error"]["fields"]) == [field]


def test_checkin_bad_text_and_depth(client, event, auth_headers, session_url):
    url = session_url + "/checkins"
    bad = post_json(client, url, {"code": "\ud800"}, headers=auth_headers)
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_text"
    deep = post_json(client, url, "[" * 2000 + "]" * 2000, headers=auth_headers)
    assert deep.status_code == 400 and deep.json["error"]["code"] == "json_too_deep"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"participant_id": True, "status": "izin", "note": "x"}, 422, "wrong_type"),
        ({"participant_id": "1", "status": "izin", "note": "x"}, 422, "wrong_type"),
        ({"participant_id": 1.5, "status": "izin", "note": "x"}, 422, "wrong_type"),
        ({"participant_id": 1, "status": 5, "note": "x"}, 422, "wrong_type"),
        ({"participant_id": 1, "status": "izin", "note": {"x": "y"}}, 422, "wrong_type"),
        ({"participant_id": HUGE, "status": "izin", "note": "x"}, 404, "unknown_participant"),
        ({"participant_id": -HUGE, "status": "izin", "note": "x"}, 404, "unknown_participant"),
    ],
)
def test_excuse_types_and_ranges(client, event, auth_headers, session_url, body, status, code):
    make_participant(event)
    response = post_json(client, session_url + "/excuses", body, headers=auth_headers)
    assert response.status_code == status
    assert response.json["error"]["code"] == code


def test_ids_in_the_path_beyond_any_column(client, event, auth_headers):
    huge = f"/api/v1/sessions/{HUGE}"
    response = post_json(client, huge + "/checkins", {"code": "ABC"}, headers=auth_headers)
    assert response.status_code == 404
    response = client.delete(f"{huge}/checkins/{HUGE}", headers=auth_headers)
    assert response.status_code == 404
    response = client.get(f"{huge}/attendance", headers=auth_headers)
    assert response.status_code == 404


def test_query_numbers_and_text(client, event, auth_headers):
    url = f"/api/v1/events/{event.code}/participants"
    response = client.get(f"{url}?page={HUGE}&per_page=-{HUGE}", headers=auth_headers)
    assert response.status_code == 422  # the documented minimum and maximum, enforced
    assert set(response.json["error"]["fields"]) == {"page", "per_page"}
    response = client.get(f"{url}?q=%00", headers=auth_headers)
    assert response.status_code == 422 and response.json["error"]["code"] == "invalid_text"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nik", "²" * 16),  # str.isdigit() says yes, int() says no: a 500 before
        ("nik", "٦٤٠٨٠١١٧٠٥٩٠٠٠٠١"),  # Arabic-Indic digits: int() reads them
        ("phone", "08" + "²" * 10),
        ("nip", "١" * 18),
    ],
)
def test_digits_other_than_0_to_9_are_refused(client, event, field, value):
    response = post_json(client, registrations(event), registration_data(**{field: value}))
    assert response.status_code == 422 and field in response.json["error"]["fields"]
    assert count(Participant) == 0


def test_search_with_other_digits(admin_client, event):
    assert admin_client.get(f"/admin/kegiatan/{event.code}/peserta?q=UJI24-²").status_code == 200


def test_nul_in_a_url_part_is_refused(client, event):
    assert client.get("/api/v1/events/UJI%0024").status_code == 422
    assert client.get("/kegiatan/UJI%0024").status_code == 422
    assert client.get("/tiket/%00").status_code == 422


# --- the check-in desk (JSON from the page) -----------------------------------------------


def test_desk_json_is_checked_the_same_way(panitia_client, event):
    url = f"/kegiatan/{event.code}/check-in/{event.sessions[0].id}"
    deep = post_json(panitia_client, url + "/scan", "[" * 2000 + "]" * 2000)
    assert deep.status_code == 400 and deep.json["error"]["code"] == "json_too_deep"
    bad = post_json(panitia_client, url + "/scan", {"code": "\ud800"})
    assert bad.status_code == 422 and bad.json["error"]["code"] == "invalid_text"
    wrong = post_json(panitia_client, url + "/excuse", {"participant_id": 1, "note": ["x"]})
    assert wrong.status_code == 422 and wrong.json["error"]["code"] == "wrong_type"
    huge = post_json(panitia_client, url + "/undo", {"participant_id": HUGE})
    assert huge.status_code == 404


# --- forms --------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["full_name", "institution", "job_title", "phone", "nik"])
def test_nul_in_the_registration_form_is_refused(client, event, field):
    data = registration_data(password_confirm=PASSWORD)
    data[field] = data[field] + "\x00"
    response = client.post(f"/kegiatan/{event.code}/daftar", data=data)
    assert response.status_code == 422
    assert "karakter yang tidak diizinkan" in response.get_data(as_text=True)
    assert count(Participant) == 0


def test_a_surrogates_bytes_in_the_registration_form_never_500(client, event):
    data = registration_data(password_confirm=PASSWORD)
    body = "&".join(f"{k}={v}" for k, v in data.items() if k != "full_name")
    response = client.post(
        f"/kegiatan/{event.code}/daftar",
        data=body + "&full_name=Budi%ED%A0%80",  # a surrogate's UTF-8 bytes: not UTF-8
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (302, 422)
    for name in db.session.scalars(sa.select(Participant.full_name)):
        assert "\ud800" not in name


def test_nul_in_admin_forms_is_refused(admin_client, event):
    base = f"/admin/kegiatan/{event.code}"
    assert admin_client.post(base + "/ubah", data={"title": "Bimtek\x00"}).status_code == 422
    module = {"code": "M9", "title": "Materi\x00", "jp": "2"}
    assert admin_client.post(base + "/materi/baru", data=module).status_code == 422
    signatory = {"name": "H. Ardiansyah\x00"}
    response = admin_client.post(base + "/sertifikat/pengaturan/penanda-tangan", data=signatory)
    assert response.status_code == 422
    assert count(Module) == 1 and count(Signatory) == 0
    assert admin_client.get(base + "/peserta?q=%00").status_code == 422


def test_nul_in_an_uploaded_files_name_is_refused(admin_client, event):

    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/impor",
        data={"berkas": (io.BytesIO(xlsx_bytes([person_row()])), "peserta\x00.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "karakter yang tidak diizinkan" in response.get_data(as_text=True)


EVENT_FORM = {
    "code": "UJI24",
    "title": "Bimtek Uji",
    "start_date": "2026-01-05",
    "end_date": "2026-01-08",
    "capacity": "40",
    "minutes_per_jp": "45",
    "late_grace_minutes": "15",
    "timezone": "Asia/Makassar",
    "published": "1",
}


@pytest.mark.parametrize("field", ["capacity", "minutes_per_jp", "late_grace_minutes"])
@pytest.mark.parametrize("value", [str(HUGE), str(-HUGE), "1e20", "9" * 5000])
def test_event_numbers_beyond_range(admin_client, event, field, value):
    response = admin_client.post(
        f"/admin/kegiatan/{event.code}/ubah", data={**EVENT_FORM, field: value}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 400


@pytest.mark.parametrize("field", ["jp", "position"])
def test_module_numbers_beyond_range(admin_client, event, field):
    data = {"code": "M9", "title": "Materi", "jp": "2", "position": "1", field: str(HUGE)}
    response = admin_client.post(f"/admin/kegiatan/{event.code}/materi/baru", data=data)
    assert response.status_code == 422 and count(Module) == 1


def test_session_module_id_beyond_range(admin_client, event):
    data = {
        "module_id": str(HUGE),
        "title": "Sesi",
        "day": event.start_date.isoformat(),
        "start_time": "13:00",
        "end_time": "14:00",
    }
    response = admin_client.post(f"/admin/kegiatan/{event.code}/sesi/baru", data=data)
    assert response.status_code == 422


@pytest.mark.parametrize("value", [str(HUGE), str(-HUGE), "1e20", "abc"])
def test_signatory_position_beyond_range(admin_client, event, value):
    url = f"/admin/kegiatan/{event.code}/sertifikat/pengaturan/penanda-tangan"
    response = admin_client.post(url, data={"name": "H. Ardiansyah", "position": value})
    assert response.status_code == 302  # back to the settings, with the message
    assert count(Signatory) == 0
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Urutan" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("min_attendance_percent", str(HUGE)),
        ("min_post_score", "1e400"),
        ("min_post_score", "nan"),
        ("min_post_score", str(HUGE)),
    ],
)
def test_certificate_settings_numbers_beyond_range(admin_client, event, field, value):
    url = f"/admin/kegiatan/{event.code}/sertifikat/pengaturan"
    response = admin_client.post(url, data={field: value, "number_format": "{seq}"})
    assert response.status_code == 422


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("duration_minutes", str(HUGE)),
        ("duration_minutes", "-1"),
        ("questions_per_module", str(HUGE)),
    ],
)
def test_assessment_settings_numbers_beyond_range(admin_client, event, field, value):
    data = {"duration_minutes": "30", field: value}
    response = admin_client.post(f"/admin/kegiatan/{event.code}/tes/pengaturan/pre", data=data)
    assert response.status_code == 422


def test_import_confirm_with_a_huge_row_count(admin_client, event):
    url = f"/admin/kegiatan/{event.code}/impor/{'x' * 32}/simpan"
    assert admin_client.post(url, data={"valid_rows": str(HUGE)}).status_code == 404


def test_participant_login_with_a_nul_is_refused(client, event):
    person = make_participant(event)
    response = client.post("/masuk", data={"identifier": person.nik + "\x00", "password": "x"})
    assert response.status_code == 422
    login(client, person.nik)
