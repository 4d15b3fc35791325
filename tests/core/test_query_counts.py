"""Pages whose number of SQL statements must not grow with the number of participants."""

from datetime import date, timedelta

import pytest

from bimtek.evaluation.models import ORGANIZER_PART
from tests import factories
from tests.conftest import login
from tests.evaluation.conftest import fill, rated_event  # noqa: F401
from tests.querycount import queries_for

PAGES = [
    "/admin/kegiatan/{code}/evaluasi",
    "/admin/kegiatan/{code}/peserta",
    "/admin/kegiatan/{code}/ringkasan",
    "/admin/kegiatan/{code}/tes/hasil",
    "/kegiatan/{code}/rekap-kehadiran",
]


@pytest.mark.parametrize("page", PAGES)
def test_no_query_per_participant(client, rated_event, admin, page):  # noqa: F811
    url = page.format(code=rated_event.code)
    login(client, admin.email)
    for _ in range(5):
        fill(factories.make_participant(rated_event), ORGANIZER_PART)
    client.get(url)  # settings rows created on first visit are not the page's cost
    small = queries_for(client, url)
    for _ in range(10):
        fill(factories.make_participant(rated_event), ORGANIZER_PART)
    assert queries_for(client, url) == small


def test_home_page_costs_the_same_for_many_events(client, app):
    """One grouped count for the seats of the listed events, and 24 events a page."""
    for number in range(3):
        event = factories.make_event(f"E{number:03d}", sessions=0)
        factories.make_participant(event)
    few = queries_for(client, "/")
    for number in range(3, 30):
        factories.make_event(
            f"E{number:03d}", sessions=0, start=date.today() - timedelta(days=number)
        )
    assert queries_for(client, "/") == few
    page = client.get("/").get_data(as_text=True)
    assert page.count('class="card event-card"') == 24 and "1 / 2" in page
    assert client.get("/?hal=2").get_data(as_text=True).count('class="card event-card"') == 6
