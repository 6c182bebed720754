"""Joint triage: both sides agree each post's status and public answer, and moderation
decisions, through the one partnership mechanism (staffwell.partnership)."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from staffwell.assessments import services as assessments
from staffwell.assessments.models import Action, Cycle
from staffwell.core import audit
from staffwell.core.permissions import PARTNERSHIP
from staffwell.organisations.models import Membership
from staffwell.partnership import services as partnership
from staffwell.voice.models import Post
from staffwell.voice.services import settings_for

ANSWER = "voice.answer"
MODERATION = "voice.moderation"
TRIAGERS = PARTNERSHIP  # both sides triage


def answer_state(post: Post):
    return partnership.state(obj=post, kind=ANSWER, version=post.answer_version)


def proposal(post: Post) -> dict | None:
    """The terms standing for the post's current answer version (either side's)."""
    current = answer_state(post)
    first = current.employer or current.staff
    return first.terms if first else None


def propose(*, post: Post, membership: Membership, status: str, answer: str, pointer: str):
    """Propose a status and answer (a new version: older agreements no longer count) and
    agree to it for the proposer's side."""
    with transaction.atomic():
        Post.objects.filter(pk=post.pk).update(answer_version=F("answer_version") + 1)
        post.refresh_from_db()
        return partnership.agree(
            obj=post,
            kind=ANSWER,
            version=post.answer_version,
            membership=membership,
            terms={"status": status, "answer": answer, "pointer": pointer},
        )


def agree(*, post: Post, membership: Membership, version: int):
    """Agree, for the other side, to the standing proposal of ``version``."""
    if version != post.answer_version:
        raise partnership.PartnershipError("The proposal has changed since you opened it. Read the new one.")
    terms = proposal(post)
    if terms is None:
        raise partnership.PartnershipError("There is no proposal to agree to yet.")
    return partnership.agree(obj=post, kind=ANSWER, version=version, membership=membership, terms=terms)


def publish_answer(post: Post, version: str, state) -> None:
    """Both sides agreed: the post takes the agreed status and public answer."""
    terms = state.employer.terms
    today = timezone.localdate()
    Post.objects.filter(pk=post.pk).update(
        status=terms["status"],
        answer=terms["answer"],
        pointer=terms.get("pointer", ""),
        answered_on=today,
        first_answered_on=post.first_answered_on or today,
    )


def moderation_state(post: Post, decision: str):
    return partnership.state(obj=post, kind=MODERATION, version=f"{post.answer_version}:{decision}")


def moderate(*, post: Post, membership: Membership, decision: str, reason: str):
    return partnership.agree(
        obj=post,
        kind=MODERATION,
        version=f"{post.answer_version}:{decision}",
        membership=membership,
        terms={"decision": decision, "reason": reason},
    )


def publish_moderation(post: Post, version: str, state) -> None:
    decision = version.split(":", 1)[1]
    reasons = " ".join(a.terms.get("reason", "") for a in state.agreements)
    if decision == "publish":
        Post.objects.filter(pk=post.pk).update(status=Post.Status.NEW, pointer="")
    else:
        Post.objects.filter(pk=post.pk).update(status=Post.Status.DECLINED, pointer=reasons[:2000])


# --------------------------------------------------------------------------- actions


def plan_cycles(org):
    """Action plans an idea can join: cycles where both sides have submitted ratings."""
    return [c for c in Cycle.objects.for_org(org).order_by("-created_at") if c.both_submitted]


def make_action(*, post: Post, membership: Membership, cycle: Cycle, title: str, measure: str, due_date) -> Action:
    with transaction.atomic():
        action = assessments.save_action(
            action=Action(cycle=cycle),
            data={
                "title": title,
                "description": f"From a staff voice post: {post.title}",
                "measure": measure,
                "due_date": due_date,
            },
            expected_version=None,
            actor=membership.user,
        )
        Post.objects.filter(pk=post.pk).update(action=action)
        post.refresh_from_db()
        follow_action(action)
        audit.record(
            "voice.post.action_made",
            actor=membership.user,
            organisation=post.organisation,
            obj=post,
            data={"action": action.pk, "title": title},
        )
    return action


ACTION_STATUS = {
    Action.Status.NOT_STARTED: Post.Status.DOING,
    Action.Status.IN_PROGRESS: Post.Status.DOING,
    Action.Status.DONE: Post.Status.DONE,
    Action.Status.DROPPED: Post.Status.CANT,
}


def follow_action(action: Action) -> int:
    """A post made into an action takes the action's status."""
    return follow_action_status(action.pk, action.status)


def follow_action_status(action_id: int, status: str) -> int:
    new = ACTION_STATUS[Action.Status(status)]
    return Post.objects.filter(action_id=action_id).exclude(status=new).update(status=new)


# --------------------------------------------------------------------------- targets


def due_on(post: Post, days: int) -> dt.date:
    return post.raised_on + dt.timedelta(days=days)


def waiting(org):
    """Posts with no agreed answer yet."""
    return (
        Post.objects.for_org(org)
        .filter(first_answered_on__isnull=True)
        .exclude(status__in=[Post.Status.MERGED, Post.Status.DECLINED])
    )


def overdue(org, today=None):
    today = today or timezone.localdate()
    days = settings_for(org).response_days
    return [p for p in waiting(org) if due_on(p, days) < today]


def _triager_emails(org) -> list[str]:
    people = Membership.objects.for_org(org).holding(*TRIAGERS).exclude(user=None).select_related("user")
    return sorted({m.user.email for m in people if m.user.email})


def remind(*, today=None) -> int:
    """Remind both sides' triagers about posts whose target is near or passed, once per
    post. Returns how many posts were reminded about."""
    from staffwell.organisations.models import Organisation

    today = today or timezone.localdate()
    told = 0
    for org in Organisation.objects.all():
        conf = settings_for(org)
        due = [
            p
            for p in waiting(org).filter(reminded_on__isnull=True)
            if due_on(p, conf.response_days) - dt.timedelta(days=conf.remind_days_before) <= today
        ]
        if not due:
            continue
        emails = _triager_emails(org)
        link = settings.STAFFWELL_BASE_URL + reverse("voice:triage", kwargs={"org": org.slug})
        lines = [f"- {p.title}: answer due by {due_on(p, conf.response_days):%d %B %Y}" for p in due]
        if emails:
            send_mail(
                "Staff voice posts waiting for an agreed answer",
                "These posts need an answer agreed by both sides:\n\n"
                + "\n".join(lines)
                + f"\n\nTriage them: {link}\n",
                None,
                emails,
                fail_silently=True,
            )
        Post.objects.filter(pk__in=[p.pk for p in due]).update(reminded_on=today)
        audit.record("voice.triage.reminded", organisation=org, data={"posts": len(due)})
        told += len(due)
    return told
