"""The check-in API's round trips, counted: a scan is the hot path of the whole install
(8 desks, 400 people in minutes), so a statement added to it fails here, not in production.

What one scan costs (``BEGIN``/``COMMIT`` are not statements the listener sees):
- a first scan: 1 read (token + user + right in the event + session + event + participant +
  any earlier row, one join) and 1 write on PostgreSQL (the attendance row and its audit
  entry in one statement; on SQLite, which has no INSERT inside WITH, 2 local calls);
- a repeat: the 1 read, nothing written;
- plus, at most once a minute per token, the token's last-used stamp.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.auth.models import ApiToken
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from tests import factories
from tests.querycount import count_queries


def _stamp(minutes_ago: float) -> None:
    db.session.execute(
        sa.update(ApiToken).values(last_used_at=utcnow() - timedelta(minutes=minutes_ago))
    )
    db.session.commit()


@pytest.fixture
def headers(auth_headers):
    """The panitia's token, used a moment ago: its last-used stamp is not due."""
    _stamp(0)
    return auth_headers


@pytest.fixture
def scan(client, session):
    address = f"/api/v1/sessions/{session.id}/checkins"

    def post(headers, **payload):
        with count_queries() as statements:
            answer = client.post(address, json=payload, headers=headers)
        return answer, statements

    return post


def _first_scan_writes() -> int:
    return 1 if db.engine.dialect.name == "postgresql" else 2


def test_a_first_scan_is_one_read_and_one_write(scan, headers, person):
    answer, statements = scan(headers, code=person.ticket_code)
    assert answer.status_code == 201
    assert len(statements) == 1 + _first_scan_writes(), statements
    assert statements[0].lstrip().upper().startswith("SELECT")
    # the one write left both rows behind
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "checkin.create"))
    (entry,) = audit.all()
    assert entry.target_id == person.id and entry.channel == "api"
    assert entry.details["status"] == answer.get_json()["status"]


def test_a_repeat_is_one_read(scan, headers, person):
    scan(headers, code=person.ticket_code, scan_id="meja1-1")
    for payload in ({"code": person.ticket_code}, {"code": person.ticket_code, "scan_id": "x-2"}):
        answer, statements = scan(headers, **payload)
        assert answer.status_code == 200 and answer.get_json()["already"] is True
        assert len(statements) == 1, statements
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "checkin.create")
        )
        == 1
    )


def test_an_unknown_code_and_a_session_not_theirs_are_one_read(scan, headers, client):
    answer, statements = scan(headers, code="QQQQQQQQQQQQQQQQ")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_code"
    assert len(statements) == 1, statements
    elsewhere = factories.make_event("LAIN24").sessions[0]
    with count_queries() as statements:
        answer = client.post(
            f"/api/v1/sessions/{elsewhere.id}/checkins",
            json={"code": "QQQQQQQQQQQQQQQQ"},
            headers=headers,
        )
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_session"
    assert len(statements) == 1, statements


def test_the_last_used_stamp_is_written_at_most_once_a_minute(scan, auth_headers, event, person):
    other = factories.make_participant(event, full_name="Budi")
    _stamp(5)
    answer, statements = scan(auth_headers, code=person.ticket_code)
    assert answer.status_code == 201
    assert any(s.lstrip().upper().startswith("UPDATE API_TOKENS") for s in statements)
    answer, statements = scan(auth_headers, code=other.ticket_code)
    assert answer.status_code == 201
    assert len(statements) == 1 + _first_scan_writes(), statements


@pytest.mark.postgres
def test_on_postgresql_a_scan_runs_without_begin_and_commit(scan, headers, person):
    """The fast path's one write is atomic by itself, so it runs in autocommit: no BEGIN and
    COMMIT round trips around the read and the write."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only")
    code = person.ticket_code
    modes = []

    def before(conn, cursor, statement, parameters, context, executemany):
        modes.append(conn.connection.dbapi_connection.autocommit)

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        first, _ = scan(headers, code=code)
        again, _ = scan(headers, code=code)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert (first.status_code, again.status_code) == (201, 200)
    assert modes == [True, True, True], modes
