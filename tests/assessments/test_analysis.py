"""Gain and item statistics on small data sets worked out by hand."""

import math

import pytest

from bimtek.assessments.analysis import (
    ItemResponse,
    distribution,
    group_gain,
    hake_band,
    item_stats,
    normalized_gain,
)


def test_normalized_gain_by_hand():
    # (80 − 40) / (100 − 40) = 40 / 60 = 0.6667
    assert normalized_gain(40, 80) == pytest.approx(2 / 3)
    # (50 − 50) / 50 = 0
    assert normalized_gain(50, 50) == 0
    # went down: (30 − 60) / 40 = −0.75
    assert normalized_gain(60, 30) == pytest.approx(-0.75)
    # (100 − 0) / 100 = 1
    assert normalized_gain(0, 100) == 1


def test_normalized_gain_undefined_cases():
    assert normalized_gain(100, 100) is None  # no room to improve
    assert normalized_gain(100, 80) is None
    assert normalized_gain(None, 80) is None
    assert normalized_gain(40, None) is None


def test_hake_bands_at_their_edges():
    assert hake_band(0.7) == "high"
    assert hake_band(0.69) == "medium"
    assert hake_band(0.3) == "medium"
    assert hake_band(0.2999) == "low"
    assert hake_band(-0.5) == "low"
    assert hake_band(None) is None


def test_class_gain_differs_from_mean_of_gains():
    # pairs: (20, 60), (50, 60), (90, 95), (100, 100), (60, 40), and one without post
    # matched pairs: 5; the one without post is ignored
    # means: pre (20+50+90+100+60)/5 = 320/5 = 64; post (60+60+95+100+40)/5 = 355/5 = 71
    # <g> of means = (71 − 64) / (100 − 64) = 7/36 = 0.19444
    # individual g: 40/80 = 0.5; 10/50 = 0.2; 5/10 = 0.5; undefined; −20/40 = −0.5
    # mean g = (0.5 + 0.2 + 0.5 − 0.5) / 4 = 0.7/4 = 0.175
    gain = group_gain([(20, 60), (50, 60), (90, 95), (100, 100), (60, 40), (70, None)])
    assert gain.n == 5
    assert gain.mean_pre == pytest.approx(64)
    assert gain.mean_post == pytest.approx(71)
    assert gain.g_of_means == pytest.approx(7 / 36)
    assert gain.mean_g == pytest.approx(0.175)
    assert gain.g_undefined == 1
    assert gain.negative == 1


def test_class_gain_of_nobody():
    gain = group_gain([])
    assert (gain.n, gain.mean_pre, gain.g_of_means, gain.mean_g) == (0, None, None, None)


def test_item_stats_by_hand():
    # 10 examinees, totals 100, 90, … 10 (keys 1..10). Options 1 (key), 2, 3, 4.
    # Right answers by the 5 strongest and by the 8th: 6 of 10 → p = 0.6
    totals = [100, 90, 80, 70, 60, 50, 40, 30, 20, 10]
    chosen = [1, 1, 1, 1, 1, 2, 2, 1, 3, None]
    responses = [
        ItemResponse(total=t, chosen=c, key=k)
        for k, (t, c) in enumerate(zip(totals, chosen, strict=True), 1)
    ]
    stats = item_stats(responses, correct_option=1, options=[1, 2, 3, 4])
    assert stats.n == 10
    assert stats.difficulty == pytest.approx(0.6)
    # groups of round(0.27 × 10) = 3: upper (100, 90, 80) all right → 3/3;
    # lower (30, 20, 10): right, wrong, blank → 1/3; D = 1 − 1/3 = 0.6667
    assert stats.discrimination == pytest.approx(2 / 3)
    # point-biserial: mean of the right = (100+90+80+70+60+30)/6 = 430/6 = 71.667;
    # of the wrong = (50+40+20+10)/4 = 30; all: 550/10 = 55;
    # population sd = sqrt(mean of squared deviations) = sqrt(8250/10) = sqrt(825) = 28.723
    # r = (71.667 − 30) / 28.723 × sqrt(0.6 × 0.4) = 41.667 / 28.723 × 0.4899 = 0.7107
    expected = (430 / 6 - 30) / math.sqrt(825) * math.sqrt(0.24)
    assert stats.point_biserial == pytest.approx(expected)
    assert stats.point_biserial == pytest.approx(0.7107, abs=1e-4)
    assert stats.option_counts == {1: 6, 2: 2, 3: 1, 4: 0}
    assert stats.blank == 1
    assert stats.unused_distractors == [4]
    assert stats.flags == ["unused_distractor"]


def test_item_that_the_weak_answer_better_is_flagged():
    # 4 examinees: totals 90, 80 (wrong), 30, 20 (right) → p = 0.5
    # groups of round(1.08) = 1: upper (90) wrong 0, lower (20) right 1 → D = −1
    responses = [
        ItemResponse(90, 2, 1),
        ItemResponse(80, 3, 2),
        ItemResponse(30, 1, 3),
        ItemResponse(20, 1, 4),
    ]
    stats = item_stats(responses, correct_option=1, options=[1, 2, 3, 4])
    assert stats.difficulty == 0.5
    assert stats.discrimination == -1
    assert stats.point_biserial < 0
    assert "low_discrimination" in stats.flags
    assert stats.unused_distractors == [4]


def test_item_everyone_right_has_no_point_biserial():
    responses = [ItemResponse(t, 1, k) for k, t in enumerate([100, 50, 75], 1)]
    stats = item_stats(responses, correct_option=1, options=[1, 2, 3, 4])
    assert stats.difficulty == 1
    assert stats.discrimination == 0  # 1 − 1
    assert stats.point_biserial is None  # p·q = 0
    assert stats.unused_distractors == [2, 3, 4]


def test_item_without_answers_and_with_one_examinee():
    assert item_stats([], 1, [1, 2, 3, 4]).difficulty is None
    one = item_stats([ItemResponse(100, 1, 1)], 1, [1, 2, 3, 4])
    assert one.difficulty == 1 and one.discrimination is None


def test_distribution_bins():
    # 0 → bin 0; 9.99 → bin 0; 10 → bin 1; 55 → bin 5; 100 → last bin
    assert distribution([0, 9.99, 10, 55, 100, None]) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 1]
