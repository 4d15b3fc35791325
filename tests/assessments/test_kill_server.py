"""Kill the server mid-attempt: the answers saved before the crash are still there.

A real gunicorn (port 5300–5399) on this test's own database, with CSRF on as in
production. SIGKILL gives the worker no chance to flush anything: what survives is only
what each request committed.
"""

import os
import re
from pathlib import Path

import pytest
import requests

from bimtek.assessments import portal
from bimtek.assessments import settings as test_settings
from bimtek.extensions import db
from tests import servers
from tests.assessments.conftest import correct_option, wrong_option
from tests.factories import PASSWORD

#: they SIGKILL a server they started: alone, so a loaded machine cannot blur what died
pytestmark = pytest.mark.serial


def free_port() -> int:
    try:
        return servers.free_port(5300 + os.getpid() % 50, 5399)
    except RuntimeError:
        pytest.skip("no free port in 5300–5399")


def start_server(port: int, database_url: str, instance: Path) -> servers.Server:
    env = servers.environment(
        DATABASE_URL=database_url,
        SECRET_KEY="kill-test-secret-key-0123456789",
        BIMTEK_INSTANCE_PATH=instance,
        BIMTEK_RATELIMIT_ENABLED="false",
        BIMTEK_SESSION_COOKIE_SECURE="false",  # plain http on 127.0.0.1
    )
    log = instance.with_suffix(".log")
    server = servers.gunicorn(env, port, workers=1, ready="/masuk", log=log, timeout=30)
    return server.start().wait_ready()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, html[:500]
    return match.group(1)


def test_saved_answers_survive_a_killed_server(
    app, database_url, tmp_path, event, bank, participant
):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    take = f"{base}/peserta/{participant.id}/tes/pre"
    server = start_server(port, database_url, tmp_path / "gunicorn-instance")
    try:
        browser = requests.Session()
        login_page = browser.get(f"{base}/masuk").text
        response = browser.post(
            f"{base}/masuk",
            data={
                "identifier": participant.nik,
                "password": PASSWORD,
                "csrf_token": csrf_from(login_page),
            },
            allow_redirects=False,
        )
        assert response.status_code == 302
        start_page = browser.get(take).text
        response = browser.post(
            f"{take}/mulai", data={"csrf_token": csrf_from(start_page)}, allow_redirects=False
        )
        assert response.status_code == 302
        token = csrf_from(browser.get(take).text)
        chosen = {bank[0].id: correct_option(bank[0]), bank[2].id: wrong_option(bank[2])}
        for question_id, option_id in chosen.items():
            response = browser.post(
                f"{take}/jawab",
                data={f"q{question_id}": option_id},
                headers={"X-CSRFToken": token, "Accept": "application/json"},
            )
            assert response.status_code == 200, response.text
        # without the CSRF header the save is refused (as in production)
        response = browser.post(
            f"{take}/jawab", data={f"q{bank[1].id}": 1}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 400
    finally:
        server.kill()  # SIGKILL, mid-attempt

    server = start_server(port, database_url, tmp_path / "gunicorn-instance")
    try:
        page = browser.get(take).text  # same cookie, new process
        for question_id, option_id in chosen.items():
            assert re.search(rf'name="q{question_id}" value="{option_id}"\s+checked', page)
        assert page.count("checked") == 2
    finally:
        server.kill()
    db.session.expire_all()
    attempt = portal.find_attempt(test_settings.ensure_assessment(event, "pre"), participant)
    assert portal.chosen_options(attempt) == chosen
    assert not attempt.is_closed
