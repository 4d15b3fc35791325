"""Exports of a big event are prepared by a job (progress page, then the file)."""

import io
import re
from datetime import UTC, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from bimtek.extensions import db
from bimtek.jobs.models import PreparedFile
from bimtek.reports import exports
from tests.factories import make_participant
from tests.notifications.conftest import settle

MOMENT = datetime(2024, 10, 28, 2, 30, tzinfo=UTC)


@pytest.fixture
def app_config():
    return {"EXPORT_JOB_THRESHOLD": 2, "JOB_RETRY_DELAY": 0.2, "JOB_RETRIES": 1}


def _values(content: bytes) -> dict:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}


def test_over_the_threshold_a_job_gives_the_same_workbook(app, event, manager_client, monkeypatch):
    monkeypatch.setattr(exports, "utcnow", lambda: MOMENT)  # the "dibuat" line is the same
    for name in ("Ani", "Budi", "Citra"):
        make_participant(event, full_name=name)
    db.session.commit()
    page = manager_client.get(f"/admin/kegiatan/{event.code}/ekspor/semua.xlsx")
    assert page.status_code == 200 and page.mimetype == "text/html"  # no file in the request
    assert "Siapkan berkas" in page.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PreparedFile)) == 0

    response = manager_client.post(f"/admin/kegiatan/{event.code}/ekspor/semua/siapkan")
    assert response.status_code == 302
    progress = response.headers["Location"]
    assert re.search(r"/berkas-disiapkan/\d+$", progress)
    assert settle(app)
    page = manager_client.get(progress).get_data(as_text=True)
    assert "Unduh" in page
    assert manager_client.get(progress, headers={"Accept": "application/json"}).json == {
        "status": "ready",
        "done": 1,
        "total": 1,
        "percent": 100,
    }
    download = manager_client.get(progress + "/unduh")
    content = download.data
    download.close()
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "private, no-store"
    assert "UJI24-semua-" in download.headers["Content-Disposition"]
    direct, _name = exports.export_workbook(event, "semua")
    assert _values(content) == _values(direct)
    assert _values(direct)["Peserta"][4][1] == "Ani"


def test_under_the_threshold_the_download_is_direct(app, event, manager_client):
    make_participant(event, full_name="Ani")
    db.session.commit()
    response = manager_client.get(f"/admin/kegiatan/{event.code}/ekspor/peserta.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")


def test_panitia_may_not_prepare_an_export(app, event, panitia_client):
    for name in ("Ani", "Budi", "Citra"):
        make_participant(event, full_name=name)
    db.session.commit()
    response = panitia_client.post(f"/admin/kegiatan/{event.code}/ekspor/semua/siapkan")
    assert response.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PreparedFile)) == 0
