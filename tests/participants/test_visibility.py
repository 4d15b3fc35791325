"""Panitia never see NIK, NIP, phone or e-mail, and cannot read a NIK out through a search;
managers and administrators do see them (``participants.visibility``)."""

import subprocess

import pytest

from tests import factories
from tests.conftest import login

NIK = "6408011705900042"
PHONE = "081234567890"
#: as pages show it (bimtek.core.phones.phone_display)
PHONE_SHOWN = "0812-3456-7890"
EMAIL = "siti.aminah@contoh.id"
NIP = "199005172015032001"


@pytest.fixture
def person(event):
    return factories.make_participant(
        event, full_name="Siti Aminah", nik=NIK, phone=PHONE, email=EMAIL, nip=NIP
    )


def _shows_personal_data(text: str) -> bool:
    return any(value in text for value in (NIK, PHONE[1:], PHONE_SHOWN, EMAIL, NIP))


def test_panitia_list_hides_personal_data_and_matches_only_a_full_nik(
    client, panitia, manager, event, person
):
    url = f"/admin/kegiatan/{event.code}/peserta"
    login(client, panitia.email)
    page = client.get(url).get_data(as_text=True)
    assert "Siti Aminah" in page and not _shows_personal_data(page)
    assert "Siti Aminah" not in client.get(url, query_string={"q": NIK[:8]}).text
    assert "Siti Aminah" not in client.get(url, query_string={"q": PHONE[-6:]}).text
    found = client.get(url, query_string={"q": NIK}).get_data(as_text=True)
    assert "Siti Aminah" in found and PHONE_SHOWN not in found  # the NIK typed is echoed only

    client.post("/keluar")
    login(client, manager.email)
    page = client.get(url).get_data(as_text=True)
    assert PHONE_SHOWN in page
    assert "Siti Aminah" in client.get(url, query_string={"q": NIK[:8]}).text


def test_panitia_token_gets_no_personal_data(client, event, person, auth_headers, manager_headers):
    url = f"/api/v1/events/{event.code}/participants"
    body = client.get(url, headers=auth_headers).get_json()
    (row,) = body["participants"]
    assert row["full_name"] == "Siti Aminah"
    assert not {"nik", "nip", "phone", "email"} & set(row)
    assert not _shows_personal_data(client.get(url, headers=auth_headers).text)
    assert client.get(url, headers=auth_headers, query_string={"q": NIK[:10]}).json["total"] == 0
    assert client.get(url, headers=auth_headers, query_string={"q": NIK}).json["total"] == 1

    (full,) = client.get(url, headers=manager_headers).json["participants"]
    assert (full["nik"], full["email"], full["nip"]) == (NIK, EMAIL, NIP)
    assert full["phone"].endswith(PHONE[1:])
    assert client.get(url, headers=manager_headers, query_string={"q": NIK[:10]}).json["total"] == 1


def test_desk_search_matches_only_a_full_nik_for_panitia(panitia_client, event, person):
    session = event.sessions[0]
    url = f"/kegiatan/{event.code}/check-in/{session.id}/search"
    assert panitia_client.get(url, query_string={"q": NIK[:12]}).json["results"] == []
    answer = panitia_client.get(url, query_string={"q": NIK})
    assert answer.json["results"][0]["participant"]["full_name"] == "Siti Aminah"
    assert not _shows_personal_data(answer.get_data(as_text=True))


def test_attendance_answers_carry_no_personal_data(client, event, person, auth_headers):
    session = event.sessions[0]
    scan = client.post(
        f"/api/v1/sessions/{session.id}/checkins",
        json={"code": person.ticket_code},
        headers=auth_headers,
    )
    assert scan.status_code == 201 and not _shows_personal_data(scan.get_data(as_text=True))
    listing = client.get(f"/api/v1/sessions/{session.id}/attendance", headers=auth_headers)
    assert listing.status_code == 200 and not _shows_personal_data(listing.get_data(as_text=True))


def test_badges_and_sign_in_sheets_carry_no_personal_data(panitia_client, event, person):
    session = event.sessions[0]
    for url in (
        f"/kegiatan/{event.code}/kartu-peserta.pdf",
        f"/kegiatan/{event.code}/sesi/{session.id}/daftar-hadir.pdf",
    ):
        response = panitia_client.get(url)
        assert response.status_code == 200
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=response.data, capture_output=True, check=True
        ).stdout.decode()
        assert "Siti Aminah" in text.replace("\n", " ") and not _shows_personal_data(text)
