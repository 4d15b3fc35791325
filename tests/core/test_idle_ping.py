"""PostgreSQL connections are tested before use only after sitting idle: a busy stream of
requests (a check-in desk) pays no ping, and a connection that died while idle (a database
restart) is replaced before a request sees it."""

import pytest
import sqlalchemy as sa

from bimtek import create_app
from bimtek.core import database
from bimtek.extensions import db
from tests.conftest import _test_config, requires_postgres

pytestmark = [requires_postgres, pytest.mark.postgres]


@pytest.fixture
def pings(app, monkeypatch):
    made = []
    original = db.engine.dialect.do_ping

    def counted(dbapi_connection):
        made.append(dbapi_connection)
        return original(dbapi_connection)

    monkeypatch.setattr(db.engine.dialect, "do_ping", counted)
    assert not db.engine.pool._pre_ping  # no ping on every checkout
    return made


def _backend_pid() -> int:
    with db.engine.connect() as connection:
        return connection.scalar(sa.text("SELECT pg_backend_pid()"))


def test_a_connection_back_a_moment_ago_is_not_pinged(pings):
    for _ in range(5):
        _backend_pid()
    assert pings == []


def test_an_idle_connection_that_died_is_replaced(app, pings, monkeypatch):
    first = _backend_pid()
    admin = sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool)
    with admin.begin() as connection:  # the database drops the idle connection
        connection.execute(sa.text("SELECT pg_terminate_backend(:p)"), {"p": first})
    admin.dispose()
    later = database.time.monotonic() + app.config["DATABASE_PING_AFTER_IDLE"] + 1
    monkeypatch.setattr(database.time, "monotonic", lambda: later)
    second = _backend_pid()  # no error: the ping found it dead, the pool connected anew
    assert pings and second != first


def test_a_postgresql_connection_that_gets_no_answer_gives_up(tmp_path):
    """libpq waits for the network to give up (minutes) unless told: DATABASE_CONNECT_TIMEOUT."""
    url = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    app = create_app(_test_config(url, str(tmp_path), DATABASE_CONNECT_TIMEOUT=3))
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"] == {"connect_timeout": 3}
