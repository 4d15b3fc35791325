"""Links written into a downloaded export point at the address the organizer uses when
PUBLIC_BASE_URL is not set: the view passes it; the export itself never reads the request."""

import io

import openpyxl

from tests.factories import PASSWORD

HOST = "http://kutim.example"


def _register_links(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Register sertifikat"]
    return [row[-1] for row in sheet.iter_rows(min_row=5, values_only=True) if row[-1]]


def test_page_export_links_use_the_address_in_use(app, client, admin, busy_event):
    app.config["PUBLIC_BASE_URL"] = None
    client.post("/masuk", data={"identifier": admin.email, "password": PASSWORD}, base_url=HOST)
    answer = client.get(f"/admin/kegiatan/{busy_event.code}/ekspor/sertifikat.xlsx", base_url=HOST)
    assert answer.status_code == 200, answer.headers.get("Location")
    links = _register_links(answer.data)
    assert links and all(link.startswith(f"{HOST}/verify/") for link in links)


def test_api_export_links_use_the_address_in_use(app, client, admin_headers, busy_event):
    app.config["PUBLIC_BASE_URL"] = None
    answer = client.get(
        f"/api/v1/events/{busy_event.code}/exports/sertifikat.xlsx",
        base_url=HOST,
        headers=admin_headers,
    )
    assert answer.status_code == 200
    links = _register_links(answer.data)
    assert links and all(link.startswith(f"{HOST}/verify/") for link in links)
