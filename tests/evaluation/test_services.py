"""The evaluation without HTTP: parts and when they open, saving as given, anonymity,
the report's figures, the manager's questionnaire and settings."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from bimtek.errors import Conflict, Forbidden, InvalidInput
from bimtek.evaluation import queries, services
from bimtek.evaluation.models import (
    ORGANIZER_PART,
    EvaluationDraft,
    EvaluationResponse,
    EvaluationSubmission,
)
from bimtek.extensions import db
from tests import factories
from tests.evaluation.conftest import after_event, fill, fill_all


def test_parts_one_per_speaker_of_each_module_then_the_organizer(rated_event):
    parts = queries.parts(rated_event)
    assert [(p.target, p.speaker) for p in parts] == [
        ("speaker", "Dr. Andi Mappa, M.Si"),
        ("speaker", "Ir. Budi Santoso"),
        ("organizer", ""),
    ]
    last_session_end = max(s.ends_at for s in rated_event.sessions)
    assert parts[0].opens_at == last_session_end
    assert parts[2].key == ORGANIZER_PART
    assert queries.to_local_day(parts[2].opens_at, rated_event) == rated_event.end_date


def test_default_items_follow_common_practice(rated_event):
    speaker = [item.text for item in queries.items_of(rated_event, "speaker")]
    organizer = [item.text for item in queries.items_of(rated_event, "organizer")]
    assert speaker == [  # four since issue 20 (queries.DEFAULT_ITEMS says why these)
        "Penguasaan materi",
        "Sistematika penyajian",
        "Ketepatan waktu",
        "Kemampuan menjawab pertanyaan",
    ]
    assert len(organizer) == 6 and "Konsumsi" in organizer


def test_a_part_is_closed_before_the_speakers_last_session_ends(rated_event):
    person = factories.make_participant(rated_event)
    speaker_part = queries.parts(rated_event)[0]
    with pytest.raises(services.EvaluationNotOpen):
        services.save_answers(
            person,
            speaker_part.key,
            {"item-s1": "4"},
            now=speaker_part.opens_at - timedelta(minutes=1),
        )
    services.save_answers(person, speaker_part.key, {"item-s1": "4"}, now=speaker_part.opens_at)
    with pytest.raises(services.EvaluationNotOpen):
        services.save_answers(person, ORGANIZER_PART, {"item-o1": "3"}, now=speaker_part.opens_at)


def test_answers_are_saved_as_given_in_a_draft(rated_event):
    person = factories.make_participant(rated_event)
    key = queries.parts(rated_event)[0].key
    now = after_event(rated_event)
    services.save_answers(person, key, {"item-s1": "4"}, now=now)
    services.save_answers(person, key, {"item-s2": "2", "comment": "Lebih banyak contoh"}, now=now)
    db.session.commit()
    draft = queries.draft_of(person, key)
    assert draft.scores == {"s1": 4, "s2": 2}
    assert draft.comment == "Lebih banyak contoh"
    with pytest.raises(InvalidInput) as error:
        services.save_answers(person, key, {"item-s3": "5"}, now=now)
    assert "item-s3" in error.value.fields


def test_submit_needs_every_item_and_leaves_no_trace_of_who_answered_what(rated_event):
    person = factories.make_participant(rated_event)
    key = queries.parts(rated_event)[0].key
    now = after_event(rated_event)
    with pytest.raises(InvalidInput) as error:
        services.submit(person, key, {"item-s1": "4"}, now=now)
    assert set(error.value.fields) == {"item-s2", "item-s3", "item-s5"}
    db.session.rollback()
    fill(person, key, value=3, comment="Bagus")
    assert db.session.scalar(sa.select(sa.func.count(EvaluationDraft.id))) == 0
    submission = db.session.scalar(sa.select(EvaluationSubmission))
    assert submission.participant_id == person.id
    response = db.session.scalar(sa.select(EvaluationResponse))
    assert response.scores == {"s1": 3, "s2": 3, "s3": 3, "s5": 3}
    assert response.comment == "Bagus"
    columns = set(EvaluationResponse.__table__.columns.keys())
    assert columns == {"id", "event_id", "part_key", "scores", "comment"}
    assert len(response.id) == 32 and not response.id.isdigit()
    with pytest.raises(Conflict):
        fill(person, key)


def test_only_registered_participants_evaluate(rated_event):
    person = factories.make_participant(rated_event)
    person.status = "cancelled"
    db.session.commit()
    with pytest.raises(Forbidden):
        services.save_answers(
            person, ORGANIZER_PART, {"item-o1": "4"}, now=after_event(rated_event)
        )


def test_evaluation_complete_once_every_part_is_submitted(rated_event):
    person = factories.make_participant(rated_event)
    assert not queries.evaluation_complete(person)
    parts = queries.parts(rated_event)
    for part in parts[:-1]:
        fill(person, part.key)
    assert not queries.evaluation_complete(person)
    fill(person, parts[-1].key)
    assert queries.evaluation_complete(person)
    assert [row.state for row in queries.progress(person)] == ["submitted"] * 3


def test_certificate_blocked_only_when_the_event_requires_the_evaluation(rated_event, admin):
    person = factories.make_participant(rated_event)
    assert not queries.certificate_blocked(person)
    services.update_settings(
        rated_event,
        {
            "required_for_certificate": "1",
            "very_good_from": "88.31",
            "good_from": "76.61",
            "fair_from": "65",
        },
        actor=admin,
    )
    db.session.commit()
    assert queries.certificate_blocked(person)
    fill_all(person)
    assert not queries.certificate_blocked(person)


def test_report_hides_a_part_below_five_respondents(rated_event):
    people = [factories.make_participant(rated_event) for _ in range(5)]
    for person in people[:4]:
        fill(person, ORGANIZER_PART, value=4, comment="Konsumsi kurang")
    organizer = queries.report(rated_event)["organizer"]
    assert organizer["respondents"] == 4
    assert not organizer["shown"]
    assert organizer["items"] == [] and organizer["comments"] == [] and organizer["overall"] is None
    fill(people[4], ORGANIZER_PART, value=2)
    organizer = queries.report(rated_event)["organizer"]
    assert organizer["shown"] and organizer["respondents"] == 5


def test_report_figures_worked_out_by_hand(rated_event):
    """Five respondents rate the organizer 4, 4, 3, 3, 2 on every item: mean 3.2, index
    80 (3.2 × 25), category baik (76.61 ≤ 80 < 88.31); 5 of 6 registered: rate 5/6."""
    people = [factories.make_participant(rated_event) for _ in range(6)]
    for person, value in zip(people, (4, 4, 3, 3, 2), strict=False):
        fill(person, ORGANIZER_PART, value=value, comment="" if value > 2 else "Ruang dingin")
    data = queries.report(rated_event)
    organizer = data["organizer"]
    assert organizer["response_rate"] == round(5 / 6, 4)
    first = organizer["items"][0]
    assert first["mean"] == 3.2 and first["index"] == 80.0 and first["category"] == "baik"
    assert first["distribution"] == {1: 0, 2: 1, 3: 2, 4: 2}
    assert organizer["overall"]["n"] == 5 * 6 and organizer["overall"]["index"] == 80.0
    assert organizer["comments"] == ["Ruang dingin"]
    assert [row["respondents"] for row in data["speakers"]] == [0, 0]


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (100, "sangat_baik"),
        (88.31, "sangat_baik"),
        (88.3, "baik"),
        (76.61, "baik"),
        (76.6, "cukup"),
        (65, "cukup"),
        (64.99, "kurang"),
        (25, "kurang"),
    ],
)
def test_categories_at_the_default_bounds(rated_event, index, expected):
    assert queries.category(index, queries.settings_of(rated_event)) == expected


def test_settings_bounds_must_rise(rated_event, admin):
    with pytest.raises(InvalidInput) as error:
        services.update_settings(
            rated_event, {"very_good_from": "70", "good_from": "80", "fair_from": "60"}, actor=admin
        )
    assert "good_from" in error.value.fields
    with pytest.raises(InvalidInput):
        services.update_settings(
            rated_event,
            {"very_good_from": "abc", "good_from": "80", "fair_from": "60"},
            actor=admin,
        )


def test_manager_edits_items_until_someone_answered(rated_event, admin):
    data = {
        "text-s1": "Penguasaan materi",
        "text-s2": "Sistematika",
        "text-s3": "",
        "text-s5": "Tanya jawab",
    }
    data["new"] = "Keteladanan sikap\n\n"
    items = services.save_items(rated_event, "speaker", data, actor=admin)
    db.session.commit()
    assert [item.key for item in items] == ["s1", "s2", "s5", "s4"]
    assert items[-1].text == "Keteladanan sikap"
    assert len(queries.items_of(rated_event, "organizer")) == 6
    person = factories.make_participant(rated_event)
    fill(person, queries.parts(rated_event)[0].key)
    data = {f"text-{item.key}": item.text for item in items}
    data["text-s4"] = ""
    with pytest.raises(InvalidInput):
        services.save_items(rated_event, "speaker", data, actor=admin)
    db.session.rollback()
    data["text-s4"] = "Keteladanan"
    services.save_items(rated_event, "speaker", data, actor=admin)
    assert queries.items_of(rated_event, "speaker")[-1].text == "Keteladanan"
