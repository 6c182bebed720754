"""Build support records for tests through the same services the views use."""

import datetime as dt

from staffwell.support import justculture, services
from staffwell.support.models import PeerSupporter, SupportRequest, Walkthrough


def make_peer(membership, *, trained_on=dt.date(2026, 1, 10), refresher_due=dt.date(2027, 1, 10)) -> PeerSupporter:
    supporter, _ = PeerSupporter.objects.update_or_create(
        membership=membership, defaults={"trained_on": trained_on, "refresher_due": refresher_due, "is_active": True}
    )
    return supporter


def ask(world, persona="staff", *, to_programme=True, sections=("what_would_help", "contact"), **kwargs):
    details = {
        "what_happened": kwargs.pop("what_happened", "A patient on my ward deteriorated quickly overnight."),
        "what_would_help": kwargs.pop("what_would_help", "Someone to talk to who understands."),
        "contact": kwargs.pop("contact", "Call me after 4pm on 07700 900123."),
        "colleague": kwargs.pop("colleague", ""),
    }
    return services.ask(
        owner=world.users[persona],
        membership=world.memberships[persona],
        about=kwargs.pop("about", "myself"),
        event_kind=kwargs.pop("event_kind", "patient_safety"),
        details=details,
        incident_reference=kwargs.pop("incident_reference", "DATIX-55821"),
        to_programme=to_programme,
        programme_sections=list(sections),
        triggers=kwargs.pop("triggers", []),
    )


def waiting_request(world) -> SupportRequest:
    found = SupportRequest.objects.filter(owner=world.users["staff"], to_programme=True).first()
    return found or ask(world)


def walkthrough(world, *, event="Gave a second dose of a medicine", answers=None) -> Walkthrough:
    found = Walkthrough.objects.filter(organisation=world.org).order_by("pk")
    for w in found:
        if w.event == event:
            return w
    w = justculture.start(
        org=world.org,
        person=world.memberships["staff"],
        manager=world.memberships["manager"],
        hr=world.memberships["lead"],
        rep=world.memberships["rep"],
        event=event,
        actor=world.users["manager"],
    )
    for key, value in answers or []:
        justculture.answer(
            walkthrough=w, key=key, value=value, rationale=f"Because {key}.", actor=world.users["manager"]
        )
    return w


def reached_walkthrough(world) -> Walkthrough:
    return walkthrough(
        world,
        event="Did not escalate the early warning score",
        answers=[
            ("harm_intended", "no"),
            ("health_substance", "no"),
            ("health_physical", "no"),
            ("health_mental", "no"),
            ("protocols_exist", "no"),
        ],
    )
