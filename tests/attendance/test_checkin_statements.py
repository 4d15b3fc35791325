"""The check-in API's round trips, counted: a scan is the hot path of the whole install
(8 desks, 400 people in minutes), so a statement added to it fails here, not in production.

One path (``attendance.checkin.scan``), the same on both databases, in one transaction
(``BEGIN``/``COMMIT`` are not statements the listener sees):
- 3 reads: the token with its user; the session, its event, the ticket's participant and
  any earlier row (one join); the user's right in the event (``events.access.authorize``);
- a first scan: then 2 writes, the attendance row and its audit entry (``audit.services.record``);
- a repeat: nothing written;
- plus, at most once a minute per token, the token's last-used stamp.
"""

import warnings
from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.attendance import checkin
from bimtek.attendance.models import Attendance
from bimtek.audit.models import AuditLog
from bimtek.auth.models import ApiToken
from bimtek.core.timeutil import utcnow
from bimtek.extensions import db
from tests import factories
from tests.conftest import login
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


READS = 3
FIRST_SCAN_WRITES = 2


def _kinds(statements) -> list[str]:
    return [s.lstrip().split(None, 1)[0].upper() for s in statements]


def test_a_first_scan_is_three_reads_and_two_writes(scan, headers, person):
    answer, statements = scan(headers, code=person.ticket_code)
    assert answer.status_code == 201
    assert _kinds(statements) == ["SELECT"] * READS + ["INSERT"] * FIRST_SCAN_WRITES, statements
    # the writes left both rows behind
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attendance)) == 1
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "checkin.create"))
    (entry,) = audit.all()
    assert entry.target_id == person.id and entry.channel == "api"
    assert entry.details["status"] == answer.get_json()["status"]


def test_a_repeat_is_the_reads_only(scan, headers, person):
    scan(headers, code=person.ticket_code, scan_id="meja1-1")
    for payload in ({"code": person.ticket_code}, {"code": person.ticket_code, "scan_id": "x-2"}):
        answer, statements = scan(headers, **payload)
        assert answer.status_code == 200 and answer.get_json()["already"] is True
        assert _kinds(statements) == ["SELECT"] * READS, statements
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditLog)
            .where(AuditLog.action == "checkin.create")
        )
        == 1
    )


def test_an_unknown_code_and_a_session_not_theirs_are_the_reads(scan, headers, client):
    answer, statements = scan(headers, code="QQQQQQQQQQQQQQQQ")
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_code"
    assert len(statements) == READS, statements
    elsewhere = factories.make_event("LAIN24").sessions[0]
    with count_queries() as statements:
        answer = client.post(
            f"/api/v1/sessions/{elsewhere.id}/checkins",
            json={"code": "QQQQQQQQQQQQQQQQ"},
            headers=headers,
        )
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "unknown_session"
    assert len(statements) == READS, statements


def test_the_last_used_stamp_is_written_at_most_once_a_minute(scan, auth_headers, event, person):
    other = factories.make_participant(event, full_name="Budi")
    _stamp(5)
    answer, statements = scan(auth_headers, code=person.ticket_code)
    assert answer.status_code == 201
    assert any(s.lstrip().upper().startswith("UPDATE API_TOKENS") for s in statements)
    answer, statements = scan(auth_headers, code=other.ticket_code)
    assert answer.status_code == 201
    assert len(statements) == READS + FIRST_SCAN_WRITES, statements


def test_a_scan_is_one_transaction_in_the_ordinary_mode(scan, headers, person):
    """No autocommit and no session closed mid-request: every statement of a scan runs in
    one transaction, so the row and its audit entry are written together or not at all."""
    code = person.ticket_code
    modes = []

    def before(conn, cursor, statement, parameters, context, executemany):
        modes.append((conn.in_transaction(), conn.get_execution_options().get("isolation_level")))

    sa.event.listen(db.engine, "before_cursor_execute", before)
    try:
        first, _ = scan(headers, code=code)
        again, _ = scan(headers, code=code)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", before)
    assert (first.status_code, again.status_code) == (201, 200)
    assert modes == [(True, None)] * (2 * READS + FIRST_SCAN_WRITES), modes


def test_a_staff_cookie_beside_the_bearer_token_raises_no_warning(
    client, scan, headers, person, panitia
):
    """A scanner page opened in a browser where its user is logged in sends the session
    cookie too: the scan goes the one path, with no SAWarning (the old fast path asked for
    autocommit on a connection the cookie's user loader had opened)."""

    login(client, panitia.email)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        answer, _ = scan(headers, code=person.ticket_code)
    assert answer.status_code == 201, answer.get_json()
    assert [str(w.message) for w in caught if issubclass(w.category, sa.exc.SAWarning)] == []
    entry = db.session.scalars(sa.select(AuditLog).where(AuditLog.action == "checkin.create"))
    assert entry.one().channel == "api"


def test_the_api_and_the_desk_take_the_one_path(
    monkeypatch, client, headers, event, session, person, panitia
):
    """Both check in through ``attendance.checkin.scan`` (one read, ``authorize``,
    ``audit.services.record``), each with its own channel in the audit log."""

    calls = []
    real = checkin.scan

    def spy(*args, **kwargs):
        calls.append(kwargs["channel"])
        return real(*args, **kwargs)

    monkeypatch.setattr(checkin, "scan", spy)
    other = factories.make_participant(event, full_name="Budi Santoso")
    codes = (person.ticket_code, other.ticket_code)
    answer = client.post(
        f"/api/v1/sessions/{session.id}/checkins", json={"code": codes[0]}, headers=headers
    )
    assert answer.status_code == 201
    login(client, panitia.email)
    desk = client.post(
        f"/kegiatan/{event.code}/check-in/{session.id}/scan", json={"code": codes[1]}
    )
    assert desk.status_code == 201
    assert calls == ["api", "desk"]
    channels = db.session.scalars(
        sa.select(AuditLog.channel).where(AuditLog.action == "checkin.create").order_by(AuditLog.id)
    ).all()
    assert channels == ["api", "web"]
