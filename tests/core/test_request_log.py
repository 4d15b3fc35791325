"""One log line per request (request id, method, path, status, duration), in text or JSON;
the 500 page and the API's 500 show the id that the error's log line and traceback carry.

The lines are read where the app writes them: the request's ``wsgi.errors`` stream (gunicorn
and ``flask run`` hand it their stderr), and ``caplog`` for the records behind them.
"""

import io
import json
import logging
import re

import pytest

from bimtek import create_app
from bimtek.extensions import db
from tests.conftest import _test_config
from tests.factories import make_participant

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PROPAGATE_EXCEPTIONS": False}


def get(client, path, **kwargs):
    """GET ``path``; the response and what the app wrote to the log while answering it."""
    stream = io.StringIO()
    response = client.get(path, errors_stream=stream, **kwargs)
    return response, stream.getvalue()


def request_records(caplog):
    return [r for r in caplog.records if r.name == "bimtek.request"]


def test_one_line_per_request_with_its_id(client, event, caplog):
    caplog.set_level(logging.INFO, logger="bimtek.request")
    response, output = get(client, f"/kegiatan/{event.code}")
    assert response.status_code == 200
    request_id = response.headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    (record,) = request_records(caplog)
    assert record.request_id == request_id
    assert (record.method, record.path, record.status) == ("GET", f"/kegiatan/{event.code}", 200)
    assert isinstance(record.duration_ms, float) and record.duration_ms >= 0
    (line,) = output.splitlines()
    assert f"request_id={request_id}" in line
    assert f"method=GET path=/kegiatan/{event.code} status=200 duration_ms=" in line


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert first != second


@pytest.mark.parametrize(
    "incoming", ["5f2b8c1e-9d3a-4c1b-8e7f-0a1b2c3d4e5f", "Root=1-67891233-abcdef012345678912345678"]
)
def test_a_sane_incoming_request_id_is_kept(client, caplog, incoming):
    caplog.set_level(logging.INFO, logger="bimtek.request")
    response, output = get(client, "/healthz", headers={"X-Request-ID": incoming})
    assert response.headers["X-Request-ID"] == incoming
    assert request_records(caplog)[0].request_id == incoming
    assert f"request_id={incoming}" in output


@pytest.mark.parametrize(
    "incoming",
    [
        "",
        "x" * 129,
        "abc def",
        'abc" status=200',
        "abc\tdef",
        "kode=ü",
        "-starts-with-a-dash",
    ],
)
def test_an_odd_incoming_request_id_is_replaced(client, incoming):
    response, output = get(client, "/healthz", headers={"X-Request-ID": incoming})
    request_id = response.headers["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    assert f"request_id={request_id} " in output


def test_query_strings_are_never_logged(client, caplog):
    caplog.set_level(logging.INFO, logger="bimtek.request")
    response, output = get(client, "/akun/aktivasi?kode=RAHASIA123&nik=3374011234567890")
    assert response.status_code == 200
    assert request_records(caplog)[0].path == "/akun/aktivasi"
    assert "path=/akun/aktivasi " in output
    for secret in ("RAHASIA123", "3374011234567890", "kode", "?"):
        assert secret not in output


def test_a_ticket_code_in_the_path_is_logged_as_its_route(client, event, caplog):
    """The ticket code is the ticket's key: the log shows the route, never the code."""
    caplog.set_level(logging.INFO, logger="bimtek.request")
    participant = make_participant(event)
    db.session.commit()
    response, output = get(client, f"/tiket/{participant.ticket_code}")
    assert response.status_code == 200
    assert request_records(caplog)[0].path == "/tiket/<ticket_code>"
    assert participant.ticket_code not in output
    for personal in (participant.nik, participant.full_name, participant.phone):
        assert personal not in output


def test_an_unknown_path_is_logged_escaped_on_one_line(client):
    response, output = get(client, "/tidak-ada/%0Astatus=200%20x")
    assert response.status_code == 404
    (line,) = output.splitlines()
    assert "path=/tidak-ada/%0Astatus=200%20x status=404 " in line


def test_json_lines_carry_the_same_fields(app, client, event):
    rebuilt = create_app(
        _test_config(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path, LOG_FORMAT="json")
    )
    try:
        response, output = get(rebuilt.test_client(), f"/kegiatan/{event.code}?q=RAHASIA")
    finally:
        rebuilt.extensions["bimtek_jobs"].runner.stop()
        with rebuilt.app_context():
            db.session.remove()
            db.engine.dispose()
    (line,) = output.splitlines()
    entry = json.loads(line)
    assert entry["request_id"] == response.headers["X-Request-ID"]
    assert entry["method"] == "GET"
    assert entry["path"] == f"/kegiatan/{event.code}"
    assert entry["status"] == 200
    assert isinstance(entry["duration_ms"], float)
    assert entry["level"] == "INFO"
    assert entry["logger"] == "bimtek.request"
    assert "time" in entry
    assert "RAHASIA" not in line


def test_an_unknown_log_format_is_refused_at_start(database_url, tmp_path):
    with pytest.raises(ValueError, match="LOG_FORMAT.*'text' or 'json'"):
        create_app(_test_config(database_url, str(tmp_path / "i"), LOG_FORMAT="xml"))


def _raise_an_error():
    raise RuntimeError("boom in a view")


@pytest.fixture
def failing_app(database_url, tmp_path):
    """An app with a page and an API path that raise (added before its first request)."""
    config = _test_config(database_url, str(tmp_path / "failing"), PROPAGATE_EXCEPTIONS=False)
    app = create_app(config)
    app.add_url_rule("/rusak", "broken_page", _raise_an_error)
    app.add_url_rule("/api/v1/rusak", "broken_api", _raise_an_error)
    yield app
    app.extensions["bimtek_jobs"].runner.stop()
    with app.app_context():
        db.engine.dispose()


def test_the_500_page_shows_the_id_its_log_line_and_traceback_carry(failing_app, caplog):
    caplog.set_level(logging.INFO, logger="bimtek.request")
    response, output = get(failing_app.test_client(), "/rusak?kode=RAHASIA")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert request_id in page
    assert "Terjadi kesalahan pada server" in page

    (error,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert error.request_id == request_id
    assert error.exc_info and error.exc_info[0] is RuntimeError
    (line,) = request_records(caplog)
    assert (line.request_id, line.status, line.path) == (request_id, 500, "/rusak")

    error_text = output.split("Traceback", 1)
    assert len(error_text) == 2, output
    assert f"request_id={request_id}" in error_text[0]  # the error's own line names the id
    assert "RuntimeError: boom in a view" in error_text[1]
    assert "RAHASIA" not in output


def test_the_api_500_answers_the_request_id(failing_app):
    response, output = get(
        failing_app.test_client(), "/api/v1/rusak", headers={"X-Request-ID": "lb-42"}
    )
    assert response.status_code == 500
    assert response.get_json() == {
        "error": {
            "code": "server_error",
            "message": "Terjadi kesalahan pada server. Silakan coba lagi.",
            "request_id": "lb-42",
        }
    }
    assert "request_id=lb-42" in output and "Traceback" in output


def test_the_500_page_in_english_names_the_id(failing_app):
    client = failing_app.test_client()
    client.post("/bahasa/en")
    response = client.get("/rusak")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] in page
    assert "quote this code" in page


def test_json_error_lines_carry_the_traceback(database_url, tmp_path):
    config = _test_config(
        database_url, str(tmp_path / "json"), PROPAGATE_EXCEPTIONS=False, LOG_FORMAT="json"
    )
    app = create_app(config)
    app.add_url_rule("/rusak", "broken_page", _raise_an_error)
    try:
        response, output = get(app.test_client(), "/rusak")
    finally:
        app.extensions["bimtek_jobs"].runner.stop()
        with app.app_context():
            db.engine.dispose()
    entries = [json.loads(line) for line in output.splitlines()]
    error, request = entries
    request_id = response.headers["X-Request-ID"]
    assert error["level"] == "ERROR"
    assert error["request_id"] == request_id
    assert "RuntimeError: boom in a view" in error["traceback"]
    assert (request["request_id"], request["status"]) == (request_id, 500)
