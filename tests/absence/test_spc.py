"""The Making Data Count XmR module, point by point.

Worked examples written from the published method: NHS England (NHS Improvement), "Making
Data Count: getting started" and "Making Data Count: strengthening your decisions" (2019),
and the NHS-R community's NHSRplotthedots documentation (rules and icons). Each expected
value below is worked out by hand from the method's definitions, not from this code.
"""

import pytest

from staffwell.absence import spc
from staffwell.absence.spc import Direction, Settings, analyse

# 15 points with mean 173/15 and mean moving range 19/14 (hand-computed).
STABLE = [10, 12, 11, 13, 12, 11, 10, 12, 13, 11, 12, 10, 11, 12, 13]


def test_centre_line_and_process_limits_follow_the_xmr_formulae():
    a = analyse(STABLE)
    mean, mr = 173 / 15, 19 / 14
    p = a.points[0]
    assert p.mean == pytest.approx(mean)
    assert p.upper == pytest.approx(mean + 2.66 * mr)
    assert p.lower == pytest.approx(mean - 2.66 * mr)
    assert p.near_upper == pytest.approx(mean + 2 / 3 * 2.66 * mr)
    assert [q.moving_range for q in a.points[:3]] == [None, 2, 1]
    assert a.mode == "xmr" and all(q.kind == "common" for q in a.points)
    assert a.variation.key == "common"


def test_a_point_strictly_outside_the_limits_is_special_cause():
    values = [*STABLE[:14], 30]
    a = analyse(values, direction=Direction.DECREASE)
    assert a.points[-1].sides == {"outside": "high"}
    assert a.points[-1].kind == "concern"
    assert a.variation.key == "concern_high"
    assert [p.special for p in a.points[:14]] == [False] * 14


def test_a_run_of_seven_on_one_side_is_special_cause_and_six_is_not():
    # mean of this series is 10 exactly; points equal to the mean break runs
    six = [9, 9, 9, 9, 9, 9, 10, 11, 11, 11, 11, 11, 11, 10, 10, 10]
    a = analyse(six)
    assert not any("run" in p.sides for p in a.points)
    seven = [9, 9, 9, 9, 9, 9, 9, 11, 11, 11, 11, 11, 11, 11, 10]
    a = analyse(seven, direction=Direction.INCREASE)
    assert a.points[0].mean == pytest.approx(10)
    assert [p.sides.get("run") for p in a.points] == ["low"] * 7 + ["high"] * 7 + [None]
    assert [p.kind for p in a.points[:7]] == ["concern"] * 7
    assert [p.kind for p in a.points[7:14]] == ["improvement"] * 7


def test_run_length_is_a_setting():
    six = [9, 9, 9, 9, 9, 9, 10, 11, 11, 11, 11, 11, 11, 10, 10, 10]
    a = analyse(six, settings=Settings(run_length=6))
    assert [bool(p.sides.get("run")) for p in a.points] == [True] * 6 + [False] + [True] * 6 + [False] * 3


def test_a_trend_of_seven_rising_points_counts_the_first_and_a_tie_breaks_it():
    rising = [5, 5, 5, 5, 5, 5, 5, 5, 1, 2, 3, 4, 5, 6, 7]
    a = analyse(rising)
    assert [bool(p.sides.get("trend")) for p in a.points] == [False] * 8 + [True] * 7
    assert a.points[-1].sides["trend"] == "high"
    tied = [5, 5, 5, 5, 5, 5, 5, 5, 1, 2, 3, 3, 4, 5, 6]
    assert not any("trend" in p.sides for p in analyse(tied).points)
    falling = list(reversed(rising))
    assert analyse(falling).points[0].sides["trend"] == "low"


def test_two_of_three_beyond_the_near_limit_on_the_same_side():
    base = [10, 11] * 10
    # mean 247.3/23 = 10.75, mean mR 25.8/22 = 1.17: near limit 12.83, process limit 13.87
    values = [*base, 13.2, 10.9, 13.2]
    a = analyse(values)
    p = a.points[-1]
    assert p.near_upper < 13.2 < p.upper  # beyond the near limit, inside the process limit
    assert p.mean < 10.9  # all three on the same side of the mean
    assert a.points[-3].sides.get("two_of_three") == "high"
    assert a.points[-1].sides.get("two_of_three") == "high"
    assert "two_of_three" not in a.points[-2].sides  # the middle point is not beyond the near limit
    # the same values with the middle point below the mean do not meet the rule (NHS-R issue 143)
    values = [*base, 13.2, 10.5, 13.2]
    b = analyse(values)
    assert b.points[-2].mean > 10.5 and b.points[-1].near_upper < 13.2
    assert not any("two_of_three" in q.sides for q in b.points)


def test_fewer_than_fifteen_points_is_a_run_chart_with_a_warning_below_twelve():
    a = analyse(STABLE[:14])
    assert a.mode == "run" and a.variation.key == "run_chart"
    assert a.points[0].mean == 11.5  # the median
    assert a.points[0].upper is None and not any(p.special for p in a.points)
    assert not a.warnings
    assert analyse(STABLE[:11]).warnings


def test_rebasing_gives_each_segment_its_own_limits_and_rules_do_not_cross_it():
    before = [10, 11] * 8
    after = [5, 6] * 8
    a = analyse(before + after, rebase_at=[16], direction=Direction.DECREASE)
    assert a.points[0].mean == pytest.approx(10.5) and a.points[-1].mean == pytest.approx(5.5)
    assert a.points[0].upper == pytest.approx(10.5 + 2.66 * 1)
    assert a.points[16].moving_range is None
    assert not any(p.special for p in a.points)
    # without rebasing, the change is a special cause: two long runs on either side of the mean
    b = analyse(before + after, direction=Direction.DECREASE)
    assert b.points[0].kind == "concern" and b.points[-1].kind == "improvement"
    assert b.variation.key == "improvement_low"


def test_a_fixed_baseline_sets_the_limits_from_its_first_points():
    values = [10, 11] * 8 + [14] * 4
    a = analyse(values, baseline=16)
    assert a.points[-1].mean == pytest.approx(10.5)
    assert a.points[-1].sides.get("outside") == "high"


def test_screening_large_moving_ranges_is_optional_and_off_by_default():
    values = [10, 11] * 8 + [30, 10]
    plain = analyse(values)
    screened = analyse(values, settings=Settings(screen_moving_ranges=True))
    assert screened.points[0].upper < plain.points[0].upper


def test_assurance_compares_the_target_with_the_limits():
    a = analyse(STABLE, direction=Direction.DECREASE, target=20)
    assert a.assurance.key == "pass"
    assert analyse(STABLE, direction=Direction.DECREASE, target=5).assurance.key == "fail"
    assert analyse(STABLE, direction=Direction.DECREASE, target=11.5).assurance.key == "hit_or_miss"
    assert analyse(STABLE, direction=Direction.INCREASE, target=5).assurance.key == "pass"
    assert analyse(STABLE, target=5).assurance is None  # no direction, no assurance


def test_a_point_that_is_both_improvement_and_concern_follows_the_measures_conflict_rule():
    # a falling trend that stays above the mean: trend says low, run says high
    values = [1, 1, 1, 1, 1, 1, 1, 1, 9, 8.5, 8, 7.5, 7, 6.5, 6]
    a = analyse(values, direction=Direction.DECREASE)
    last = a.points[-1]
    assert last.sides["trend"] == "low" and last.sides["run"] == "high"
    assert last.kind == "concern"
    b = analyse(values, direction=Direction.DECREASE, settings=Settings(conflict="improvement"))
    assert b.points[-1].kind == "improvement"


def test_neutral_measures_get_purple_special_cause_and_every_icon_has_a_text_label():
    a = analyse([*STABLE[:14], 30])
    assert a.points[-1].kind == "neutral" and a.variation.key == "neutral_high"
    assert all(icon.label for icon in spc.ICONS.values())


def test_a_seasonal_series_earns_a_warning():
    winter = [6, 5.5, 5, 4.5, 4, 3.8, 3.8, 4, 4.5, 5, 5.5, 6] * 3
    a = analyse(winter)
    assert any("seasons" in w for w in a.warnings)
    assert not analyse(STABLE * 2).warnings


def test_the_summary_says_what_the_latest_point_shows_and_since_when():
    values = [5.0, 5.2, 4.9, 5.1, 5.0, 5.3, 4.8, 5.0, 5.2, 5.1, 6.0, 6.1, 6.2, 6.3, 6.1, 6.2, 6.4, 6.2]
    labels = [f"M{i}" for i in range(len(values))]
    a = analyse(values, labels, direction=Direction.DECREASE, unit="%")
    assert a.summary.startswith("Special cause of concern: 8 months above the mean since M10")


def test_settings_outside_the_tolerated_range_are_refused():
    with pytest.raises(ValueError):
        Settings(run_length=1)
    with pytest.raises(ValueError):
        analyse([1.0, float("nan")])


def test_a_rate_s_expected_range_never_reads_below_zero_though_the_limit_itself_is_kept():
    values = [0.2, 3.1, 0.1, 2.9, 0.3, 3.0, 0.2, 3.2, 0.1, 2.8, 0.2, 3.1, 0.3, 2.9, 0.2, 3.0]
    chart = analyse(values, direction=Direction.DECREASE, unit="%")
    assert chart.points[-1].lower < 0  # the rules still use the computed limit
    assert "expected range 0.00% to" in chart.summary
    assert "-" not in chart.summary.split("expected range")[1].split(" to ")[0]
