"""Databases of their own for the backup tests: SQLite files, or PostgreSQL databases named
after the test database (``<test database>_src``, ``_dst``) on the same server.

On PostgreSQL a database is created once per run and emptied (its schemas dropped) for each
later test, which leaves it as a new one to a restore: DROP DATABASE waits for a checkpoint,
minutes on a busy server. All are dropped at the end of the run."""

import contextlib
import shutil

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from bimtek import create_app
from bimtek.backup.services import SET_ASIDE
from bimtek.config import normalize_database_url
from bimtek.extensions import db
from tests.conftest import POSTGRES_URL, IsolatedClient, _test_config


def _on_server(url: sa.engine.URL, database: str, *statements: str) -> None:
    engine = sa.create_engine(url.set(database=database), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="session")
def postgres_databases():
    """The names of the PostgreSQL databases created in this run (dropped after it)."""
    created: set[str] = set()
    yield created
    if created:
        url = sa.engine.make_url(normalize_database_url(POSTGRES_URL))
        _on_server(
            url, "postgres", *(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in created)
        )


@pytest.fixture
def fresh_database(tmp_path, database_template, postgres_databases):
    """``fresh_database("src")``: the URL of an empty database (no schema at all).
    ``template=True`` on SQLite: a copy of the run's migrated template (``app_on(...,
    migrated=True)`` then finds nothing to do), to spare the migrations."""

    def make(suffix: str, *, template: bool = False) -> str:
        if not POSTGRES_URL:
            path = tmp_path / f"{suffix}.sqlite"
            if template:
                shutil.copyfile(database_template, path)
            return f"sqlite:///{path}"
        url = sa.engine.make_url(normalize_database_url(POSTGRES_URL))
        name = f"{url.database}_{suffix}"
        if name not in postgres_databases:
            _on_server(
                url,
                "postgres",
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
                f'CREATE DATABASE "{name}"',
            )
            postgres_databases.add(name)
        else:
            _on_server(
                url,
                name,
                f"DROP SCHEMA IF EXISTS {SET_ASIDE} CASCADE",
                "DROP SCHEMA IF EXISTS public CASCADE",
                "CREATE SCHEMA public",
            )
        return url.set(database=name).render_as_string(hide_password=False)

    return make


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
