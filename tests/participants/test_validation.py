from datetime import date

import pytest

from bimtek.participants.validation import (
    FieldProblem,
    clean_name,
    clean_nik,
    clean_nip,
    clean_phone,
    clean_registration,
    nik_facts,
)
from tests.factories import registration_data, valid_nik

TODAY = date(2024, 10, 1)


def test_nik_facts_read_birth_date_and_gender():
    facts = nik_facts("6408015705900001", TODAY)
    assert facts.province_code == 64
    assert facts.birth_date == date(1990, 5, 17)
    assert facts.gender == "P"
    assert nik_facts("6408011705900001", TODAY).gender == "L"
    assert nik_facts("3171010101050001", TODAY).birth_date == date(2005, 1, 1)


@pytest.mark.parametrize(
    "raw, message",
    [
        ("", "wajib"),
        ("640801170590001", "16 digit"),
        ("64080117059000012", "16 digit"),
        ("64080117059000a1", "16 digit"),
        ("9908011705900001", "kode provinsi"),
        ("6400011705900001", "00"),
        ("6408013205900001", "tanggal"),
        ("6408017213900001", "tanggal"),
        ("6408013002900001", "tanggal"),
        ("6408011705900000", "0000"),
        ("6408011712240001", "masa depan"),
    ],
)
def test_bad_nik(raw, message):
    with pytest.raises(FieldProblem, match=message):
        clean_nik(raw, TODAY)


def test_nik_with_spaces_is_accepted():
    assert clean_nik("6408 0117 0590 0001", TODAY) == "6408011705900001"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("081234567890", "+6281234567890"),
        ("0812-3456-7890", "+6281234567890"),
        ("+62 812 3456 7890", "+6281234567890"),
        ("6281234567890", "+6281234567890"),
        ("81234567890", "+6281234567890"),
        ("(0812) 345 678", "+62812345678"),
    ],
)
def test_phone_normalised(raw, expected):
    assert clean_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "021123456", "+6581234567", "0812", "08123456789012345", "08abc"]
)
def test_bad_phone(raw):
    with pytest.raises(FieldProblem):
        clean_phone(raw)


def test_nip():
    assert clean_nip("", TODAY) is None
    assert clean_nip("198507172010011002", TODAY) == "198507172010011002"
    for bad in (
        "19850717201001100",
        "198513172010011002",
        "198507172010131002",
        "198507172010013002",
        "180007172010011002",
    ):
        with pytest.raises(FieldProblem):
            clean_nip(bad, TODAY)


@pytest.mark.parametrize(
    "name",
    [
        "Dr. H. M. Agus Hari Kesuma, M.Si",
        "Andi Daeng Ma'ruf",
        "Ni Luh Putu Ayu",
        "Nguyễn Văn Ánh",
        "محمد",
        "O'Neil  Jr.",
    ],
)
def test_names_kept_exactly(name):
    assert clean_name(f"  {name} ") == name


@pytest.mark.parametrize("name", ["", "   ", "1234", "Budi\x00", "x" * 201])
def test_bad_names(name):
    with pytest.raises(FieldProblem):
        clean_name(name)


def test_clean_registration_reports_every_field():
    values, errors = clean_registration({}, password_required=True, today=TODAY)
    assert set(errors) == {
        "full_name",
        "nik",
        "gender",
        "institution",
        "institution_category",
        "job_title",
        "phone",
        "password",
    }


def test_gender_must_match_nik():
    data = registration_data(nik=valid_nik(5, gender="P"), gender="L")
    _values, errors = clean_registration(data, today=TODAY)
    assert "gender" in errors
