"""Workflows for a person's wellbeing records, and the few things other apps provide."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from staffwell import suppression
from staffwell.records import services as records
from staffwell.records.models import Grant, Relationship
from staffwell.surveys import contributions
from staffwell.wellbeing import content
from staffwell.wellbeing.models import CheckIn, Conversation, ConversationAction, Plan, PlanVersion, SupportContacts

# The national urgent contacts, used only if the library's list cannot be read: the crisis
# panel must never be empty.
FALLBACK_URGENT = [
    {
        "name": "Emergency services",
        "number": "999",
        "action": "call",
        "when": "If a life is at risk",
        "href": "tel:999",
    },
    {
        "name": "NHS 111",
        "number": "111",
        "action": "call",
        "when": "24 hours, for urgent mental health help",
        "href": "tel:111",
    },
    {"name": "Samaritans", "number": "116 123", "action": "call", "when": "24 hours, free", "href": "tel:116123"},
    {"name": "Shout", "number": "85258", "action": "text", "when": "24 hours, free text", "href": "sms:85258"},
]


def urgent_contacts() -> list[dict]:
    try:
        from staffwell.library.urgent import contacts
    except ImportError:
        return FALLBACK_URGENT
    try:
        found = contacts()
    except Exception:  # the library's table missing or unreadable must not hide the panel
        return FALLBACK_URGENT
    if not found:
        return FALLBACK_URGENT
    return [
        {
            "name": c.name,
            "number": c.number,
            "action": c.action,
            "text_message": getattr(c, "text_message", ""),
            "when": c.when,
            "href": c.href,
        }
        for c in found
    ]


def suggested_resources(topics: list[str], limit: int = 5) -> list:
    """Library resources for these topics (empty until the library is installed)."""
    if not topics:
        return []
    try:
        from staffwell.library.services import resources_for_topics
    except ImportError:
        return []
    return list(resources_for_topics(topics, limit=limit))


def suggestions_by_topic(topics: list[str], per_topic: int = 3) -> list[tuple[str, str, list]]:
    """For each topic the person chose, in their order: (slug, label, resources). Every topic
    gets its own suggestions, however many are ticked; an ended offer is never suggested."""
    if not topics:
        return []
    try:
        from staffwell.library.services import resources_by_topic
    except ImportError:
        return [(t, content.PLAN_TOPIC_LABELS.get(t, t), []) for t in topics]
    return [(slug, content.PLAN_TOPIC_LABELS.get(slug, slug), rs) for slug, rs in resources_by_topic(topics, per_topic)]


def support_contacts_for(user) -> list[SupportContacts]:
    """Each of the person's organisations' own support contacts (occupational health, EAP)."""
    from staffwell.organisations.models import Membership

    org_ids = Membership.objects.active().filter(user=user).values("organisation_id")
    return list(SupportContacts.objects.filter(organisation_id__in=org_ids).select_related("organisation"))


def primary_organisation(user):
    from staffwell.organisations.models import Membership

    m = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
        .first()
    )
    return m.organisation if m else None


# Check-ins -------------------------------------------------------------------------------


def record_checkin(
    *, owner, mood: int, factors: dict[str, str], help_now: bool, note: str, contribute: bool = False
) -> CheckIn:
    """Save a check-in. In the same transaction, every check-in goes through the pulse
    pools (``contributions.checked_in``), contributing or not, so the commit looks the same
    either way (docs/survey-anonymity.md); the mood goes in only if ``contribute``, and
    nothing about the choice is stored on the check-in."""
    factors = {k: v for k, v in factors.items() if k in content.FACTOR_LABELS and v in content.FACTOR_CHOICE_LABELS}
    with transaction.atomic():
        checkin = CheckIn.objects.create(
            owner=owner, answers={"mood": mood, "factors": factors, "help_now": bool(help_now)}, note=note.strip()
        )
        contributions.checked_in(user=owner, mood=mood, contribute=contribute)
    return checkin


@dataclass(frozen=True)
class TrendPoint:
    date: dt.date
    mood: float
    count: int


def trend(checkins: list[CheckIn], days: int = 28) -> list[TrendPoint]:
    """Mood by day over the last ``days`` days (the day's average if several check-ins)."""
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    by_day: dict[dt.date, list[int]] = {}
    for c in checkins:
        day = timezone.localtime(c.created_at).date()
        if day >= since and c.mood:
            by_day.setdefault(day, []).append(c.mood)
    return [TrendPoint(d, round(sum(v) / len(v), 1), len(v)) for d, v in sorted(by_day.items())]


def delete_checkin(*, owner, checkin: CheckIn) -> None:
    with transaction.atomic():
        records.withdraw_all_for(checkin, owner=owner)
        Grant.objects.for_object(checkin).delete()
        checkin.delete()


# Plans -----------------------------------------------------------------------------------


def save_plan(*, owner, answers: dict, review_on: dt.date | None) -> Plan:
    with transaction.atomic():
        plan, _ = Plan.objects.select_for_update().get_or_create(owner=owner)
        plan.answers = answers
        if review_on != plan.review_on:
            plan.reminder_sent_for = None
        plan.review_on = review_on
        plan.version += 1
        plan.save()
        PlanVersion.objects.create(plan=plan, number=plan.version, answers=answers, review_on=review_on)
    return plan


# Conversations ---------------------------------------------------------------------------


def save_conversation(
    *,
    owner,
    conversation: Conversation | None,
    with_kind: str,
    with_user,
    with_name: str,
    status: str,
    booked_for,
    held_on,
    details: dict,
    actions: list[dict],
    share_their_actions: bool,
) -> Conversation:
    """Create or update a conversation and its actions. If the owner agrees, the other person
    (when they have an account) may see the actions agreed for them, through a grant the
    owner can withdraw like any other."""
    with transaction.atomic():
        c = conversation or Conversation(owner=owner, organisation=primary_organisation(owner))
        previous_with = c.with_user_id
        c.with_kind = with_kind
        c.with_user = with_user
        c.with_name = "" if with_user else with_name.strip()
        c.status = status
        c.booked_for = booked_for if status == Conversation.Status.BOOKED else None
        c.held_on = held_on if status == Conversation.Status.HELD else None
        c.details = details
        c.save()
        c.actions.all().delete()
        ConversationAction.objects.bulk_create(
            [
                ConversationAction(
                    conversation=c,
                    side=a["side"],
                    text=a["text"],
                    due_on=a.get("due_on"),
                    done=bool(a.get("done")),
                    position=i,
                )
                for i, a in enumerate(actions)
                if a.get("text", "").strip()
            ]
        )
        if previous_with and previous_with != c.with_user_id:
            # A different person now: nothing shared with the previous one survives.
            for g in Grant.objects.live().for_object(c).filter(owner=owner).exclude(grantee_id=c.with_user_id):
                records.withdraw(owner=owner, grant=g)
        if c.with_user_id:
            _sync_their_actions_grant(owner=owner, conversation=c, share=share_their_actions)
    return c


def _sync_their_actions_grant(*, owner, conversation: Conversation, share: bool) -> None:
    live = Grant.objects.live().for_object(conversation).filter(grantee=conversation.with_user, section="their_actions")
    if share and not live.exists():
        relationship = (
            Relationship.LINE_MANAGER
            if conversation.with_kind == Conversation.With.LINE_MANAGER
            else Relationship.TRUSTED_PERSON
        )
        candidate = records.Candidate(
            conversation.with_user,
            conversation.organisation,
            relationship,
            conversation.with_user.full_name,
        )
        records.grant(
            owner=owner, candidate=candidate, obj=conversation, kind_key="conversation", section="their_actions"
        )
    elif not share:
        for g in live:
            records.withdraw(owner=owner, grant=g)


def delete_conversation(*, owner, conversation: Conversation) -> None:
    with transaction.atomic():
        records.withdraw_all_for(conversation, owner=owner)
        Grant.objects.for_object(conversation).delete()
        conversation.delete()


def shares_their_actions(conversation: Conversation) -> bool:
    if not conversation.with_user_id:
        return False
    return (
        Grant.objects.live()
        .for_object(conversation)
        .filter(grantee_id=conversation.with_user_id, section="their_actions")
        .exists()
    )


# Organisation figures ------------------------------------------------------------------


def conversation_figures(org, *, year: int | None = None) -> dict:
    """How many staff had a wellbeing conversation this year, and how many keep a plan:
    through the suppression service, never a list of people."""
    from staffwell.organisations.models import Membership

    year = year or timezone.localdate().year
    members = Membership.objects.for_org(org).active().filter(user__isnull=False)
    staff = Membership.objects.for_org(org).active().count()
    user_ids = members.values("user_id")
    had = (
        Conversation.objects.filter(owner_id__in=user_ids, status=Conversation.Status.HELD, held_on__year=year)
        .values("owner_id")
        .distinct()
        .count()
    )
    planned = Plan.objects.filter(owner_id__in=user_ids, version__gt=0).count()
    had_count, had_share = suppression.count_with_share(had, staff, org=org)
    return {
        "year": year,
        "staff": suppression.count(staff, org=org),
        "had_conversation": had_share,
        "had_conversation_count": had_count,
        "have_plan": suppression.share(planned, staff, org=org),
        "threshold": suppression.min_group_size(org),
    }


# Export and erase ------------------------------------------------------------------------


def _date(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return value.isoformat()


def export_for(user) -> dict:
    checkins = [
        {
            "when": _date(c.created_at),
            "mood": c.mood_info.name if c.mood_info else None,
            "mood_scale_point": c.mood,
            "factors": {content.FACTOR_LABELS[k]: content.FACTOR_CHOICE_LABELS[v] for k, v in c.factors.items()},
            "needed_help_now": c.help_now,
            "note": c.note,
        }
        for c in CheckIn.objects.owned_by(user)
    ]
    plan = Plan.objects.filter(owner=user).prefetch_related("versions").first()
    plan_data = None
    if plan:
        plan_data = {
            "review_on": _date(plan.review_on),
            "current_version": plan.version,
            **{q.heading: plan.answer(q.key) for q in content.PLAN_QUESTIONS},
            "topics": [content.PLAN_TOPIC_LABELS[t] for t in plan.topics],
            "right_now": dict(content.RIGHT_NOW_CHOICES).get(plan.answers.get("right_now"), ""),
            "earlier_versions": [
                {
                    "version": v.number,
                    "saved": _date(v.saved_at),
                    **{q.heading: (v.answers.get(q.key) or "") for q in content.PLAN_QUESTIONS},
                }
                for v in plan.versions.all()
                if v.number != plan.version
            ],
        }
    conversations = [
        {
            "with": c.other_party_name,
            "status": c.get_status_display(),
            "booked_for": _date(c.booked_for),
            "held_on": _date(c.held_on),
            "place": c.detail("place"),
            "what_we_talked_about": c.detail("summary"),
            "my_notes": c.detail("notes"),
            "actions": [
                {"who": a.get_side_display(), "action": a.text, "due": _date(a.due_on), "done": a.done}
                for a in c.actions.all()
            ],
        }
        for c in Conversation.objects.owned_by(user).select_related("with_user").prefetch_related("actions")
    ]
    return {"check_ins": checkins, "wellbeing_plan": plan_data, "conversations": conversations}


def erase_for(user) -> int:
    n = 0
    for model in (CheckIn, Conversation):
        objs = model.objects.owned_by(user)
        n += objs.count()
        objs.delete()  # actions and versions cascade
    plans = Plan.objects.filter(owner=user)
    n += plans.count()
    plans.delete()
    return n
