"""Every public POST is rate-limited, and with a Redis storage several workers share one count.

Each test runs against ``memory://`` and, when BIMTEK_TEST_REDIS_URL is set (CI does it once,
see .ci/run), against that Redis server (marker ``redis``). Each test gets its own Redis key
prefix so runs do not see each other's counts.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from bimtek.config import DefaultConfig
from bimtek.extensions import db
from tests.factories import PASSWORD, registration_data

REDIS_URL = os.environ.get("BIMTEK_TEST_REDIS_URL")
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 3

needs_redis = pytest.mark.skipif(
    not REDIS_URL,
    reason="BIMTEK_TEST_REDIS_URL is not set; .ci/run sets it to redis://127.0.0.1:6379/0",
)
STORAGES = [
    pytest.param("memory://", id="memory"),
    pytest.param(REDIS_URL or "redis://unset", id="redis", marks=[pytest.mark.redis, needs_redis]),
]


@pytest.fixture(params=STORAGES)
def storage_uri(request):
    return request.param


@pytest.fixture
def key_prefix(storage_uri):
    prefix = f"bimtek-test-{uuid.uuid4().hex}"
    yield prefix
    if storage_uri.startswith("redis://"):
        connection = redis.Redis.from_url(storage_uri)
        for key in connection.scan_iter(f"*{prefix}*"):
            connection.delete(key)
        connection.close()


@pytest.fixture
def limits(storage_uri, key_prefix) -> dict:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage_uri,
        "RATELIMIT_KEY_PREFIX": key_prefix,
        "RATELIMIT_REGISTRATION": f"{LIMIT} per minute",
        "RATELIMIT_VERIFY": f"{LIMIT} per minute",
    }


@pytest.fixture
def app_config(limits):
    return limits


def test_every_limit_is_declared():
    for name in ("RATELIMIT_LOGIN", "RATELIMIT_REGISTRATION", "RATELIMIT_VERIFY"):
        assert getattr(DefaultConfig, name, None), name


def test_registration_form_is_limited(client, event):
    url = f"/kegiatan/{event.code}/daftar"
    answers = [
        client.post(url, data={"full_name": "", "password": PASSWORD}).status_code
        for _ in range(LIMIT + 1)
    ]
    assert 429 not in answers[:LIMIT] and answers[LIMIT] == 429
    refused = client.post(url, data=registration_data(password_confirm=PASSWORD))
    assert refused.status_code == 429
    assert "Terlalu banyak percobaan" in refused.get_data(as_text=True)
    assert client.get(url).status_code == 200  # reading the form is not limited


def test_registration_api_is_limited(client, event):
    url = f"/api/v1/events/{event.code}/registrations"
    answers = [client.post(url, json={}).status_code for _ in range(LIMIT + 1)]
    assert answers == [422] * LIMIT + [429]
    assert client.post(url, json={}).json["error"]["code"] == "rate_limited"


def test_form_and_api_share_one_registration_budget(client, event):
    form = f"/kegiatan/{event.code}/daftar"
    api = f"/api/v1/events/{event.code}/registrations"
    answers = [client.post(form, data={}).status_code for _ in range(LIMIT - 1)]
    answers += [client.post(api, json={}).status_code for _ in range(2)]
    assert 429 not in answers[:LIMIT] and answers[LIMIT] == 429


def test_verify_page_and_api_are_limited(client, app):
    code = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    answers = [client.get(f"/verify/{code}").status_code for _ in range(LIMIT - 1)]
    answers += [client.get(f"/api/v1/certificates/{code}").status_code for _ in range(2)]
    assert answers == [404] * LIMIT + [429]
    assert client.get(f"/verify?kode={code}").status_code == 429


WORKER = """
import json, sys
from bimtek import create_app
from tests.conftest import IsolatedClient, _test_config

url, instance, limits, path, count = sys.argv[1:6]
app = create_app(_test_config(url, instance, **json.loads(limits)))
client = app.test_client()
print(json.dumps([client.post(path, json={}).status_code for _ in range(int(count))]))
"""


def _other_worker(app, tmp_path, limits: dict, path: str, count: int) -> list[int]:
    """Answers of a second app (create_app in another process: another worker)."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            WORKER,
            app.config["SQLALCHEMY_DATABASE_URI"],
            str(tmp_path / "worker-instance"),
            json.dumps(limits),
            path,
            str(count),
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_two_workers_share_one_count_through_redis(client, event, app, limits, tmp_path):
    url = f"/api/v1/events/{event.code}/registrations"
    db.session.commit()
    here = [client.post(url, json={}).status_code for _ in range(LIMIT - 1)]
    there = _other_worker(app, tmp_path, limits, url, 2)
    assert here == [422] * (LIMIT - 1)
    if limits["RATELIMIT_STORAGE_URI"].startswith("redis://"):
        assert there == [422, 429]  # the other worker saw this worker's requests
    else:
        assert there == [422, 422]  # memory:// counts per process: why production needs Redis
