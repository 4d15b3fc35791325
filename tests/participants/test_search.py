"""Search as people type: apostrophes, diacritics and titles ignored, phones in any form
(managers only), one query for the desk, the list and the API."""

import pytest

from bimtek.extensions import db
from bimtek.participants import search
from bimtek.participants.queries import list_participants
from tests import factories


def test_name_keys_drop_apostrophes_diacritics_and_titles():
    assert search.name_keys("Drs. H. Nur'aini, S.Pd.") == ("drshnurainispd", "nuraini")
    assert search.name_keys("Sîtî Ḥalimah") == ("sitihalimah", "sitihalimah")
    assert search.name_matches("nuraini", "Nur’aini")
    assert search.name_matches("drs ahmad", "Drs. H. Ahmad")
    assert not search.name_matches("budi", "Drs. H. Ahmad")


@pytest.mark.parametrize(
    "typed", ["081347001122", "0813-4700-1122", "+62 813 4700 1122", "6281347001122", "4700 1122"]
)
def test_phone_terms_in_any_form(typed):
    assert search.phone_term(typed) in search.phone_key("+6281347001122")
    assert search.phone_term(typed) in search.phone_key("081347001122")


def test_short_numbers_and_words_are_not_phone_searches():
    assert search.phone_term("12") == ""
    assert search.phone_term("Ahmad 0813") == ""


@pytest.fixture
def people(event):
    return {
        "nuraini": factories.make_participant(event, full_name="Nur'aini", phone="081347001122"),
        "ahmad": factories.make_participant(
            event, full_name="Drs. H. Ahmad Fauzi, M.Si.", phone="+6281255550000"
        ),
        "siti": factories.make_participant(event, full_name="Sîtî Rahma"),
    }


def names(event, term, personal=True):
    return sorted(p.full_name for p in list_participants(event.id, search=term, personal=personal))


def test_query_finds_names_as_typed(event, people):
    assert names(event, "nuraini") == ["Nur'aini"]
    assert names(event, "NUR AINI") == ["Nur'aini"]
    assert names(event, "ahmad") == ["Drs. H. Ahmad Fauzi, M.Si."]
    assert names(event, "drs ahmad fauzi") == ["Drs. H. Ahmad Fauzi, M.Si."]
    assert names(event, "siti") == ["Sîtî Rahma"]


@pytest.mark.parametrize("typed", ["0813-4700-1122", "+62 813 4700 1122", "081347001122"])
def test_managers_find_phones_in_any_form(event, people, typed):
    assert names(event, typed) == ["Nur'aini"]
    assert names(event, "0812 5555 0000") == ["Drs. H. Ahmad Fauzi, M.Si."]


def test_panitia_never_find_by_phone_and_nik_only_in_full(event, people):
    nuraini = people["nuraini"]
    assert names(event, "0813-4700-1122", personal=False) == []
    assert names(event, nuraini.nik[:8], personal=False) == []
    assert names(event, nuraini.nik, personal=False) == ["Nur'aini"]
    assert "Nur'aini" in names(event, nuraini.nik[:8])  # managers: a NIK prefix


def test_search_stays_in_the_event(event, people):
    other = factories.make_event("LAIN26")
    factories.make_participant(other, full_name="Nur Aini Lain")
    db.session.commit()
    assert names(event, "nuraini") == ["Nur'aini"]
