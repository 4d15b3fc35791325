"""The one-page evaluation (issue 20): every narasumber and the organizer on one page, one
tap per statement saved as given, resumable, "8 dari 20 terjawab", sent when complete.
Rules first, without HTTP; then the page."""

from unittest import mock

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from bimtek.errors import InvalidInput
from bimtek.evaluation import queries, services
from bimtek.evaluation.models import ORGANIZER_PART, EvaluationItem, EvaluationSubmission
from bimtek.events.models import Event
from bimtek.extensions import db
from tests import factories
from tests.conftest import login
from tests.evaluation.conftest import after_event


def _field(part, item):
    return services.page_field(part.key, item.key)


def test_one_tap_saves_and_counts(rated_event):
    person = factories.make_participant(rated_event)
    now = after_event(rated_event)
    sections = queries.questionnaire(person, now)
    # two narasumber × 4 statements + the organizer's 6
    assert queries.answer_count(sections) == (0, 14)
    first = sections[0]
    services.save_page(person, {_field(first.part, first.items[0]): "3"}, now=now)
    db.session.commit()
    again = queries.questionnaire(person, now)  # coming back later: the answer is there
    assert again[0].scores == {first.items[0].key: 3}
    assert queries.answer_count(again) == (1, 14)
    assert not queries.ready_to_submit(again)


def test_comment_and_bad_values(rated_event):
    person = factories.make_participant(rated_event)
    now = after_event(rated_event)
    with pytest.raises(InvalidInput) as error:
        services.save_page(person, {f"{ORGANIZER_PART}.o1": "9"}, now=now)
    assert set(error.value.fields) == {f"{ORGANIZER_PART}.o1"}
    db.session.rollback()
    services.save_page(person, {f"{ORGANIZER_PART}.comment": " Ruang dingin "}, now=now)
    assert queries.draft_of(person, ORGANIZER_PART).comment == "Ruang dingin"
    assert services.save_page(person, {"lain.o1": "4", "csrf_token": "x"}, now=now) == 0


def test_sent_only_when_every_statement_is_answered(rated_event):
    person = factories.make_participant(rated_event)
    now = after_event(rated_event)
    sections = queries.questionnaire(person, now)
    answers = {_field(s.part, item): "4" for s in sections for item in s.items}
    missing = next(iter(answers))
    partial = {k: v for k, v in answers.items() if k != missing}
    with pytest.raises(InvalidInput) as error:
        services.submit_page(person, partial, now=now)
    assert set(error.value.fields) == {missing}
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(EvaluationSubmission.id))) == 0
    assert not queries.evaluation_complete(person)
    assert services.submit_page(person, answers, now=now) == 3
    db.session.commit()
    done = queries.questionnaire(person, now)
    assert queries.is_complete(done) and queries.answer_count(done) == (14, 14)
    assert queries.evaluation_complete(person)


def test_certificate_waits_for_every_part_including_those_not_open(rated_event):
    person = factories.make_participant(rated_event)
    settings = queries.settings_of(rated_event)
    settings.required_for_certificate = True
    db.session.add(settings)
    db.session.commit()
    now = after_event(rated_event)
    speakers = [s for s in queries.questionnaire(person, now) if s.part.target == "speaker"]
    answers = {_field(s.part, item): "3" for s in speakers for item in s.items}
    # before the organizer's part opens, only the speakers' parts can be sent
    early = queries.organizer_opens_at(rated_event).replace(year=2000)
    with mock.patch.object(queries, "is_open", lambda part, at=None: part.target == "speaker"):
        assert services.submit_page(person, answers, now=early) == 2
        db.session.commit()
        sections = queries.questionnaire(person, early)
        assert [s.state for s in sections] == ["submitted", "submitted", "not_yet"]
        assert queries.answer_count(sections) == (8, 8)
        assert not queries.is_complete(sections)
    assert queries.certificate_blocked(person)
    organizer = {f"{ORGANIZER_PART}.o{i}": "4" for i in range(1, 7)}
    services.submit_page(person, organizer, now=now)
    db.session.commit()
    assert not queries.certificate_blocked(person)


def test_existing_events_keep_their_statements(rated_event):
    """An event that stored its items (as migration reach_01 stores the old six for events
    created before it) keeps them; the defaults apply only to events without rows."""

    old = ["s1", "s2", "s3", "s4", "s5", "s6"]
    for position, key in enumerate(old):
        db.session.add(
            EvaluationItem(
                event_id=rated_event.id, target="speaker", key=key, text=key, position=position
            )
        )
    db.session.commit()
    assert [item.key for item in queries.items_of(rated_event, "speaker")] == old


def test_migration_stores_the_old_six_for_events_before_it(rated_event):
    """reach_01: an event without items of its own (it asked the old defaults, and its
    answers refer to them) gets those twelve items stored; an event with its own keeps them."""

    own = factories.make_event("SENDIRI24")
    services.save_items(own, "organizer", {"text-o1": "Jadwal", "new": ""}, actor=None)
    db.session.commit()
    ids = rated_event.id, own.id
    db.session.remove()
    try:
        downgrade(revision="certbundle_01")
        db.session.remove()
    finally:
        upgrade()
    rated_event, own = (db.session.get(Event, event_id) for event_id in ids)
    old = [item.key for item in queries.items_of(rated_event, "speaker")]
    assert old == ["s1", "s2", "s3", "s4", "s5", "s6"]
    assert [item.text for item in queries.items_of(rated_event, "organizer")][-1] == (
        "Informasi kegiatan"
    )
    assert [item.key for item in queries.items_of(own, "organizer")] == ["o1"]
    assert len(queries.items_of(own, "speaker")) == 4  # stored at its first edit


# --- the page ---------------------------------------------------------------------------------


def test_page_without_script_saves_and_sends(client, rated_event):
    person = factories.make_participant(rated_event)
    login(client, person.nik)
    now = after_event(rated_event)
    with (
        mock.patch("bimtek.evaluation.queries.utcnow", return_value=now),
        mock.patch("bimtek.evaluation.services.utcnow", return_value=now),
    ):
        page = client.get(f"/portal/peserta/{person.id}/evaluasi").get_data(as_text=True)
        assert "0 dari 14 terjawab" in page
        sections = queries.questionnaire(person, now)
        answers = {_field(s.part, item): "4" for s in sections for item in s.items}
        some = dict(list(answers.items())[:8])
        saved = client.post(f"/portal/peserta/{person.id}/evaluasi/jawaban", data=some)
        assert saved.status_code == 302
        page = client.get(f"/portal/peserta/{person.id}/evaluasi").get_data(as_text=True)
        assert "8 dari 14 terjawab" in page
        refused = client.post(f"/portal/peserta/{person.id}/evaluasi/selesai", data={})
        assert refused.status_code == 422
        assert "Masih ada 6 pernyataan yang belum dinilai." in refused.get_data(as_text=True)
        done = client.post(f"/portal/peserta/{person.id}/evaluasi/selesai", data=answers)
        assert done.status_code == 302
    assert queries.evaluation_complete(person)
