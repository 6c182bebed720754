"""The one suppression service. Every figure derived from people's data passes through here
before anyone sees it: in pages, exports and JSON alike.

This first version applies primary suppression: a figure about fewer people than the
organisation's minimum reporting group is withheld. Complementary suppression (no small
group recoverable by subtracting published figures across units, filters and time) is
added on top of this interface by the reporting work (issue 6); callers keep calling the
same functions.
"""

from dataclasses import dataclass

DEFAULT_MIN_GROUP = 10
FLOOR_MIN_GROUP = 5
DEFAULT_FREE_TEXT_MIN_GROUP = 15


@dataclass(frozen=True)
class Figure:
    """A published number, or the fact that it is withheld."""

    value: float | int | None
    suppressed: bool
    reason: str = ""

    def __str__(self) -> str:
        if self.suppressed:
            return "Not shown"
        if isinstance(self.value, float):
            return f"{self.value:.1f}"
        return f"{self.value:,}"

    def as_json(self) -> dict:
        return (
            {"value": None, "suppressed": True, "reason": self.reason}
            if self.suppressed
            else {"value": self.value, "suppressed": False}
        )


def min_group_size(org=None, *, free_text: bool = False) -> int:
    """The organisation's minimum reporting group (or the free-text threshold)."""
    base = getattr(org, "min_reporting_group", None) or DEFAULT_MIN_GROUP
    if free_text:
        return max(base, getattr(org, "free_text_min_group", None) or DEFAULT_FREE_TEXT_MIN_GROUP)
    return max(base, FLOOR_MIN_GROUP)


def withheld(threshold: int) -> Figure:
    return Figure(None, True, f"Fewer than {threshold} people")


def count(n: int, *, org=None, free_text: bool = False) -> Figure:
    """A count of people. Withheld when it describes fewer than the minimum group
    (a count of zero is withheld too: "nobody in this team" is itself a disclosure)."""
    threshold = min_group_size(org, free_text=free_text)
    return Figure(n, False) if n >= threshold else withheld(threshold)


def share(numerator: int, denominator: int, *, org=None) -> Figure:
    """A percentage of a group, e.g. a response rate. Withheld unless both the group and the
    people counted in it (and those not counted) are at least the minimum group."""
    threshold = min_group_size(org)
    if denominator < threshold or numerator < threshold or denominator - numerator < threshold:
        return withheld(threshold)
    return Figure(round(100 * numerator / denominator, 1), False)


def mean(values: list[float], *, org=None) -> Figure:
    """The mean of one value per person; withheld for fewer than the minimum group."""
    threshold = min_group_size(org)
    if len(values) < threshold:
        return withheld(threshold)
    return Figure(sum(values) / len(values), False)
