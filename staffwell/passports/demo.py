"""Demo passports: enough for the organisation insight to show figures where groups are large
enough. The demo nurse (nurse@northgate.example) gets none: the browser journey starts her
passport from scratch."""

import datetime as dt
import random

from django.utils import timezone

from staffwell.passports import services
from staffwell.passports.models import Passport, PassportKind, Status
from staffwell.records.models import Relationship

ADJUSTMENT_WORDS = [
    {
        "what_is_hard": "Long handovers in a noisy room: I lose track of what was said.",
        "what_helps": "A written handover sheet, and a quiet corner for the handover.",
        "if_unwell": "",
    },
    {
        "what_is_hard": "Night shifts in a row wear me out and my symptoms flare for days afterwards.",
        "what_helps": "No more than two nights in a row, and rest days straight after nights.",
        "if_unwell": "Let me sit down for ten minutes; if it does not pass, call my emergency contact.",
    },
    {
        "what_is_hard": "Hot flushes and poor sleep make early starts and warm wards hard.",
        "what_helps": "A desk fan, a lighter uniform, and later starts where the rota allows.",
        "if_unwell": "",
    },
]
CARER_WORDS = [
    {
        "caring_situation": "I look after my mum, who has dementia and lives with us.",
        "flexibility_needed": "Fixed days off for her day centre, and the chance to swap shifts at short notice.",
        "emergency_arrangements": "If the day centre calls, I may need to leave; my buddy on the ward covers.",
    },
    {
        "caring_situation": "My son is autistic and needs me at school meetings and some appointments.",
        "flexibility_needed": "Two afternoons a term planned ahead, and my phone on me during shifts.",
        "emergency_arrangements": "If school calls, I tell the nurse in charge and leave once handed over.",
    },
]
REQUESTS = [
    "Written handover notes",
    "No more than two nights in a row",
    "A desk fan and a lighter uniform",
    "Later starts on two days a week",
    "Rest breaks away from the ward",
    "A predictable rota published six weeks ahead",
    "Fixed days off each week",
    "Phone kept on me during shifts",
]


def load(*, org, other_org) -> None:
    from staffwell.organisations.models import Membership

    rng = random.Random(8)  # noqa: S311 - repeatable demo data, not security
    skip = {"nurse@northgate.example", "manager@northgate.example"}
    members = list(
        Membership.objects.active()
        .for_org(org)
        .filter(user__isnull=False, unit__isnull=False)
        .exclude(user__email__in=skip)
        .select_related("user", "unit")
        .order_by("person_id")
    )
    chosen = rng.sample(members, min(60, len(members)))
    now = timezone.now()
    for i, m in enumerate(chosen):
        kind = PassportKind.ADJUSTMENTS if i % 3 else PassportKind.CARER
        words = rng.choice(ADJUSTMENT_WORDS if kind == PassportKind.ADJUSTMENTS else CARER_WORDS)
        passport = Passport.objects.create(owner=m.user, organisation=org, kind=kind, content=words)
        managers = list(m.line_managers().filter(user__isnull=False).select_related("user"))
        manager = managers[0].user if managers else None
        for _ in range(rng.randint(1, 3)):
            requested = now - dt.timedelta(days=rng.randint(30, 200))
            adj = services.Adjustment.objects.create(
                passport=passport,
                request=rng.choice(REQUESTS),
                requested_at=requested,
                decision_due=(requested + dt.timedelta(days=services.DECISION_DAYS)).date(),
            )
            services.AdjustmentStep.objects.create(
                adjustment=adj,
                status=Status.REQUESTED,
                actor=m.user,
                actor_name=m.user.full_name,
                actor_role="passport holder",
                at=requested,
            )
            if manager is None:
                continue
            outcome = rng.choices(
                [Status.AGREED, Status.AGREED_WITH_CHANGES, Status.NOT_AGREED, Status.REQUESTED], [5, 2, 2, 1]
            )[0]
            if outcome == Status.REQUESTED:
                continue
            decided = requested + dt.timedelta(days=rng.randint(3, 35))
            adj.status = outcome
            adj.decided_at = decided
            if outcome == Status.AGREED_WITH_CHANGES:
                adj.agreed_text = "Agreed for three months, then we will see how it is going."
                adj.reason = "The rota is already set for the next month."
            if outcome == Status.NOT_AGREED:
                adj.reason = "The ward cannot cover this at present; we have asked occupational health for ideas."
            adj.save()
            services.AdjustmentStep.objects.create(
                adjustment=adj,
                status=outcome,
                actor=manager,
                actor_name=manager.full_name,
                actor_role="line manager",
                note=adj.reason,
                at=decided,
            )
        if manager is not None:
            from staffwell.records import services as records

            candidate = records.Candidate(manager, org, Relationship.LINE_MANAGER, f"{manager.full_name}")
            records.grant(owner=m.user, candidate=candidate, obj=passport, kind_key=services.KIND_KEY)
            if not passport.adjustments.filter(status=Status.REQUESTED).exists():
                passport.owner_confirmed_at = now - dt.timedelta(days=20)
                passport.confirming_manager = manager
                passport.manager_confirmed_at = now - dt.timedelta(days=19)
                passport.confirmed_unit_id = m.unit_id
        if i % 7 == 0:
            passport.review_due = timezone.localdate() - dt.timedelta(days=rng.randint(1, 40))
        passport.save()
