"""Nothing links a request for support to an investigation: no field, no page, no figure."""

from django.apps import apps
from django.urls import reverse

from staffwell.support.models import SupportRequest
from tests.support import helpers


def test_no_model_in_any_app_refers_to_a_support_request_except_its_own_follow_ups():
    referring = [
        f"{m._meta.label}.{f.name}"
        for m in apps.get_models()
        for f in m._meta.get_fields()
        if f.is_relation and f.concrete and f.related_model is SupportRequest
    ]
    assert referring == ["support.FollowUp.request"]


def test_a_support_request_refers_to_no_investigation_walkthrough_or_organisational_record():
    targets = {f.related_model._meta.label for f in SupportRequest._meta.get_fields() if f.is_relation and f.concrete}
    assert targets == {"accounts.User", "organisations.Organisation"}


def test_the_walk_through_about_a_person_never_shows_their_support_request_or_incident_reference(world, client_for):
    helpers.ask(world, incident_reference="DATIX-99001", what_happened="I froze when the alarm went")
    w = helpers.walkthrough(world)
    for persona in ("manager", "lead", "rep", "staff"):
        body = (
            client_for(persona)
            .get(reverse("support:walkthrough", kwargs={"org": world.org.slug, "walkthrough_id": w.pk}))
            .content.decode()
        )
        assert "DATIX-99001" not in body and "I froze" not in body
        assert reverse("support:detail", kwargs={"request_id": SupportRequest.objects.get().pk}) not in body


def test_the_incident_reference_is_shown_to_nobody_but_the_owner_anywhere(world, client_for):
    helpers.make_peer(world.memberships["editor"])
    req = helpers.ask(world, incident_reference="DATIX-99002")
    pages = [
        ("editor", reverse("support:queue", kwargs={"org": world.org.slug})),
        ("editor", reverse("support:peer_request", kwargs={"org": world.org.slug, "request_id": req.pk})),
        ("lead", reverse("support:figures", kwargs={"org": world.org.slug})),
        ("rep", reverse("support:figures", kwargs={"org": world.org.slug})),
        ("admin", reverse("organisations:audit", kwargs={"org": world.org.slug})),
    ]
    for persona, url in pages:
        assert "DATIX-99002" not in client_for(persona).get(url).content.decode(), url
    assert (
        "DATIX-99002"
        in client_for("staff").get(reverse("support:detail", kwargs={"request_id": req.pk})).content.decode()
    )
