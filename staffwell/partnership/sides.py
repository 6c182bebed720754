"""The two sides of the partnership, and which side a membership acts for."""

from django.db import models

from staffwell.core.permissions import Perm


class Side(models.TextChoices):
    EMPLOYER = "employer", "Employer side"
    STAFF = "staff", "Staff side"

    @property
    def other(self) -> "Side":
        return Side.STAFF if self == Side.EMPLOYER else Side.EMPLOYER


def side_of(membership) -> Side | None:
    """The side a person takes part on, from their permissions (never from a role name).

    Someone who holds both permissions acts for the employer side: the organisation must
    not give one person both roles, and the staff side is never assumed.
    """
    if membership is None:
        return None
    if membership.has_perm(Perm.LEAD_PARTNERSHIP_WORK):
        return Side.EMPLOYER
    if membership.has_perm(Perm.TAKE_PART_AS_STAFF_SIDE):
        return Side.STAFF
    return None
