from tests.matrix import PERSONAS, Case, org_page, signed_in


def _owned_by_staff(kwargs):
    """The staff member's own record: everyone else (manager, lead, admin...) gets 404."""
    return Case({p: {"staff": 200, "anonymous": 302}.get(p, 404) for p in PERSONAS}, kwargs)


def _shared_with_manager(kwargs):
    """Shared by the staff member with their line manager only: nobody else, the owner included
    (they use their own pages), gets in."""
    return Case({p: {"manager": 200, "anonymous": 302}.get(p, 404) for p in PERSONAS}, kwargs)


def _checkin(w):
    from staffwell.wellbeing.models import CheckIn

    c = CheckIn.objects.filter(owner=w.users["staff"]).first() or CheckIn.objects.create(
        owner=w.users["staff"], answers={"mood": 4, "factors": {}, "help_now": False}, note="matrix"
    )
    return c


def _conversation(w):
    from staffwell.wellbeing.models import Conversation

    return Conversation.objects.filter(owner=w.users["staff"]).first() or Conversation.objects.create(
        owner=w.users["staff"],
        organisation=w.org,
        with_kind="line_manager",
        with_user=w.users["manager"],
        status="held",
        held_on="2026-11-01",
        details={"summary": "matrix"},
    )


def _plan(w):
    from staffwell.wellbeing import services
    from staffwell.wellbeing.models import Plan

    return Plan.objects.filter(owner=w.users["staff"]).first() or services.save_plan(
        owner=w.users["staff"], answers={"keeps_well": "matrix", "right_now": "ok"}, review_on=None
    )


def _share(w, obj, kind):
    from staffwell.records import services
    from staffwell.records.models import Grant

    if not Grant.objects.live().for_object(obj).exists():
        manager = next(c for c in services.share_candidates(w.users["staff"]) if c.relationship == "line_manager")
        services.grant(owner=w.users["staff"], candidate=manager, obj=obj, kind_key=kind)
    return obj


def _plan_version(w):
    _plan(w)
    return {"number": 1}


ENTRIES = {
    "wellbeing:home": signed_in(),
    "wellbeing:get_help": signed_in(),
    "wellbeing:checkin_new": signed_in(),
    "wellbeing:checkins": signed_in(),
    "wellbeing:checkin": _owned_by_staff(lambda w: {"checkin_id": _checkin(w).pk}),
    "wellbeing:checkin_delete": _owned_by_staff(lambda w: {"checkin_id": _checkin(w).pk}),
    "wellbeing:plan": signed_in(),
    "wellbeing:plan_edit": signed_in(),
    "wellbeing:plan_versions": _owned_by_staff(lambda w: (_plan(w), {})[1]),
    "wellbeing:plan_version": _owned_by_staff(_plan_version),
    "wellbeing:conversations": signed_in(),
    "wellbeing:conversation_new": signed_in(),
    "wellbeing:conversation": _owned_by_staff(lambda w: {"conversation_id": _conversation(w).pk}),
    "wellbeing:conversation_edit": _owned_by_staff(lambda w: {"conversation_id": _conversation(w).pk}),
    "wellbeing:conversation_delete": _owned_by_staff(lambda w: {"conversation_id": _conversation(w).pk}),
    "wellbeing:shared_with_me": signed_in(),
    "wellbeing:shared_plan": _shared_with_manager(lambda w: {"plan_id": _share(w, _plan(w), "plan").pk}),
    "wellbeing:shared_checkin": _shared_with_manager(lambda w: {"checkin_id": _share(w, _checkin(w), "checkin").pk}),
    "wellbeing:shared_conversation": _shared_with_manager(
        lambda w: {"conversation_id": _share(w, _conversation(w), "conversation").pk}
    ),
    "wellbeing:org_figures": org_page({"lead", "rep"}),
    "wellbeing:support_contacts": org_page({"lead", "admin"}),
}
