"""Dates and times written as people write them, and the public pages' words: the home
card, the verify link, registration closing at the event's end."""

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask_babel import force_locale

from bimtek.core import timeutil
from bimtek.core.timeutil import utcnow
from bimtek.participants.registration import RegistrationClosed, RegistrationTerms, register
from tests.factories import make_event, registration_data


def test_dates_in_indonesian_and_english():
    moment = datetime(2026, 12, 2, 8, 0)
    assert timeutil.format_datetime(moment, "WITA") == "2 Desember 2026 pukul 08.00 WITA"
    assert timeutil.format_datetime(moment, "WITA", "en") == "2 December 2026, 08:00 WITA"
    assert timeutil.format_date(date(2026, 12, 2)) == "2 Desember 2026"
    assert timeutil.format_day(date(2026, 12, 2), "en") == "Wednesday, 2 December 2026"
    assert timeutil.format_day_short(date(2026, 12, 2)) == "2 Des"
    assert timeutil.format_clock(moment) == "08.00"
    assert timeutil.format_date_range(date(2026, 10, 30), date(2026, 11, 2), "en") == (
        "30 October – 2 November 2026"
    )


def test_the_when_filter_follows_the_page_language(app, event):
    moment = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)  # 08.00 WITA
    template = app.jinja_env.from_string("{{ moment|when(event) }}")
    with app.test_request_context("/"):
        assert template.render(moment=moment, event=event) == "2 Desember 2026 pukul 08.00 WITA"
    with app.test_request_context("/"), force_locale("en"):
        assert template.render(moment=moment, event=event) == "2 December 2026, 08:00 WITA"


def test_no_page_template_prints_a_numeric_date():
    """Every date and time on a page goes through the filters (date_long, when, clock...)."""
    for path in Path("templates").rglob("*.*"):
        for call in re.findall(r"strftime\([^)]*\)", path.read_text()):
            # only the values of <input type="datetime-local">, which browsers read
            assert call == "strftime('%Y-%m-%dT%H:%M')", f"{path}: {call}"


def test_registration_closes_at_the_end_of_the_last_day_without_a_closing_date(app):
    event = make_event("LALU24", start=date.today() - timedelta(days=10))
    assert event.registration_closes_at is None
    assert event.registration_state() == "closed"
    end_of_last_day = event.registration_deadline
    assert event.registration_state(end_of_last_day - timedelta(minutes=1)) == "open"
    assert event.registration_state(end_of_last_day) == "closed"
    # midnight after the last day, in the event's zone (WITA = UTC+8)
    assert timeutil.to_local(end_of_last_day, event.timezone).date() == event.end_date + timedelta(
        1
    )
    with pytest.raises(RegistrationClosed):
        register(event, registration_data(), RegistrationTerms(channel="public"))


def test_home_card_says_until_when_and_links_verify(client, app):
    now = utcnow()
    open_ended = make_event("BUKA24")
    closing = make_event("TUTUP24", registration_closes_at=now + timedelta(days=2))
    html = client.get("/").get_data(as_text=True)
    assert (
        "Pendaftaran sampai hari terakhir kegiatan, " + timeutil.format_date(open_ended.end_date)
        in html
    )
    closes = timeutil.format_datetime(
        closing.local(closing.registration_closes_at), timeutil.zone_abbreviation("Asia/Makassar")
    )
    assert "Pendaftaran sampai " + closes in html
    assert html.count('href="/verify"') >= 2  # the home page and the footer
    assert 'href="/verify"' in client.get("/masuk").get_data(as_text=True)  # footer everywhere


def test_dates_in_words_come_from_babel_not_a_month_table():
    """Month and day names come from Babel's locale data (id, en); a file holding a list of
    month names is a second way to write a date."""
    root = Path(__file__).resolve().parents[2] / "bimtek"
    tables = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "demo.py"
        and any(
            first in text and last in text
            for text in [path.read_text(encoding="utf-8")]
            for first, last in (("Januari", "Desember"), ("January", "December"))
        )
    ]
    assert not tables, f"month names written by hand in {tables}"
