"""Form-value parsing shared by the services: values, None and the message on bad input."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bimtek.core.forms import parse_date, parse_flag, parse_int, parse_local_datetime


@pytest.mark.parametrize("raw", [True, "1", "on", "true", "y", "ya", 1])
def test_flag_on(raw):
    assert parse_flag(raw) is True


@pytest.mark.parametrize("raw", [False, None, "", "0", "false", "off", "no"])
def test_flag_off(raw):
    assert parse_flag(raw) is False


def test_date():
    errors = {}
    assert parse_date(" 2024-10-29 ", "Tanggal", errors, "day") == date(2024, 10, 29)
    assert parse_date(date(2024, 1, 2), "Tanggal", errors, "day") == date(2024, 1, 2)
    assert errors == {}


@pytest.mark.parametrize("raw", [None, "", "29/10/2024", "2024-13-01"])
def test_bad_or_missing_date(raw):
    errors = {}
    assert parse_date(raw, "Tanggal mulai", errors, "start_date") is None
    assert errors == {"start_date": "Tanggal mulai: isi tanggal dengan format TTTT-BB-HH."}


def test_optional_date_with_its_own_message():
    errors = {}
    assert parse_date("  ", "Tanggal", errors, "signing_date", optional=True) is None
    assert errors == {}
    parse_date("kemarin", "Tanggal", errors, "signing_date", optional=True, message="Salah.")
    assert errors == {"signing_date": "Salah."}


def test_local_datetime_is_stored_in_utc():
    errors = {}
    # 08:00 WITA (UTC+8) = 00:00 UTC
    moment = parse_local_datetime("2024-10-29T08:00", "Asia/Makassar", "Dibuka", errors, "x")
    assert moment == datetime(2024, 10, 29, 0, 0, tzinfo=UTC)
    naive = parse_local_datetime(datetime(2024, 10, 29, 9, 30), "Asia/Jakarta", "D", errors, "x")
    assert naive == datetime(2024, 10, 29, 2, 30, tzinfo=UTC)  # 09:30 WIB = 02:30 UTC
    offset = datetime(2024, 10, 29, 9, 0, tzinfo=timezone(timedelta(hours=9)))
    assert parse_local_datetime(offset, "Asia/Makassar", "D", errors, "x") == offset
    assert parse_local_datetime("", "Asia/Makassar", "D", errors, "x") is None
    assert parse_local_datetime(None, "Asia/Makassar", "D", errors, "x") is None
    assert errors == {}


def test_bad_local_datetime():
    errors = {}
    assert parse_local_datetime("besok pagi", "Asia/Makassar", "Dibuka", errors, "opens") is None
    assert errors == {"opens": "Dibuka: isi tanggal dan jam yang valid."}


def test_int_in_range():
    errors = {}
    assert parse_int(" 45 ", "Menit", errors, "m", minimum=1, maximum=240) == 45
    assert parse_int(1, "Menit", errors, "m", minimum=1, maximum=240) == 1
    assert parse_int("240", "Menit", errors, "m", minimum=1, maximum=240) == 240
    assert errors == {}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("abc", "Kapasitas harus bilangan bulat."),
        ("2.5", "Kapasitas harus bilangan bulat."),
        (None, "Kapasitas harus bilangan bulat."),
        ("", "Kapasitas harus bilangan bulat."),
        ("0", "Kapasitas harus antara 1 dan 100."),
        ("101", "Kapasitas harus antara 1 dan 100."),
    ],
)
def test_bad_int(raw, message):
    errors = {}
    assert parse_int(raw, "Kapasitas", errors, "capacity", minimum=1, maximum=100) is None
    assert errors == {"capacity": message}


def test_optional_int_with_its_own_message():
    errors = {}
    for empty in (None, "", "  "):
        assert parse_int(empty, "Soal", errors, "q", minimum=1, maximum=5, optional=True) is None
    assert errors == {}
    for bad in ("x", "9"):
        parse_int(bad, "Soal", errors, "q", minimum=1, maximum=5, optional=True, message="1–5.")
        assert errors.pop("q") == "1–5."
