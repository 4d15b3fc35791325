"""Engine settings per database: SQLite for a laptop, PostgreSQL for production."""

import sqlalchemy as sa
from flask import Flask


def configure_engine_options(app: Flask) -> None:
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if url.get_backend_name() == "sqlite":
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    else:
        options.setdefault("pool_pre_ping", True)
        options.setdefault("pool_size", 5)
        options.setdefault("max_overflow", 10)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def install_sqlite_pragmas(app: Flask) -> None:
    """Foreign keys on, WAL so readers do not block the writer, waits instead of errors."""
    from bimtek.extensions import db

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def is_postgres() -> bool:
    from bimtek.extensions import db

    return db.engine.dialect.name == "postgresql"


MAX_ID = 2**31 - 1


def get_by_id(model, raw_id):
    """The row of ``model`` with this id, or None — also for ids that are not numbers."""
    from bimtek.extensions import db

    try:
        value = int(raw_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < value <= MAX_ID:  # PostgreSQL would refuse a number out of integer range
        return None
    return db.session.get(model, value)
