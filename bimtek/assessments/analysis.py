"""Learning-gain and item statistics on plain numbers: no database, easy to check by hand.

Scores are percentages (0–100). Everything returns ``None`` where a figure is undefined
(e.g. g when the pre-test score is already 100), so the callers can say why.
"""

import math
from dataclasses import dataclass, field
from statistics import fmean

#: Hake (1998) bands of the normalised gain
HIGH_G = 0.7
MEDIUM_G = 0.3
#: share of examinees in the upper and lower groups for the discrimination index
GROUP_SHARE = 0.27
#: below this, a question separates strong from weak participants too little
LOW_DISCRIMINATION = 0.2


def normalized_gain(pre: float | None, post: float | None) -> float | None:
    """g = (post − pre) / (100 − pre); None when a score is missing or pre = 100."""
    if pre is None or post is None or pre >= 100:
        return None
    return (post - pre) / (100 - pre)


def hake_band(g: float | None) -> str | None:
    """'high' (g ≥ 0.7), 'medium' (g ≥ 0.3) or 'low' (below, negative included)."""
    if g is None:
        return None
    if g >= HIGH_G:
        return "high"
    if g >= MEDIUM_G:
        return "medium"
    return "low"


def mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return fmean(values) if values else None


@dataclass
class GroupGain:
    """Mean pre, mean post and both class gains for a set of (pre, post) pairs."""

    n: int
    mean_pre: float | None
    mean_post: float | None
    #: ⟨g⟩ from the means: (mean post − mean pre) / (100 − mean pre)
    g_of_means: float | None
    #: the average of the individual g values that are defined
    mean_g: float | None
    #: pairs left out of mean_g because pre = 100
    g_undefined: int
    #: pairs whose post score is below their pre score
    negative: int


def group_gain(pairs) -> GroupGain:
    """Class figures over matched (pre, post) pairs; pairs with a missing side are ignored."""
    pairs = [(pre, post) for pre, post in pairs if pre is not None and post is not None]
    mean_pre = mean(pre for pre, _ in pairs)
    mean_post = mean(post for _, post in pairs)
    gains = [normalized_gain(pre, post) for pre, post in pairs]
    return GroupGain(
        n=len(pairs),
        mean_pre=mean_pre,
        mean_post=mean_post,
        g_of_means=normalized_gain(mean_pre, mean_post),
        mean_g=mean(gains),
        g_undefined=sum(1 for g in gains if g is None),
        negative=sum(1 for pre, post in pairs if post < pre),
    )


@dataclass
class ItemResponse:
    """One examinee's answer to one question, with their total score on the test."""

    total: float
    #: the chosen option id, None when left blank
    chosen: int | None
    #: a tie-breaker so the upper/lower groups are reproducible
    key: int = 0


@dataclass
class ItemStats:
    n: int
    #: share of examinees who answered correctly (the p-value; higher = easier)
    difficulty: float | None
    #: p(upper 27%) − p(lower 27%), groups by total score
    discrimination: float | None
    #: correlation between answering right (1/0) and the total score
    point_biserial: float | None
    #: option id → how many chose it
    option_counts: dict = field(default_factory=dict)
    blank: int = 0
    #: wrong options no one chose
    unused_distractors: list = field(default_factory=list)
    flags: list = field(default_factory=list)


def item_stats(responses: list[ItemResponse], correct_option: int, options: list[int]) -> ItemStats:
    """Difficulty, upper-lower discrimination and point-biserial of one question.

    Upper and lower groups hold round(27% × n) examinees each (at least 1, from n = 2),
    ranked by total score, ties broken by ``key``. The point-biserial uses the population
    standard deviation of the totals: r = (M₁ − M₀) / s × √(p·q).
    """
    n = len(responses)
    counts = dict.fromkeys(options, 0)
    blank = 0
    for response in responses:
        if response.chosen is None:
            blank += 1
        elif response.chosen in counts:
            counts[response.chosen] += 1
    right = [1 if r.chosen == correct_option else 0 for r in responses]
    stats = ItemStats(n=n, difficulty=None, discrimination=None, point_biserial=None)
    stats.option_counts, stats.blank = counts, blank
    if n == 0:
        return stats
    p = sum(right) / n
    stats.difficulty = p
    if n >= 2:
        size = max(1, round(GROUP_SHARE * n))
        ranked = sorted(zip(responses, right, strict=True), key=lambda x: (-x[0].total, x[0].key))
        upper = [hit for _, hit in ranked[:size]]
        lower = [hit for _, hit in ranked[-size:]]
        stats.discrimination = sum(upper) / size - sum(lower) / size
        totals = [r.total for r in responses]
        average = fmean(totals)
        spread = math.sqrt(fmean((t - average) ** 2 for t in totals))
        if spread > 0 and 0 < p < 1:
            m1 = fmean(t for t, hit in zip(totals, right, strict=True) if hit)
            m0 = fmean(t for t, hit in zip(totals, right, strict=True) if not hit)
            stats.point_biserial = (m1 - m0) / spread * math.sqrt(p * (1 - p))
    stats.unused_distractors = [o for o in options if o != correct_option and counts[o] == 0]
    if stats.discrimination is not None and stats.discrimination < LOW_DISCRIMINATION:
        stats.flags.append("low_discrimination")
    if stats.unused_distractors:
        stats.flags.append("unused_distractor")
    return stats


def distribution(scores, bins: int = 10) -> list[int]:
    """How many scores fall in 0–<10, 10–<20, … 90–100 (100 goes in the last bin)."""
    counts = [0] * bins
    width = 100 / bins
    for score in scores:
        if score is None:
            continue
        counts[min(bins - 1, int(score // width))] += 1
    return counts
