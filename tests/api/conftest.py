"""A real gunicorn over a temporary SQLite database with the demo data, for schemathesis."""

import tempfile

import pytest

from tests.servers import environment, flask, free_port, gunicorn


@pytest.fixture(scope="module")
def live_api():
    """(base URL, an administrator's bearer token) of gunicorn serving the demo events."""
    folder = tempfile.mkdtemp(prefix="bimtek-apischema-")
    env = environment(
        DATABASE_URL=f"sqlite:///{folder}/api.sqlite",
        SECRET_KEY="schemathesis-secret-key",
        BIMTEK_INSTANCE_PATH=folder,
    )
    flask(env, "init-db")
    flask(env, "seed-demo", "--participants", "12")
    token = flask(env, "create-token", "admin@bimtek.local", "--name", "schemathesis").strip()
    with gunicorn(env, free_port(), workers=2, log=f"{folder}/gunicorn.log") as server:
        yield server.url, token
