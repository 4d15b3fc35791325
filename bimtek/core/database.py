"""Engine settings per database: SQLite for a laptop, PostgreSQL for production."""

import time

import sqlalchemy as sa
from flask import Flask

from bimtek.extensions import db


def configure_engine_options(app: Flask) -> None:
    url = sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if url.get_backend_name() == "sqlite":
        options.setdefault("connect_args", {}).setdefault("timeout", 30)
    else:
        # a ping on every checkout is one more round trip per request (a check-in makes two
        # or three); ``install_idle_ping`` pings only connections that sat idle a while
        options.setdefault("pool_pre_ping", not app.config.get("DATABASE_PING_AFTER_IDLE"))
        if app.config["DATABASE_CONNECT_TIMEOUT"]:
            options.setdefault("connect_args", {}).setdefault(
                "connect_timeout", app.config["DATABASE_CONNECT_TIMEOUT"]
            )
        options.setdefault("pool_size", 5)
        options.setdefault("max_overflow", 10)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def install_sqlite_pragmas(app: Flask) -> None:
    """Foreign keys on, WAL so readers do not block the writer, waits instead of errors."""

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


def install_idle_ping(app: Flask) -> None:
    """PostgreSQL: test a pooled connection before use only when it sat idle longer than
    ``DATABASE_PING_AFTER_IDLE`` seconds (a database restart or a dropped idle connection
    happens while nobody asks). A connection handed back a moment ago goes straight to work,
    saving ``pool_pre_ping``'s round trip on every request; a dead one found by the ping is
    replaced before the request sees it. A connection that dies in the middle of a busy
    stream fails its request, as it would with a ping (the server may go between the ping
    and the query), and SQLAlchemy then drops the rest of the pool's connections."""

    idle = float(app.config["DATABASE_PING_AFTER_IDLE"] or 0)
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite" or idle <= 0 or engine.pool._pre_ping:
        return

    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _taken(dbapi_connection, record, _proxy):
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < idle:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise sa.exc.DisconnectionError("idle connection is gone") from error


def is_postgres() -> bool:

    return db.engine.dialect.name == "postgresql"


MAX_ID = 2**31 - 1


def get_by_id(model, raw_id):
    """The row of ``model`` with this id, or None — also for ids that are not numbers."""

    try:
        value = int(raw_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < value <= MAX_ID:  # PostgreSQL would refuse a number out of integer range
        return None
    return db.session.get(model, value)
