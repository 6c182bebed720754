"""Given a staff member with a plan, check-ins and a conversation, each persona sees
exactly what they should: the manager only what was shared, the employer lead and
admin only suppressed counts, the outsider nothing."""

from django.urls import reverse

from staffwell.records import services as records
from staffwell.wellbeing import services

PRIVATE = ["Swimming on Tuesdays", "I stop eating breakfast", "Private thought about my rota", "a secret note"]


def _pages_for(world):
    from staffwell.wellbeing.models import CheckIn, Plan

    plan = Plan.objects.get(owner=world.users["staff"])
    checkin = CheckIn.objects.get(owner=world.users["staff"])
    return plan, checkin


def _setup(world, manager_candidate, staff_plan, staff_conversation):
    checkin = services.record_checkin(
        owner=world.users["staff"], mood=2, factors={}, help_now=False, note="a secret note"
    )
    records.grant(
        owner=world.users["staff"], candidate=manager_candidate, obj=staff_plan, kind_key="plan", section="from_manager"
    )
    return checkin


def _all_html(client, world, plan, checkin, conversation, org_pages=()):
    urls = [
        reverse("wellbeing:shared_plan", kwargs={"plan_id": plan.pk}),
        reverse("wellbeing:shared_checkin", kwargs={"checkin_id": checkin.pk}),
        reverse("wellbeing:shared_conversation", kwargs={"conversation_id": conversation.pk}),
        reverse("wellbeing:shared_with_me"),
        reverse("wellbeing:checkin", kwargs={"checkin_id": checkin.pk}),
        reverse("wellbeing:conversation", kwargs={"conversation_id": conversation.pk}),
        *org_pages,
    ]
    return {u: client.get(u) for u in urls}


def test_the_manager_sees_only_the_shared_plan_section_and_their_actions(
    world, client_for, manager_candidate, staff_plan, staff_conversation
):
    checkin = _setup(world, manager_candidate, staff_plan, staff_conversation)
    pages = _all_html(client_for("manager"), world, staff_plan, checkin, staff_conversation)
    plan_html = pages[reverse("wellbeing:shared_plan", kwargs={"plan_id": staff_plan.pk})].content.decode()
    assert "Fewer nights in a row" in plan_html
    assert pages[reverse("wellbeing:shared_checkin", kwargs={"checkin_id": checkin.pk})].status_code == 404
    html = "".join(r.content.decode() for r in pages.values())
    for private in PRIVATE:
        assert private not in html


def test_the_employer_lead_and_the_admin_see_nothing_personal_only_suppressed_counts(
    world, client_for, manager_candidate, staff_plan, staff_conversation
):
    checkin = _setup(world, manager_candidate, staff_plan, staff_conversation)
    for persona in ("lead", "admin", "rep"):
        org_pages = [reverse("wellbeing:support_contacts", kwargs={"org": world.org.slug})]
        if persona in ("lead", "rep"):
            org_pages.append(reverse("wellbeing:org_figures", kwargs={"org": world.org.slug}))
        pages = _all_html(client_for(persona), world, staff_plan, checkin, staff_conversation, org_pages)
        for url, response in pages.items():
            if url.startswith("/my/wellbeing/shared-with-me/") and url != reverse("wellbeing:shared_with_me"):
                assert response.status_code == 404, (persona, url)
            if "check-ins/" in url or "conversations/" in url:
                assert response.status_code == 404, (persona, url)
        html = "".join(r.content.decode() for r in pages.values())
        for private in [*PRIVATE, "Staff Person"]:
            assert private not in html, (persona, private)


def test_the_outsider_gets_404_for_everything_and_no_organisation_pages(
    world, client_for, manager_candidate, staff_plan, staff_conversation
):
    checkin = _setup(world, manager_candidate, staff_plan, staff_conversation)
    org_pages = [
        reverse("wellbeing:support_contacts", kwargs={"org": world.org.slug}),
        reverse("wellbeing:org_figures", kwargs={"org": world.org.slug}),
    ]
    pages = _all_html(client_for("outsider"), world, staff_plan, checkin, staff_conversation, org_pages)
    for url, response in pages.items():
        if url != reverse("wellbeing:shared_with_me"):
            assert response.status_code == 404, url
