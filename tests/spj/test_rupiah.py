"""Whole rupiah in figures and in words (terbilang), against cases written by hand."""

import pytest

from bimtek.spj.rupiah import MAX_AMOUNT, format_rupiah, parse_rupiah, terbilang

#: written by hand from Indonesian usage (KBBI: "se-" for one hundred and one thousand,
#: "satu juta", "miliar"), not copied from the library's output
BY_HAND = {
    0: "Nol rupiah",
    1: "Satu rupiah",
    10: "Sepuluh rupiah",
    11: "Sebelas rupiah",
    12: "Dua belas rupiah",
    19: "Sembilan belas rupiah",
    20: "Dua puluh rupiah",
    21: "Dua puluh satu rupiah",
    100: "Seratus rupiah",
    101: "Seratus satu rupiah",
    110: "Seratus sepuluh rupiah",
    111: "Seratus sebelas rupiah",
    200: "Dua ratus rupiah",
    1_000: "Seribu rupiah",
    1_001: "Seribu satu rupiah",
    1_100: "Seribu seratus rupiah",
    2_000: "Dua ribu rupiah",
    11_000: "Sebelas ribu rupiah",
    100_000: "Seratus ribu rupiah",
    150_000: "Seratus lima puluh ribu rupiah",
    1_000_000: "Satu juta rupiah",
    1_500_000: "Satu juta lima ratus ribu rupiah",
    2_350_000: "Dua juta tiga ratus lima puluh ribu rupiah",
    10_000_000: "Sepuluh juta rupiah",
    123_456_789: (
        "Seratus dua puluh tiga juta empat ratus lima puluh enam ribu "
        "tujuh ratus delapan puluh sembilan rupiah"
    ),
    1_000_000_000: "Satu miliar rupiah",
    999_999_999_999: (
        "Sembilan ratus sembilan puluh sembilan miliar sembilan ratus sembilan puluh "
        "sembilan juta sembilan ratus sembilan puluh sembilan ribu sembilan ratus "
        "sembilan puluh sembilan rupiah"
    ),
}


@pytest.mark.parametrize(("amount", "words"), BY_HAND.items())
def test_terbilang_matches_the_hand_written_words(amount, words):
    assert terbilang(amount) == words


@pytest.mark.parametrize("amount", [-1, MAX_AMOUNT + 1])
def test_terbilang_refuses_amounts_out_of_range(amount):
    with pytest.raises(ValueError):
        terbilang(amount)


def test_every_power_of_ten_and_its_neighbours_read_as_one_phrase():
    for exponent in range(12):
        for amount in (10**exponent - 1, 10**exponent, 10**exponent + 1):
            if 0 <= amount <= MAX_AMOUNT:
                words = terbilang(amount)
                assert words.endswith(" rupiah") and words[0].isupper()
                assert "  " not in words and "-" not in words


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("150000", 150_000),
        ("150.000", 150_000),
        ("Rp 1.500.000", 1_500_000),
        (" 0 ", 0),
        ("999.999.999.999", MAX_AMOUNT),
        ("150.000,50", None),
        ("1,5", None),
        ("-5", None),
        ("15.00", None),
        ("1000000000000", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_rupiah_takes_whole_amounts_only(raw, value):
    assert parse_rupiah(raw) == value


def test_format_rupiah_groups_thousands_with_dots():
    assert format_rupiah(1_500_000) == "Rp 1.500.000"
    assert format_rupiah(0) == "Rp 0"
    assert format_rupiah(999, prefix=False) == "999"
