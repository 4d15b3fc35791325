"""The reports API: summary, export workbooks, imports (dry run and real)."""

import io

import openpyxl

from bimtek.core.spreadsheets import XLSX_MIMETYPE
from tests.participants.sheets import person_row, xlsx_bytes


def test_summary(client, busy_event, auth_headers, admin_headers):
    # a panitia token of another event does not learn the event exists
    response = client.get("/api/v1/events/RAMAI/summary", headers=auth_headers)
    assert response.status_code == 404 and response.json["error"]["code"] == "unknown_event"
    response = client.get("/api/v1/events/RAMAI/summary", headers=admin_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["counts"] == {"registered": 3, "waitlisted": 1, "cancelled": 0}
    assert [s["counts"]["checked_in"] for s in body["sessions"]] == [2, 1]
    assert body["assessments"]["mean_pre"] == 50 and body["certificates"]["issued"] == 1
    assert client.get("/api/v1/events/RAMAI/summary").status_code == 401


def test_export_needs_an_admin_token(client, event, auth_headers, admin_headers):
    url = "/api/v1/events/UJI24/exports/peserta.xlsx"
    assert client.get(url, headers=auth_headers).status_code == 403  # panitia
    response = client.get(url, headers=admin_headers)
    assert response.status_code == 200 and response.mimetype == XLSX_MIMETYPE
    assert openpyxl.load_workbook(io.BytesIO(response.data)).sheetnames == ["Peserta"]
    assert response.headers["Cache-Control"] == "no-store"  # personal data: never cached
    missing = client.get("/api/v1/events/UJI24/exports/x.xlsx", headers=admin_headers)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "unknown_export"


def test_import_dry_run_then_real(client, event, admin_headers):
    data = xlsx_bytes([person_row(full_name="Andi"), person_row(phone="1")])
    dry = client.post(
        "/api/v1/events/UJI24/imports?dry_run=1",
        data=data,
        headers={**admin_headers, "Content-Type": XLSX_MIMETYPE},
    )
    assert dry.status_code == 200
    body = dry.get_json()
    assert (body["rows"], body["valid"], body["invalid"]) == (2, 1, 1)
    assert body["problems"] == [
        {
            "row": 3,
            "field": "phone",
            "column": "H (Nomor HP)",
            "message": "Nomor HP harus nomor seluler (diawali 08 atau +628).",
        }
    ]
    assert "imported" not in body
    real = client.post(
        "/api/v1/events/UJI24/imports",
        data={"file": (io.BytesIO(data), "kpu.xlsx")},
        headers=admin_headers,
        content_type="multipart/form-data",
    )
    assert real.status_code == 201
    assert real.get_json()["imported"] == {"registered": 1, "waitlisted": 0}


def test_import_bad_file_and_too_large(app, client, event, admin_headers):
    bad = client.post("/api/v1/events/UJI24/imports", data=b"a,b\n", headers=admin_headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "bad_file"
    app.config["IMPORT_MAX_BYTES"] = 1000
    big = client.post("/api/v1/events/UJI24/imports", data=b"PK" * 600, headers=admin_headers)
    assert big.status_code == 413 and big.get_json()["error"]["code"] == "too_large"


def test_openapi_lists_the_reports_paths(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/events/{code}/summary", "/events/{code}/imports"} <= set(paths)
