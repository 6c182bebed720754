"""The error every reporting workflow raises, and the check that someone acts for a side."""

from staffwell.partnership import Side, side_of


class ReportingError(Exception):
    """A workflow step that cannot happen, with a message for the person."""


def partner(membership, doing: str) -> Side:
    """The side ``membership`` acts for, or a ReportingError saying who can do ``doing``."""
    side = side_of(membership)
    if side is None:
        raise ReportingError(f"Only the employer-side lead or a staff-side rep can {doing}.")
    return side
