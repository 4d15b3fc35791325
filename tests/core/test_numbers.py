"""The one rounding rule (bimtek/core/numbers.py)."""

from bimtek.core.numbers import format_score, percent, score


def test_percent_is_whole_and_rounded_down():
    assert percent(8, 9) == 88  # 88.9
    assert percent(17, 19) == 89  # 89.47
    assert percent(4, 5) == 80
    assert percent(0, 0) == 0
    assert percent(79, 100) == 79 and percent(159, 200) == 79  # 79.5 never shows as 80


def test_score_has_one_decimal_rounded_half_up():
    assert score(20.6) == 20.6
    assert score(20.65) == 20.7  # binary 20.649999… would round down with round()
    assert score(72.45) == 72.5
    assert score(100 * 2 / 3) == 66.7
    assert score(None) is None


def test_format_score_in_the_page_language():
    assert format_score(20.6) == "20,6"
    assert format_score(20.6, "en") == "20.6"
    assert format_score(55.0) == "55"
    assert format_score(None) == "—"
