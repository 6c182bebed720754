"""Build assessment cycles for tests through the same services the views use."""

from staffwell.assessments import services
from staffwell.assessments.models import Framework, Rating, Side


def framework():
    return Framework.objects.get(organisation__isnull=True, slug="nhs-hwb-2021")


def open_cycle(world, *, elements=1, title="Wellbeing diagnostic 2026"):
    fw = framework()
    return services.open_cycle(
        org=world.org,
        framework=fw,
        title=title,
        elements=list(fw.elements.order_by("order")[:elements]),
        participants=[(world.memberships["rep"], Side.STAFF)],
        actor=world.users["lead"],
        opener=world.memberships["lead"],
    )


def rate_all(cycle, side, level_for, actor):
    for r in cycle.ratings.filter(side=side).select_related("statement"):
        services.save_rating(rating=r, level=level_for(r.statement), note="", expected_version=r.version, actor=actor)


def submitted_cycle(world, *, elements=1, employer=3, staff=2, **kwargs):
    """Both sides rated (the staff side one lower on the first statement by default) and submitted."""
    cycle = open_cycle(world, elements=elements, **kwargs)
    first = cycle.statements().order_by("sub_element__order", "order").first()
    rate_all(cycle, Side.EMPLOYER, lambda s: employer, world.users["lead"])
    rate_all(cycle, Side.STAFF, lambda s: staff if s.pk == first.pk else employer, world.users["rep"])
    services.submit_side(cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"])
    services.submit_side(cycle=cycle, side=Side.STAFF, actor=world.users["rep"])
    cycle.refresh_from_db()
    return cycle


def agree_all(cycle, actor, level=None):
    for a in cycle.agreed.filter(level__isnull=True):
        services.save_agreed(
            agreed=a, level=level or 2, rationale="Agreed in the workshop.", expected_version=a.version, actor=actor
        )


def signed_cycle(world, **kwargs):
    cycle = submitted_cycle(world, **kwargs)
    agree_all(cycle, world.users["lead"])
    services.sign(
        cycle=cycle, side=Side.EMPLOYER, actor=world.users["lead"], signatory_name="Lead", signatory_role="Director"
    )
    services.sign(cycle=cycle, side=Side.STAFF, actor=world.users["rep"], signatory_name="Rep", signatory_role="Chair")
    cycle.refresh_from_db()
    return cycle


def second_rep(world, name="Sam Second-Rep"):
    """Another staff-side rep in the test organisation, with a sign-in."""
    from tests.factories import MembershipFactory, RoleAssignmentFactory, UserFactory

    membership = MembershipFactory(organisation=world.org, user=UserFactory(full_name=name))
    RoleAssignmentFactory(membership=membership, role="staff_side_rep")
    return membership


def rating_post(cycle, element, side, changes: dict) -> dict:
    """What the rating page posts: every statement of the element in the page's order (a
    formset), with ``changes`` ({rating pk: {field: value}}) over what was last saved."""
    ratings = list(
        Rating.objects.filter(cycle=cycle, side=side, statement__sub_element__element=element).order_by(
            "statement__sub_element__order", "statement__order"
        )
    )
    n = len(ratings)
    data = {"rating-TOTAL_FORMS": n, "rating-INITIAL_FORMS": n, "rating-MIN_NUM_FORMS": 0, "rating-MAX_NUM_FORMS": n}
    for i, r in enumerate(ratings):
        row = {
            "rating": r.pk,
            "version": r.version,
            "orig": services.fingerprint(r.level, r.note),
            "level": r.level or "",
            "note": r.note,
        }
        row.update(changes.get(r.pk, {}))
        data.update({f"rating-{i}-{k}": v for k, v in row.items()})
    return data
