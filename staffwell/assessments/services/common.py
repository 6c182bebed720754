"""Shared by the assessment services: the errors they raise and small helpers."""

import hashlib

from staffwell.assessments import notify
from staffwell.assessments.models import (
    Cycle,
    Participant,
)
from staffwell.organisations.models import Membership


class Conflict(Exception):
    """Someone else saved this item since the form was opened."""

    def __init__(self, current):
        self.current = current
        super().__init__("changed by someone else")


class NotReady(Exception):
    """The step cannot happen yet; the message says why, in plain words."""


def participant_for(cycle: Cycle, membership) -> Participant | None:
    return cycle.participants.active().filter(membership=membership).first()


def fingerprint(*values) -> str:
    """A short digest of what a form showed, to tell whether the person changed it."""
    joined = "\x1f".join("" if v is None else str(v) for v in values)
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def membership_of(org, actor) -> Membership:
    """The actor's membership of the organisation: the partnership records who agreed through it."""
    return Membership.objects.for_org(org).select_related("user").get(user=actor)


_url, _tell = notify.url, notify.tell


class Conflicts(Exception):
    """Some of many items were saved by someone else since the page was opened: nothing was saved."""

    def __init__(self, current: dict):
        self.current = current  # statement id -> the item as it is now
        super().__init__("changed by someone else")
