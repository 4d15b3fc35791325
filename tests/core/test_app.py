import pytest

from bimtek import create_app
from bimtek.config import environment_overrides, normalize_database_url
from bimtek.core.database import get_by_id
from bimtek.core.spreadsheets import neutralize_cell
from bimtek.events.models import Event
from tests.conftest import login
from tests.factories import make_event, make_participant


def test_production_refuses_default_secret(tmp_path):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.sqlite"})


def test_environment_overrides():
    overrides = environment_overrides(
        {
            "DATABASE_URL": "postgres://u@h/db",
            "SECRET_KEY": "s",
            "BIMTEK_RATELIMIT_ENABLED": "false",
            "BIMTEK_PARTICIPANTS_PER_PAGE": "20",
            "OTHER": "x",
        }
    )
    assert overrides == {
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://u@h/db",
        "SECRET_KEY": "s",
        "RATELIMIT_ENABLED": False,
        "PARTICIPANTS_PER_PAGE": 20,
    }
    assert normalize_database_url("sqlite:///x") == "sqlite:///x"


def test_instance_config_is_read(tmp_path, monkeypatch):
    instance = tmp_path / "inst"
    instance.mkdir()
    (instance / "config.py").write_text("SECRET_KEY = 'from-instance'\nPARTICIPANTS_PER_PAGE = 7\n")
    monkeypatch.setenv("BIMTEK_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("BIMTEK_PARTICIPANTS_PER_PAGE", "9")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-instance"
    assert app.config["PARTICIPANTS_PER_PAGE"] == 9  # the environment wins
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")


def test_security_headers_and_error_pages(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_forbidden_page_in_indonesian(client, app):
    event = make_event()
    person = make_participant(event)
    login(client, person.nik)
    response = client.get("/admin/")
    assert response.status_code == 403
    assert "tidak memiliki akses" in response.get_data(as_text=True)


def test_api_errors_are_json(client):
    response = client.get("/api/v1/events/TIDAKADA")
    assert response.status_code == 404
    assert response.json == {
        "error": {"code": "unknown_event", "message": "Kegiatan tidak ditemukan."}
    }
    assert client.get("/api/v1/nope").json["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+62812", "'+62812"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("Budi", "Budi"),
        (5, 5),
        (None, None),
    ],
)
def test_neutralize_cell(value, expected):
    assert neutralize_cell(value) == expected


def test_session_cookie_flags(tmp_path):
    app = create_app(
        {
            "SECRET_KEY": "x" * 32,
            "INSTANCE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/c.sqlite",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["SESSION_COOKIE_HTTPONLY"]
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize("raw", [None, "", "abc", "1.5", 10**40, "99999999999999999999999"])
def test_get_by_id_tolerates_junk(app, raw):
    assert get_by_id(Event, raw) is None


@pytest.mark.parametrize(
    "path",
    [
        "/admin/kegiatan/UJI24/materi/99999999999",
        "/admin/kegiatan/UJI24/sesi/99999999999",
        "/admin/kegiatan/UJI24/peserta/99999999999",
        "/bahan/99999999999/x.pdf",
        "/portal/99999999999/jadwal",
    ],
)
def test_ids_beyond_the_integer_range_are_404(admin_client, event, path):
    """PostgreSQL refuses such numbers; the app must answer 404, never 500."""
    assert admin_client.get(path).status_code in (403, 404)


def test_api_ids_beyond_the_integer_range_are_404(client, event, auth_headers):
    big = 99999999999
    response = client.post(
        f"/api/v1/sessions/{big}/checkins", json={"code": "X" * 16}, headers=auth_headers
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/sessions/{big}/attendance", headers=auth_headers).status_code == 404
    assert (
        client.delete(f"/api/v1/sessions/{big}/checkins/{big}", headers=auth_headers).status_code
        == 404
    )


def test_portal_ids_beyond_the_integer_range_are_404(client, event):
    login(client, make_participant(event).nik)
    for path in (
        "/peserta/99999999999/tes",
        "/peserta/99999999999/kehadiran",
        "/portal/99999999999/jadwal",
    ):
        assert client.get(path).status_code in (403, 404), path


def test_a_405_names_the_methods_the_url_takes(client):
    for url in ("/api/v1/events", "/masuk"):
        response = client.delete(url)
        assert response.status_code == 405
        assert "GET" in response.headers["Allow"]
