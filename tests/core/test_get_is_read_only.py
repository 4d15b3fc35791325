"""No GET handler writes: every GET route of the authorization table, called by every
identity allowed to call it, changes nothing in the database.

Reuses ``tests/core/test_authorization.py``: its ``ROUTES`` table (so a new route is walked
here as soon as it has an authorization decision) and its ``world`` (two events with rows
of every kind, logged-in browsers and API tokens). During each request three hooks listen:

* the session's ``after_flush`` (the ORM sent a change),
* the engine's ``before_cursor_execute`` for INSERT, UPDATE and DELETE (a change sent
  without the ORM, e.g. ``session.execute(update(...))``),
* the session's ``before_commit`` (a handler committed, even with nothing to commit).

One write is allowed, by name: the API token's ``last_used_at`` stamp, which
``auth.tokens.note_token_use`` writes at most once a minute in its own short transaction on
the engine (bookkeeping of who used a token, not the request's change).
"""

import sqlalchemy as sa
from sqlalchemy import event as sa_event

from bimtek.auth.models import ApiToken
from bimtek.extensions import db
from tests.core.test_authorization import OK, ROUTES, _url, world  # noqa: F401  (fixture)

#: the one write a GET may make (see the module docstring)
TOKEN_STAMP = "UPDATE api_tokens SET last_used_at"
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class WriteLog:
    """What a request wrote: flushes, write statements and commits."""

    def __init__(self, engine):
        self.engine = engine
        self.seen: list[str] = []

    def _flush(self, session, context):
        self.seen.append("flush of the session")

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        text = " ".join(statement.split())
        if text.upper().startswith(WRITES) and not text.startswith(TOKEN_STAMP):
            self.seen.append(text[:120])

    def _commit(self, session):
        self.seen.append("commit of the session")

    def __enter__(self):
        sa_event.listen(db.session.session_factory, "after_flush", self._flush)
        sa_event.listen(db.session.session_factory, "before_commit", self._commit)
        sa_event.listen(self.engine, "before_cursor_execute", self._statement)
        return self

    def __exit__(self, *exc):
        sa_event.remove(db.session.session_factory, "after_flush", self._flush)
        sa_event.remove(db.session.session_factory, "before_commit", self._commit)
        sa_event.remove(self.engine, "before_cursor_execute", self._statement)


def test_no_get_handler_writes(world):  # noqa: F811  (the fixture imported above)
    writers, calls = [], 0
    with world.app.app_context():
        engine = db.engine
    for rule in sorted(world.app.url_map.iter_rules(), key=lambda r: r.rule):
        route = ROUTES.get(rule.endpoint)
        if route is None or "GET" not in rule.methods:
            continue
        for who, expected in route.access[1].items():
            if expected != OK:
                continue
            client, headers = world.clients[who]
            url = _url(rule, route, world.arguments[1], who)
            with WriteLog(engine) as log:
                response = client.get(url, headers=headers)
                response.close()
            calls += 1
            if log.seen:
                writers.append(f"GET {url} as {who}: " + "; ".join(log.seen))
    assert calls > 100
    assert not writers, f"{len(writers)} of {calls} GETs wrote:\n" + "\n".join(writers)


def test_a_token_get_stamps_last_use_outside_the_request(world):  # noqa: F811
    client, headers = world.clients["manager's token"]
    with world.app.app_context():
        db.session.execute(sa.update(ApiToken).values(last_used_at=None))
        db.session.commit()
    response = client.get(f"/api/v1/events/{world.arguments[1]['code']}/results", headers=headers)
    assert response.status_code == 200
    with world.app.app_context():
        stamped = db.session.scalars(
            sa.select(ApiToken.last_used_at).where(ApiToken.last_used_at.is_not(None))
        ).all()
        db.session.rollback()
    assert len(stamped) == 1
