"""Building passports for tests through the real services."""

from staffwell.passports import services
from staffwell.passports.models import ManagerChange, Passport, PassportKind
from staffwell.records import services as records
from staffwell.records.models import Grant, Relationship


def passport_for(user, kind=PassportKind.ADJUSTMENTS, words=None, requests=()) -> Passport:
    existing = Passport.objects.filter(owner=user, kind=kind).first()
    if existing is not None:
        return existing
    words = words or {"what_is_hard": "Bright strip lights give me migraines", "what_helps": "A desk by the window"}
    passport = services.create_passport(owner=user, kind=kind, content=words)
    for text in requests:
        services.request_adjustment(passport=passport, text=text, actor=user)
    return passport


def share(passport, with_user, relationship=Relationship.LINE_MANAGER, section=""):
    existing = Grant.objects.live().for_object(passport).filter(grantee=with_user, section=section).first()
    if existing:
        return existing
    candidate = records.Candidate(with_user, passport.organisation, relationship, with_user.full_name)
    return records.grant(owner=passport.owner, candidate=candidate, obj=passport, kind_key="passport", section=section)


def matrix_passport(w) -> dict:
    passport = passport_for(w.users["staff"], requests=["Written handover notes"])
    share(passport, w.users["manager"])
    change, _ = ManagerChange.objects.get_or_create(passport=passport, defaults={"new_manager": w.users["manager"]})
    return {
        "passport_id": passport.pk,
        "adjustment_id": passport.adjustments.first().pk,
        "change_id": change.pk,
    }


def same_person_at(org, unit, user):
    """The holder of ``user``'s passports, now at ``org`` with a new account under the same
    email address (as on another staffwell): their old account is gone."""
    from django.test import Client

    from tests.factories import MembershipFactory, UserFactory

    email, name = user.email, user.full_name
    user.delete()
    mover = UserFactory(email=email, full_name=name)
    MembershipFactory(organisation=org, user=mover, unit=unit)
    client = Client()
    client.force_login(mover)
    return mover, client
