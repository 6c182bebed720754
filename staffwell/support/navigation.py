from django.urls import reverse

from staffwell.core.navigation import NavItem
from staffwell.core.permissions import PARTNERSHIP, Perm
from staffwell.support.views.walkthroughs import CAN_START


def personal_items() -> list[NavItem]:
    return [
        NavItem(
            "Support after something happened at work",
            reverse("support:home"),
            description="Ask for support for yourself, a colleague or your team after a patient safety incident "
            "or another difficult event. Private to you. Peer supporters find their requests here.",
            in_header=False,
            order=15,
        )
    ]


def org_items(org_slug: str) -> list[NavItem]:
    kw = {"org": org_slug}
    return [
        NavItem(
            "Just culture guide",
            reverse("support:walkthroughs", kwargs=kw),
            (*CAN_START, Perm.TAKE_PART_AS_STAFF_SIDE),
            "Work through the just culture guide for one action or omission, in partnership, ending with a "
            "system-learning action.",
            in_header=False,
            order=57,
        ),
        NavItem(
            "Support after incidents: figures",
            reverse("support:figures", kwargs=kw),
            (Perm.VIEW_ORG_AGGREGATES,),
            "Requests for support and what followed walk-throughs of the just culture guide (counts only).",
            in_header=False,
            order=58,
        ),
        NavItem(
            "Peer support programme",
            reverse("support:programme", kwargs=kw),
            PARTNERSHIP,
            "The response-time target, follow-ups, referral contacts and local guide questions, agreed by both sides.",
            in_header=False,
            order=59,
        ),
        NavItem(
            "Peer supporters",
            reverse("support:supporters", kwargs=kw),
            (Perm.MANAGE_PEOPLE,),
            "Who the organisation's trained peer supporters are, and when their refresher training is due.",
            in_header=False,
            order=60,
        ),
    ]
