from tests.matrix import ORG_MEMBERS, PERSONAS, Case, org_page, public, signed_in
from tests.support import helpers


def _owned_by_staff(kwargs):
    return Case({p: {"staff": 200, "anonymous": 302}.get(p, 404) for p in PERSONAS}, kwargs)


def _request(w):
    return {"request_id": helpers.waiting_request(w).pk}


def _peer_request(w):
    helpers.make_peer(w.memberships["editor"])
    return {"org": w.org.slug, "request_id": helpers.waiting_request(w).pk}


def _shared_with_manager(w):
    from staffwell.records import services
    from staffwell.records.models import Grant

    req = helpers.waiting_request(w)
    if not Grant.objects.live().for_object(req).exists():
        manager = next(c for c in services.share_candidates(w.users["staff"]) if c.relationship == "line_manager")
        services.grant(owner=w.users["staff"], candidate=manager, obj=req, kind_key="support")
    return {"request_id": req.pk}


def _walkthrough_case(kwargs, *, person: int, participants: int = 200):
    """Participants (manager, HR lead, rep) and the person concerned (staff); everyone else 404."""
    expect = {"anonymous": 302, "outsider": 404, "platform": 404, "editor": 404, "admin": 404}
    expect.update({"manager": participants, "lead": participants, "rep": participants, "staff": person})
    return Case(expect, kwargs)


def _w(w):
    return {"org": w.org.slug, "walkthrough_id": helpers.walkthrough(w).pk}


def _reached(w):
    return {"org": w.org.slug, "walkthrough_id": helpers.reached_walkthrough(w).pk}


def _supporter(w):
    return {"org": w.org.slug, "supporter_id": helpers.make_peer(w.memberships["editor"]).pk}


def _followup(w):
    kw = _peer_request(w)
    from staffwell.support.models import FollowUp

    return {**kw, "followup_id": FollowUp.objects.filter(request_id=kw["request_id"]).first().pk}


ENTRIES = {
    "support:home": signed_in(),
    "support:new": signed_in(),
    "support:guidance": signed_in(),
    "support:detail": _owned_by_staff(_request),
    "support:refer": _owned_by_staff(_request),
    "support:close": Case({p: 302 if p == "anonymous" else 405 for p in PERSONAS}, _request),
    "support:delete": _owned_by_staff(_request),
    "support:shared": Case({p: {"manager": 200, "anonymous": 302}.get(p, 404) for p in PERSONAS}, _shared_with_manager),
    "support:case_study": public(),
    "support:queue": org_page(
        {"editor"}, kwargs=lambda w: (helpers.make_peer(w.memberships["editor"]), {"org": w.org.slug})[1]
    ),
    "support:peer_request": org_page({"editor"}, kwargs=_peer_request),
    "support:accept": org_page(set(ORG_MEMBERS), kwargs=_peer_request, ok=405),
    "support:followup_done": org_page(set(ORG_MEMBERS), kwargs=_followup, ok=405),
    "support:supporters": org_page({"admin"}),
    "support:supporter_remove": org_page({"admin"}, kwargs=_supporter, ok=405),
    "support:programme": org_page({"lead", "rep"}),
    "support:programme_agree": org_page({"lead", "rep"}, ok=405),
    "support:figures": org_page({"lead", "rep"}),
    "support:walkthroughs": org_page(set(ORG_MEMBERS)),
    "support:walkthrough_new": org_page({"manager", "lead"}),
    "support:walkthrough": _walkthrough_case(_w, person=200),
    "support:walkthrough_answer": _walkthrough_case(_w, person=403),
    "support:walkthrough_back": org_page(set(ORG_MEMBERS), kwargs=_w, ok=405),
    "support:walkthrough_finish": _walkthrough_case(_reached, person=403),
    "support:walkthrough_outcome": _walkthrough_case(_w, person=403),
    "support:restorative_new": _walkthrough_case(_w, person=403),
}
