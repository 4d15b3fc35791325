"""Two app servers, each with its own instance folder, sharing only the database: a file one
of them (or the worker) keeps is served by the other."""

import io

import pytest

from bimtek import create_app
from bimtek.extensions import db
from tests.conftest import IsolatedClient, _test_config, login
from tests.factories import make_participant
from tests.notifications.conftest import settle

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def app_config():
    return {"EXPORT_JOB_THRESHOLD": 2, "JOB_RETRY_DELAY": 0.2, "JOB_RETRIES": 1}


@pytest.fixture
def other_server(app, database_url, tmp_path, app_config):
    """A second app on the same database, with an instance folder of its own."""
    other = create_app(_test_config(database_url, str(tmp_path / "other-instance"), **app_config))
    other.test_client_class = IsolatedClient
    yield other
    other.extensions["bimtek_jobs"].runner.stop()
    with other.app_context():
        db.engine.dispose()


def test_a_material_uploaded_on_one_server_downloads_from_the_other(
    app, event, manager, manager_client, other_server
):
    module = event.modules[0]
    response = manager_client.post(
        f"/admin/kegiatan/{event.code}/materi/{module.id}/bahan",
        data={"file": (io.BytesIO(PDF), "peta rawan.pdf"), "material_title": "Peta"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.expire_all()
    material = event.modules[0].materials[0]
    other = other_server.test_client()
    login(other, manager.email)
    with other.get(f"/bahan/{material.id}/{material.filename}") as download:
        assert download.status_code == 200
        assert download.data == PDF
        assert download.headers["Content-Type"] == "application/pdf"
        assert download.headers["Content-Disposition"] == ("attachment; filename=peta_rawan.pdf")
        assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_an_export_prepared_by_a_job_downloads_from_the_other_server(
    app, event, manager, manager_client, other_server
):
    for name in ("Ani", "Budi", "Citra"):
        make_participant(event, full_name=name)
    db.session.commit()
    response = manager_client.post(f"/admin/kegiatan/{event.code}/ekspor/semua/siapkan")
    assert response.status_code == 302
    progress = response.headers["Location"]
    assert settle(app)
    other = other_server.test_client()
    login(other, manager.email)
    status = other.get(progress, headers={"Accept": "application/json"}).json
    assert status["status"] == "ready"
    with other.get(progress + "/unduh") as download:
        assert download.status_code == 200, download.headers.get("Location")
        assert download.data.startswith(b"PK\x03\x04")
        assert download.headers["Cache-Control"] == "private, no-store"
        assert "attachment;" in download.headers["Content-Disposition"]
        assert download.headers["X-Content-Type-Options"] == "nosniff"
