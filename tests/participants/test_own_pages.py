"""A participant's own pages (schedule, cancel, attendance, tests, evaluation, certificate)
answer one way for a registration that is not theirs: 404, the same page as for an id that
does not exist, so nobody learns which ids exist (``participants.queries.own_participant``).
"""

import difflib
import re

import pytest

from bimtek.errors import NotFound
from bimtek.participants.queries import own_participant
from tests import factories
from tests.conftest import login
from tests.core.test_authorization import OWN, ROUTES

OWN_PAGES = sorted(endpoint for endpoint, route in ROUTES.items() if route.access is OWN)
MISSING = 987654
#: a token signed with the time of the request: not part of the answer
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def _url(app, endpoint: str, participant_id: int) -> tuple[str, list[str]]:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    values = {"participant_id": participant_id, **ROUTES[endpoint].args}
    return rule.build(values, append_unknown=False)[1], sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_own_page_is_in_the_walk():
    assert len(OWN_PAGES) >= 14


@pytest.mark.parametrize("endpoint", OWN_PAGES)
def test_someone_elses_registration_is_a_404_like_a_missing_one(app, client, event, endpoint):
    mine = factories.make_participant(event, full_name="Peserta Lain")
    other = factories.make_event("LAIN24", published=True)
    elsewhere = factories.make_participant(other, full_name="Peserta Di Kegiatan Lain")
    me = factories.make_participant(event, full_name="Peserta Saya")
    login(client, me.nik)
    for method in _url(app, endpoint, mine.id)[1]:
        answers = {}
        for participant_id in (mine.id, elsewhere.id, MISSING):
            url = _url(app, endpoint, participant_id)[0]
            response = client.open(url, method=method)
            body = CSRF.sub("csrf", response.get_data(as_text=True).replace(url, "URL"))
            answers[participant_id] = (response.status_code, body)
        statuses = {status for status, _body in answers.values()}
        assert statuses == {404}, f"{method} {endpoint}: {answers.keys()} -> {statuses}"
        bodies = [body for _status, body in answers.values()]
        assert bodies[0] == bodies[1] == bodies[2], (
            f"{method} {endpoint}: "
            + "\n".join(
                difflib.unified_diff(bodies[0].splitlines(), bodies[1].splitlines(), lineterm="")
            )
            + "\n".join(
                difflib.unified_diff(bodies[0].splitlines(), bodies[2].splitlines(), lineterm="")
            )
        )


def test_the_loader_answers_not_found_for_anyone_elses(app, event):
    mine = factories.make_participant(event, full_name="Peserta Saya")
    other = factories.make_participant(event, full_name="Peserta Lain")
    assert own_participant(mine.id, mine.user) is mine
    for participant_id, user in ((other.id, mine.user), (MISSING, mine.user), (mine.id, None)):
        with pytest.raises(NotFound) as refused:
            own_participant(participant_id, user)
        assert refused.value.code == "unknown_participant"
