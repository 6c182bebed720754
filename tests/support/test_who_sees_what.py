"""Who sees what, persona by persona: a request for support is its owner's; the programme
sees only what the owner sent it; a walk-through is its participants' and the person's;
figures are counts for both sides of the partnership alike."""

from django.urls import reverse

from tests.support import helpers


def _status(client_for, persona, url):
    return client_for(persona).get(url).status_code


def test_nobody_but_the_owner_opens_a_request_not_even_their_manager_lead_admin_or_rep(world, client_for):
    req = helpers.ask(world)
    url = reverse("support:detail", kwargs={"request_id": req.pk})
    outcome = {
        p: _status(client_for, p, url)
        for p in ("staff", "manager", "lead", "rep", "editor", "admin", "outsider", "platform")
    }
    assert outcome == {
        "staff": 200,
        "manager": 404,
        "lead": 404,
        "rep": 404,
        "editor": 404,
        "admin": 404,
        "outsider": 404,
        "platform": 404,
    }


def test_the_manager_sees_a_request_only_once_the_owner_shares_it_and_not_after_withdrawal(world, client_for):
    from staffwell.records import services as records

    req = helpers.ask(world)
    url = reverse("support:shared", kwargs={"request_id": req.pk})
    assert _status(client_for, "manager", url) == 404
    manager = next(c for c in records.share_candidates(world.users["staff"]) if c.relationship == "line_manager")
    grant = records.grant(
        owner=world.users["staff"], candidate=manager, obj=req, kind_key="support", section="what_would_help"
    )
    page = client_for("manager").get(url).content.decode()
    assert "Someone to talk to who understands." in page and "deteriorated" not in page
    records.withdraw(owner=world.users["staff"], grant=grant)
    assert _status(client_for, "manager", url) == 404


def test_a_peer_supporter_in_another_organisation_sees_nothing(world, client_for):
    helpers.make_peer(world.memberships["outsider"])
    req = helpers.ask(world)
    url = reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk})
    assert _status(client_for, "outsider", url) == 404
    other = reverse("support:peer_request", kwargs={"org": world.other_org.slug, "request_id": req.pk})
    assert _status(client_for, "outsider", other) == 404


def test_a_peer_supporter_does_not_see_their_own_request_in_the_queue(world, client_for):
    helpers.make_peer(world.memberships["staff"])
    req = helpers.ask(world)
    url = reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk})
    assert _status(client_for, "staff", url) == 404


def test_a_walk_through_is_hidden_from_everyone_who_is_not_in_it(world, client_for):
    w = helpers.walkthrough(world)
    url = reverse("support:walkthrough", kwargs={"org": world.org.slug, "walkthrough_id": w.pk})
    outcome = {
        p: _status(client_for, p, url) for p in ("staff", "manager", "lead", "rep", "editor", "admin", "outsider")
    }
    assert outcome == {
        "staff": 200,
        "manager": 200,
        "lead": 200,
        "rep": 200,
        "editor": 404,
        "admin": 404,
        "outsider": 404,
    }


def test_a_walk_through_without_a_rep_is_hidden_from_the_rep(world, client_for):
    from staffwell.support import justculture

    w = justculture.start(
        org=world.org,
        person=world.memberships["staff"],
        manager=world.memberships["manager"],
        hr=world.memberships["lead"],
        rep=None,
        event="No rep wished",
        actor=world.users["manager"],
    )
    url = reverse("support:walkthrough", kwargs={"org": world.org.slug, "walkthrough_id": w.pk})
    assert _status(client_for, "rep", url) == 404
    assert _status(client_for, "staff", url) == 200
