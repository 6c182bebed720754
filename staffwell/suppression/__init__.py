"""The one suppression service: every figure derived from people's data passes through here
before anyone sees it, in any app (docs/suppression.md).

    from staffwell import suppression
    suppression.count(n, org=org)            # one figure
    suppression.plan(groups, threshold=k)    # a family of overlapping figures

``service`` holds the figures and plans, ``disclosure`` the attacker that checks a plan,
``publication`` the catalogue of groups a publication shows (units, staff groups, cells),
and ``models.ReportingPolicy`` each organisation's agreed thresholds. The package sits just
above ``organisations`` in the layers (docs/development.md), so every app can use it.
"""

from staffwell.suppression.service import (
    COMPLEMENTARY,
    DEFAULT_FREE_TEXT_MIN_GROUP,
    DEFAULT_MIN_GROUP,
    FLOOR_MIN_GROUP,
    HISTORY,
    MIN_DAYS_AVAILABLE,
    PRIMARY,
    Figure,
    Plan,
    count,
    count_with_share,
    mean,
    min_group_size,
    plan,
    plan_with_history,
    progress,
    progress_share,
    rate,
    share,
    totalled,
    withheld,
)

__all__ = [
    "COMPLEMENTARY",
    "DEFAULT_FREE_TEXT_MIN_GROUP",
    "DEFAULT_MIN_GROUP",
    "FLOOR_MIN_GROUP",
    "HISTORY",
    "MIN_DAYS_AVAILABLE",
    "PRIMARY",
    "Figure",
    "Plan",
    "count",
    "count_with_share",
    "mean",
    "min_group_size",
    "plan",
    "plan_with_history",
    "progress",
    "progress_share",
    "rate",
    "share",
    "totalled",
    "withheld",
]
