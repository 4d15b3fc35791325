"""Databases of their own for the backup tests: SQLite files, or PostgreSQL databases named
after the test database (``<test database>_src``, ``_dst``) on the same server, made empty
for the test and dropped after it."""

import contextlib
import shutil

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from bimtek import create_app
from bimtek.config import normalize_database_url
from bimtek.extensions import db
from tests.conftest import POSTGRES_URL, IsolatedClient, _test_config


def _server_admin(url: sa.engine.URL) -> sa.engine.Engine:
    return sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")


@pytest.fixture
def fresh_database(tmp_path, database_template):
    """``fresh_database("src")``: the URL of a new, empty database (no schema at all);
    ``template=True`` on SQLite: a copy of the run's migrated template (``app_on(...,
    migrated=True)`` then finds nothing to do), to spare the migrations."""
    made = []

    def make(suffix: str, *, template: bool = False) -> str:
        if not POSTGRES_URL:
            path = tmp_path / f"{suffix}.sqlite"
            if template:
                shutil.copyfile(database_template, path)
            return f"sqlite:///{path}"
        url = sa.engine.make_url(normalize_database_url(POSTGRES_URL))
        name = f"{url.database}_{suffix}"
        admin = _server_admin(url)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        made.append((url, name))
        return url.set(database=name).render_as_string(hide_password=False)

    yield make
    for url, name in made:
        admin = _server_admin(url)
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def app_on(url: str, instance, *, migrated: bool = False, revision: str = "head"):
    """An app on ``url`` with its context pushed (migrated to ``revision`` when asked)."""
    app = create_app(_test_config(url, str(instance)))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if migrated:
            upgrade(revision=revision)
        try:
            yield app
        finally:
            app.extensions["bimtek_jobs"].runner.stop()
            db.session.remove()
            db.engine.dispose()
