"""Demo staff voice: guardian contacts, a few posts (named and anonymous), "me too"s from
colleagues, and answers agreed by the demo lead and rep."""

import random

from staffwell.core.permissions import Perm
from staffwell.organisations.models import Membership
from staffwell.voice import sealed, services, triage
from staffwell.voice.models import Post, VoiceSettings

POSTS = [
    ("idea", "Water fountain on the surgical corridor", "Staff walk to the canteen to fill a bottle.", True),
    ("question", "Can night staff book the quiet room?", "It is locked after 6pm.", False),
    ("challenge", "Car park barrier queues at shift change", "We queue for 15 minutes at 7.30am.", True),
    ("idea", "Swap board for shifts on the intranet", "Paper swap sheets get lost.", False),
]
ANSWERS = {
    "Water fountain on the surgical corridor": ("doing", "Estates will fit a fountain by the lifts this spring."),
    "Can night staff book the quiet room?": ("done", "The room is now open around the clock with a door code."),
}


def _first_with(org, perm):
    for m in Membership.objects.for_org(org).active().exclude(user=None).prefetch_related("role_assignments"):
        if m.has_perm(perm):
            return m
    return None


def load(*, org, other_org) -> None:
    VoiceSettings.objects.update_or_create(
        organisation=org,
        defaults={
            "guardian_contacts": "Sam Okafor and Priya Shah, Freedom to Speak Up guardians: extension 4455, "
            "speakup@northgate.example",
            "hr_route": "Your HR business partner, or hr@northgate.example",
            "safety_route": "Report it on the incident reporting system, or tell the nurse in charge.",
        },
    )
    rng = random.Random(18)  # noqa: S311 - repeatable demo data, not security
    members = list(Membership.objects.for_org(org).active().exclude(user=None)[:40])
    for kind, title, body, anonymous in POSTS:
        if anonymous:
            services.post_anonymous(
                org=org, form_token=sealed.new_form_token(), unit=None, kind=kind, title=title, body=body, hold=False
            )
        else:
            services.post_named(
                membership=rng.choice(members), unit=None, kind=kind, title=title, body=body, hold=False
            )
    services.release()
    for post in Post.objects.for_org(org):
        for m in rng.sample(members, min(len(members), rng.randint(3, 15))):
            services.support(user=m.user, post=post)
    services.release()
    lead, rep = _first_with(org, Perm.LEAD_PARTNERSHIP_WORK), _first_with(org, Perm.TAKE_PART_AS_STAFF_SIDE)
    if lead and rep:
        for title, (status, answer) in ANSWERS.items():
            post = Post.objects.get(organisation=org, title=title)
            triage.propose(post=post, membership=lead, status=status, answer=answer, pointer="")
            triage.agree(post=post, membership=rep, version=post.answer_version)
