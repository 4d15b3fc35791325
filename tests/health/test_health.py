"""/healthz and /readyz for a load balancer: a real unreachable database or Redis (a port
nothing listens on, a folder that does not exist), never a mock."""

import os

import pytest

from bimtek import create_app
from bimtek.extensions import db, limiter
from tests.conftest import _test_config
from tests.servers import free_port

REDIS_URL = os.environ.get("BIMTEK_TEST_REDIS_URL")


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (it was free a moment ago)."""
    return free_port()


@pytest.fixture
def make_app(database_url, tmp_path):
    """Apps built with settings of the test's own; their engines are disposed after it."""
    apps = []

    def make(**settings):
        config = _test_config(database_url, str(tmp_path / f"instance-{len(apps)}"))
        config.update(settings)
        app = create_app(config)
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["bimtek_jobs"].runner.stop()
        with app.app_context():
            db.engine.dispose()


def unreachable_databases(tmp_path):
    return {
        "postgresql": f"postgresql+psycopg://postgres@127.0.0.1:{closed_port()}/bimtek",
        "sqlite": f"sqlite:///{tmp_path}/no-such-folder/bimtek.sqlite",
    }


def assert_shows_no_configuration(response, *secrets):
    text = response.get_data(as_text=True)
    for secret in ("127.0.0.1", "sqlite", "postgres", "redis", *secrets):
        assert secret not in text.lower(), text


def test_healthz_answers_while_nothing_else_does(make_app, tmp_path):
    app = make_app(
        SQLALCHEMY_DATABASE_URI=unreachable_databases(tmp_path)["postgresql"],
        QUEUE_URL=f"redis://127.0.0.1:{closed_port()}/2",
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_200_when_every_part_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert_shows_no_configuration(response)


@pytest.mark.parametrize("kind", ["postgresql", "sqlite"])
def test_readyz_names_an_unreachable_database(make_app, tmp_path, kind):
    url = unreachable_databases(tmp_path)[kind]
    app = make_app(SQLALCHEMY_DATABASE_URI=url)
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "fail", "failed": ["database"]}
    assert "Set-Cookie" not in response.headers
    assert_shows_no_configuration(response, str(tmp_path), "no-such-folder")
    assert client.get("/healthz").status_code == 200  # the process itself is fine


def test_readyz_names_an_unreachable_redis_queue(make_app):
    port = closed_port()
    app = make_app(QUEUE_URL=f"redis://127.0.0.1:{port}/2")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "fail", "failed": ["queue"]}
    assert_shows_no_configuration(response, str(port))


def test_readyz_names_an_unreachable_rate_limit_store(make_app):
    port = closed_port()
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}")
    client = app.test_client()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "fail", "failed": ["rate_limits"]}
    assert_shows_no_configuration(response, str(port))
    # the health checks never ask the limiter, so its dead store does not touch them
    assert client.get("/healthz").status_code == 200


def test_readyz_names_every_part_that_failed(make_app, tmp_path):
    port = closed_port()
    app = make_app(
        SQLALCHEMY_DATABASE_URI=unreachable_databases(tmp_path)["sqlite"],
        QUEUE_URL=f"redis://127.0.0.1:{port}/2",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port}",
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json() == {
        "status": "fail",
        "failed": ["database", "queue", "rate_limits"],
    }


def test_rate_limits_in_memory_are_not_a_part(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    assert app.test_client().get("/readyz").get_json() == {"status": "ok"}


@pytest.fixture
def application_limit():
    """flask-limiter keeps application-wide limits on its one Limiter for the process:
    remove them after the test, or every later app would be limited too."""
    yield "2 per minute"
    limiter.limit_manager.set_application_limits([])


def test_health_checks_are_exempt_from_the_rate_limiter(make_app, application_limit):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_APPLICATION=application_limit)
    client = app.test_client()
    statuses = [client.get("/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]  # the limit holds for a page
    for _ in range(5):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="BIMTEK_TEST_REDIS_URL not set")
def test_readyz_is_200_with_redis_for_the_queue_and_the_rate_limits(make_app):
    app = make_app(
        QUEUE_URL=REDIS_URL,
        QUEUE_NAME="test-readyz",
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=REDIS_URL,
        RATELIMIT_KEY_PREFIX="test-readyz",
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"status": "ok"}
