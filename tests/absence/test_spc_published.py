"""The SPC module against figures another implementation published, point by point.

The NHS-R community's NHSRplotthedots (the R package that implements Making Data Count's
rules) publishes, in its own test snapshots, the mean and process limits it computes for a
fixed series: twenty draws of R's ``rnorm(20)`` after ``set.seed(123)``, as one chart and
split into two charts of ten, every point common cause
(``tests/testthat/_snaps/ptd_spc.md`` and ``ptd_spc_standard.md`` in
https://github.com/nhs-r-community/NHSRplotthedots). Its own rule tests give the points a
seven-point trend flags. Those published figures are printed to three significant figures,
so they are compared to three.
"""

from staffwell.absence.spc import Direction, analyse

# R: set.seed(123); rnorm(20)
SEED_123 = [
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
]  # fmt: skip


def sig3(x: float) -> float:
    return float(f"{x:.3g}")


def test_one_chart_of_twenty_matches_the_published_mean_and_limits_and_every_point_is_common_cause():
    chart = analyse(SEED_123, direction=Direction.INCREASE)
    assert chart.mode == "xmr"
    for p in chart.points:  # the same centre line and limits on every point
        assert (sig3(p.mean), sig3(p.lower), sig3(p.upper)) == (0.142, -3.01, 3.29)
    assert [p.kind for p in chart.points] == ["common"] * 20
    assert chart.variation.key == "common"


def test_two_charts_of_ten_match_the_published_figures_of_each_half():
    chart = analyse(SEED_123, rebase_at=[10], direction=Direction.INCREASE)
    first, second = chart.points[:10], chart.points[10:]
    assert {(sig3(p.mean), sig3(p.lower), sig3(p.upper)) for p in first} == {(0.0746, -2.60, 2.75)}
    assert {(sig3(p.mean), sig3(p.lower), sig3(p.upper)) for p in second} == {(0.209, -3.28, 3.70)}
    assert not any(p.special for p in chart.points)


def test_published_trend_examples():
    """NHSRplotthedots's ``ptd_seven_point_trend`` examples: 1..7 and 7..1 are trends (its
    test marks the seventh point; Making Data Count colours all seven), a repeated value
    breaks one (1, 2, 3, 3, 4, 5, 6), and a trend inside other points flags only the run."""
    padding = [4.0] * 8  # enough common-cause context for an XmR chart, far from the limits

    def trend_points(values):
        chart = analyse(padding + values + padding, direction=Direction.NEUTRAL)
        return [i - len(padding) for i, p in enumerate(chart.points) if "trend" in p.sides]

    assert trend_points([1, 2, 3, 3, 4, 5, 6]) == []
    assert trend_points([1, 2, 3, 4, 5, 6, 7]) == list(range(7))
    assert trend_points([7, 6, 5, 4, 3, 2, 1]) == list(range(7))
