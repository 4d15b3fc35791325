"""The evaluation in the API, the export workbook, and the certificate download rule:
the same figures everywhere."""

import io

import openpyxl

from bimtek.auth.services import issue_api_token
from bimtek.certificates import issuing
from bimtek.evaluation import services
from bimtek.evaluation.models import ORGANIZER_PART
from bimtek.extensions import db
from bimtek.reports import exports
from tests import factories
from tests.certificates.conftest import qualify, sign
from tests.conftest import login
from tests.evaluation.conftest import fill, fill_all
from tests.reports.conftest import rows_of


def _rated(event, values=(4, 4, 3, 3, 2)):
    people = [factories.make_participant(event) for _ in values]
    for person, value in zip(people, values, strict=True):
        fill(person, ORGANIZER_PART, value=value, comment=f"Saran {value}")
    return people


def _token(user) -> dict:
    _row, plain = issue_api_token(user, "uji")
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_api_report_for_the_manager_only(client, rated_event):
    _rated(rated_event)
    manager = factories.make_staff("manager", event=rated_event)
    panitia = factories.make_staff("panitia", event=rated_event)
    stranger = factories.make_staff("manager", event=factories.make_event("LAIN24"))
    url = f"/api/v1/events/{rated_event.code}/evaluation"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=_token(panitia)).status_code == 403
    assert client.get(url, headers=_token(stranger)).status_code == 404
    response = client.get(url, headers=_token(manager))
    assert response.status_code == 200
    organizer = response.json["organizer"]
    assert organizer["respondents"] == 5 and organizer["shown"] is True
    assert organizer["overall"]["index"] == 80.0 and organizer["overall"]["category"] == "baik"
    assert organizer["items"][0]["distribution"] == {"1": 0, "2": 1, "3": 2, "4": 2}
    assert organizer["comments"] == [f"Saran {v}" for v in (2, 3, 3, 4, 4)]
    assert [s["shown"] for s in response.json["speakers"]] == [False, False]
    assert "/events/{code}/evaluation" in client.get("/api/v1/openapi.json").json["paths"]


def test_export_sheet_has_the_same_figures(rated_event):
    _rated(rated_event)
    content, _name = exports.export_workbook(rated_event, "evaluasi")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Evaluasi", "Saran evaluasi"]
    rows = rows_of(book["Evaluasi"])
    speakers = [row for row in rows if row[0] != "Penyelenggara"]
    assert [row[4] for row in speakers] == ["(kurang dari 5 responden)"] * 2
    overall = next(row for row in rows if row[4] == "Keseluruhan")
    assert overall[2] == 5 and overall[5] == 3.2 and overall[6] == 80 and overall[7] == "Baik"
    assert overall[8:12] == [0, 6, 12, 12]
    assert len(rows_of(book["Saran evaluasi"])) == 5
    everything, _name = exports.export_workbook(rated_event, "semua")
    assert "Evaluasi" in openpyxl.load_workbook(io.BytesIO(everything)).sheetnames


def test_certificate_download_waits_for_the_evaluation_when_required(client, rated_event, admin):
    person = factories.make_participant(rated_event)
    sign(rated_event)
    qualify(rated_event, person)
    issuing.issue(person, actor=admin)
    db.session.commit()
    login(client, person.nik)
    url = f"/portal/peserta/{person.id}/sertifikat.pdf"
    assert client.get(url).status_code == 200  # off by default
    services.update_settings(
        rated_event,
        {
            "required_for_certificate": "1",
            "very_good_from": "88.31",
            "good_from": "76.61",
            "fair_from": "65",
        },
        actor=admin,
    )
    db.session.commit()
    blocked = client.get(url)
    assert blocked.status_code == 302
    assert blocked.headers["Location"].endswith(f"/portal/peserta/{person.id}/evaluasi")
    fill_all(person)
    assert client.get(url).status_code == 200
