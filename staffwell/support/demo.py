"""Demo support after incidents for the demo trust: two trained peer supporters, the
programme's settings agreed by both sides, a few requests and one finished walk-through of
the just culture guide with its learning action."""

import contextlib
import datetime as dt

from django.utils import timezone

from staffwell.support import justculture, services
from staffwell.support.models import PeerSupporter, SupportRequest, Walkthrough


def load(*, org, other_org) -> None:
    from staffwell.assessments.models import Cycle
    from staffwell.organisations.models import Membership
    from staffwell.partnership import services as partnership

    if PeerSupporter.objects.filter(membership__organisation=org).exists():
        return
    people = {m.email: m for m in Membership.objects.for_org(org).select_related("user") if m.email}
    nurse = people.get("nurse@northgate.example")
    manager = people.get("manager@northgate.example")
    lead = people.get("lead@northgate.example")
    rep = people.get("rep@northgate.example")
    if not all((nurse, manager, lead, rep)):
        return
    today = timezone.localdate()
    for email, trained in (("editor@northgate.example", 200), ("admin@northgate.example", 400)):
        if email in people:
            PeerSupporter.objects.create(
                membership=people[email],
                trained_on=today - dt.timedelta(days=trained),
                refresher_due=today - dt.timedelta(days=trained) + dt.timedelta(days=365),
            )
    programme = services.programme_for(org)
    programme.response_target_hours = 24
    programme.followup_days = "3,14,42"
    programme.escalate_to = "peer.support@northgate.example"
    programme.occupational_health = "Northgate Occupational Health: 0161 496 0000, Monday to Friday 8am to 5pm"
    programme.psychology = "Staff psychology service: self-refer on 0161 496 0010"
    programme.chaplaincy = "Chaplaincy and spiritual care: bleep 4455, any time"
    programme.eap = "Northgate Employee Assistance (demo): 0800 000 0000, 24 hours"
    programme.save()
    for m in (lead, rep):
        with contextlib.suppress(partnership.AlreadyAgreed):
            partnership.agree(
                obj=programme,
                kind=services.AGREEMENT_KIND,
                version=str(programme.version),
                membership=m,
                terms=programme.terms(),
            )
    # The manager asked for support for the team after a death on the ward; a peer supporter accepted.
    team = services.ask(
        owner=manager.user,
        membership=manager,
        about="team",
        event_kind="patient_harm",
        details={
            "what_happened": "An unexpected death on Ward 7 on a busy night shift.",
            "what_would_help": "A group debrief for the night team this week.",
            "contact": "Ward 7 office, 0161 496 0700, after 2pm",
            "colleague": "Ward 7 night team",
        },
        to_programme=True,
        programme_sections=["what_would_help", "contact"],
    )
    SupportRequest.objects.filter(pk=team.pk).update(created_at=timezone.now() - dt.timedelta(days=5))
    team.refresh_from_db()
    editor = PeerSupporter.objects.filter(membership__organisation=org).first()
    services.accept(req=team, supporter=editor, actor=editor.membership.user)
    SupportRequest.objects.filter(pk=team.pk).update(accepted_at=team.created_at + dt.timedelta(hours=6))
    # One walk-through, finished, about another nurse on Ward 7.
    person = (
        Membership.objects.for_org(org)
        .filter(unit=nurse.unit, is_active=True)
        .exclude(pk__in=[nurse.pk, manager.pk])
        .order_by("full_name")
        .first()
    )
    cycle = Cycle.objects.for_org(org).order_by("-created_at").first()
    if person is None or Walkthrough.objects.filter(organisation=org).exists():
        return
    w = justculture.start(
        org=org,
        person=person,
        manager=manager,
        hr=lead,
        rep=rep,
        event="A dose of a medicine was given twice on the night of the death: the chart showed no record of the first.",
        actor=manager.user,
    )
    for key, value, why in (
        ("harm_intended", "no", "Nothing suggests anyone meant harm."),
        ("health_substance", "no", "No sign at all."),
        ("health_physical", "no", "No sign."),
        ("health_mental", "no", "Tired at the end of a 12-hour night, like everyone on shift; nothing more."),
        ("protocols_exist", "yes", "The controlled drug procedure applies."),
        ("protocols_workable", "no", "With one registered nurse for 14 patients the double check could not happen."),
    ):
        justculture.answer(walkthrough=w, key=key, value=value, rationale=why, actor=manager.user)
    if cycle is not None:
        justculture.finish(
            walkthrough=w,
            cycle=cycle,
            title="Make the second check of controlled drugs possible on night shifts",
            description="Learning from a just culture guide walk-through on Ward 7.",
            measure="Controlled drug double checks recorded on nights, audited monthly for six months",
            due_date=today + dt.timedelta(days=90),
            actor=manager.user,
        )
