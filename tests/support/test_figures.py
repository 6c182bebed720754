"""What the organisation learns is counts only, through the one suppression service, and the
staff side sees exactly what the employer side sees."""

import re

from django.urls import reverse

from staffwell import suppression
from staffwell.support import figures
from staffwell.support.models import Walkthrough
from tests.factories import MembershipFactory, UserFactory
from tests.support import helpers


def _main(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def _many_ask(world, n, **kwargs):
    for i in range(n):
        user = UserFactory(email=f"nurse{i}@northgate.example", full_name=f"Nurse Number{i}")
        m = MembershipFactory(organisation=world.org, user=user, unit=world.team, staff_group="nursing_midwifery")
        world.users[f"n{i}"], world.memberships[f"n{i}"] = user, m
        helpers.ask(world, persona=f"n{i}", **kwargs)


def test_a_handful_of_requests_shows_no_figures_at_all(world):
    _many_ask(world, 3)
    f = figures.support_figures(world.org)
    assert f["total"].suppressed and all(fig.suppressed for _, fig in f["by_tier"])


def test_enough_requests_show_counts_but_never_who_or_why(world, client_for):
    _many_ask(world, 12, what_happened="A cardiac arrest in the day room")
    f = figures.support_figures(world.org)
    assert f["total"].value == 12
    assert dict(f["by_tier"])["Tier 2"].value == 12
    assert dict(f["by_kind"])["A patient safety incident"].value == 12
    body = _main(client_for("lead").get(reverse("support:figures", kwargs={"org": world.org.slug})))
    assert "12" in body
    assert "Nurse Number" not in body and "cardiac arrest" not in body


def test_a_group_that_could_be_worked_out_by_subtraction_is_hidden(world):
    _many_ask(world, 12, event_kind="patient_safety")
    _many_ask_other(world)
    f = figures.support_figures(world.org)
    kinds = dict(f["by_kind"])
    # 12 + 2: the small group is withheld, and so the total or the big group must be too.
    assert kinds["Violence, aggression or abuse"].suppressed
    assert f["total"].suppressed or kinds["A patient safety incident"].suppressed


def _many_ask_other(world):
    for i in range(2):
        user = UserFactory(email=f"porter{i}@northgate.example", full_name=f"Porter {i}")
        m = MembershipFactory(organisation=world.org, user=user, unit=world.team)
        world.users[f"p{i}"], world.memberships[f"p{i}"] = user, m
        helpers.ask(world, persona=f"p{i}", event_kind="violence")


def test_the_staff_side_sees_exactly_what_the_employer_side_sees(world, client_for):
    _many_ask(world, 11)
    url = reverse("support:figures", kwargs={"org": world.org.slug})
    assert _main(client_for("lead").get(url)) == _main(client_for("rep").get(url))
    for persona in ("staff", "manager", "admin", "editor"):
        assert client_for(persona).get(url).status_code == 403


def test_board_figures_are_suppressed_for_small_numbers_by_ethnic_group(world):
    people = []
    for i in range(12):
        user = UserFactory(email=f"p{i}@northgate.example", full_name=f"Person {i}")
        people.append(MembershipFactory(organisation=world.org, user=user, unit=world.team))
    for i, m in enumerate(people):
        w = Walkthrough.objects.create(
            organisation=world.org,
            person=m,
            manager=world.memberships["manager"],
            event="x",
            support_offered_at=w_now(),
            investigation=i < 3,
            suspended=i < 1,
            days_suspended=5 if i < 1 else 0,
            ethnic_group="black" if i < 2 else "white",
        )
        assert w.pk
    board = figures.board_figures(world.org)
    rows = dict(board["rows"])
    assert rows["All staff"][0].value == 12  # walk-throughs started
    assert rows["All staff"][2].suppressed  # 3 investigations
    assert rows["All staff"][5].suppressed  # days suspended, about one person
    assert all(cell.suppressed for cell in rows["Black, Black British, Caribbean or African"])
    # With the small group withheld, the white group's walk-throughs would give it away.
    assert rows["White"][0].suppressed


def w_now():
    from django.utils import timezone

    return timezone.now()


def _one_request_in(world, staff_group, n):
    user = UserFactory(email=f"one{n}@northgate.example", full_name=f"Only Asker{n}")
    m = MembershipFactory(organisation=world.org, user=user, unit=world.team, staff_group=staff_group)
    world.users[f"one{n}"], world.memberships[f"one{n}"] = user, m
    return helpers.ask(world, persona=f"one{n}")


def test_the_rows_are_fixed_by_the_organisation_not_by_who_asked(world):
    """Attack: a row for a staff group appeared only once someone in it asked, so its
    presence, suppressed or not, said that someone in a small group had asked."""
    from staffwell.organisations.models import StaffGroup

    req = _one_request_in(world, "students", 1)
    students = figures.support_figures(world.org)
    req.delete()
    _one_request_in(world, "medical_dental", 2)
    doctors = figures.support_figures(world.org)
    for f in (students, doctors):
        assert [label for label, _ in f["by_group"]] == [label for _, label in StaffGroup.choices] + ["Not recorded"]
        assert [label for label, _ in f["by_tier"]] == ["Tier 1", "Tier 2", "Tier 3"]
        assert len(f["by_kind"]) == len(figures.content.EventKind.choices)
        assert all(fig.suppressed for _, fig in f["by_group"] + f["by_tier"] + f["by_kind"])


def test_the_figures_page_is_the_same_whichever_group_the_one_person_who_asked_is_in(world, client_for):
    url = reverse("support:figures", kwargs={"org": world.org.slug})
    req = _one_request_in(world, "students", 1)
    students = _main(client_for("lead").get(url))
    req.delete()
    _one_request_in(world, "estates_ancillary", 2)
    porters = _main(client_for("lead").get(url))
    assert students == porters


def test_a_staff_group_outside_the_list_counts_as_not_recorded_never_as_a_row_of_its_own(world):
    _many_ask(world, 12)
    from staffwell.support.models import SupportRequest

    SupportRequest.objects.filter(pk=SupportRequest.objects.first().pk).update(staff_group="chaplains")
    labels = [label for label, _ in figures.support_figures(world.org)["by_group"]]
    assert "chaplains" not in labels and "Not recorded" in labels


def test_the_response_time_and_follow_ups_are_cells_of_the_same_plan(world):
    """Twelve asked, ten were accepted: the two still waiting could be told apart from the
    accepted ones, so the median over the accepted is withheld with the plan's reason."""
    from django.utils import timezone

    from staffwell.support.models import FollowUp, SupportRequest

    _many_ask(world, 12)
    accepted = list(SupportRequest.objects.order_by("pk")[:10])
    SupportRequest.objects.filter(pk__in=[r.pk for r in accepted]).update(
        accepted_at=timezone.now(), accepted_by=world.users["editor"]
    )
    FollowUp.objects.filter(request__in=accepted).update(done_at=timezone.now())
    f = figures.support_figures(world.org)
    assert f["total"].value == 12
    assert f["median_response_hours"].suppressed and f["followups_done"].suppressed
    assert f["median_response_hours"].reason == suppression.COMPLEMENTARY
